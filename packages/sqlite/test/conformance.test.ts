// The testkit adapter conformance suites, run against every SQLite adapter.
import type { RouteRow, SinkRecord } from '@evroute/core';
import { SqliteConfigSource, SqliteDeadLetterSink, SqliteSink, migrate } from '@evroute/sqlite';
import { uniqueName } from '@evroute/testkit';
import { configSourceConformance, deadLetterConformance, sinkConformance } from '@evroute/testkit/conformance';
import { afterAll } from 'vitest';
import { tempDatabase } from './fixtures/temp-db.js';

const t = tempDatabase();
afterAll(() => t.remove());

const spec = { key: ['id'], columns: { id: {}, name: {}, n: { merge: 'overwrite-if-not-null' as const } } };

sinkConformance('SqliteSink', () => {
  const table = uniqueName('sink');
  t.db.exec(`CREATE TABLE "${table}" (id TEXT PRIMARY KEY, name TEXT, n INTEGER)`);
  return Promise.resolve({
    sink: new SqliteSink({ path: t.path }),
    record: (i: number): SinkRecord => ({ output: 'o', spec, target: table, key: String(i), value: { id: `k${i}`, name: `name ${i}`, n: i }, headers: {} }),
    read: () => Promise.resolve(t.db.prepare(`SELECT id, name, n FROM "${table}"`).all().map((row) => ({ ...row }))),
    expected: (i: number) => ({ id: `k${i}`, name: `name ${i}`, n: i }),
    idempotent: true,
  });
});

deadLetterConformance('SqliteDeadLetterSink', () => {
  const table = uniqueName('dlq');
  return Promise.resolve({
    sink: new SqliteDeadLetterSink({ path: t.path, table, createTable: true }),
    readValues: () => Promise.resolve(t.db.prepare(`SELECT value FROM "${table}"`).all().map((row) => Buffer.from(row['value'] as Uint8Array))),
  });
});

configSourceConformance('SqliteConfigSource', async () => {
  const own = tempDatabase();
  const db = own.db;
  await migrate(db, { groups: ['routing'] });
  const insert = db.prepare('INSERT INTO routing_configs (id, domain, event_type, processor_class, enabled, priority) VALUES (?, ?, ?, ?, ?, ?)');
  const write = (routes: readonly RouteRow[]): Promise<void> => {
    db.exec('DELETE FROM routing_configs');
    for (const r of routes) insert.run(Number(r.id), r.domain, r.eventType, r.processor, r.enabled ? 1 : 0, r.priority);
    return Promise.resolve();
  };
  return { source: new SqliteConfigSource({ path: own.path, intervalMs: 200 }), write, settleMs: 200, cleanup: () => Promise.resolve(own.remove()) };
});
