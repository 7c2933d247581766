// The testkit adapter conformance suites, run against every MySQL adapter on the real MariaDB.
import type { RouteRow, SinkRecord } from '@evroute/core';
import { MySqlConfigSource, MySqlDeadLetterSink, MySqlSink, migrate } from '@evroute/mysql';
import { uniqueName } from '@evroute/testkit';
import { configSourceConformance, deadLetterConformance, sinkConformance } from '@evroute/testkit/conformance';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';
import { SEED_CREATE_TABLE } from './fixtures/seed-sql.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('evr_mysql_conf');
});
afterAll(async () => {
  await db?.drop();
});

const spec = { key: ['id'], columns: { id: {}, name: {}, n: { merge: 'overwrite-if-not-null' as const } } };

sinkConformance('MySqlSink', async () => {
  const table = uniqueName('sink');
  await db.pool.query(`CREATE TABLE \`${table}\` (id VARCHAR(32) PRIMARY KEY, name VARCHAR(64), n INT)`);
  return {
    sink: new MySqlSink({ connection: { url: db.url } }),
    record: (i: number): SinkRecord => ({ output: 'o', spec, target: table, key: String(i), value: { id: `k${i}`, name: `name ${i}`, n: i }, headers: {} }),
    read: async () => {
      const [rows] = await db.pool.query(`SELECT id, name, n FROM \`${table}\``);
      return rows as unknown[];
    },
    expected: (i: number) => ({ id: `k${i}`, name: `name ${i}`, n: i }),
    idempotent: true,
    cleanup: async () => {
      await db.pool.query(`DROP TABLE \`${table}\``);
    },
  };
});

deadLetterConformance('MySqlDeadLetterSink', async () => {
  const table = uniqueName('dlq');
  return {
    sink: new MySqlDeadLetterSink({ connection: { url: db.url }, table, createTable: true }),
    readValues: async () => {
      const [rows] = await db.pool.query(`SELECT value FROM \`${table}\``);
      return (rows as Array<{ value: Buffer }>).map((r) => r.value);
    },
    cleanup: async () => {
      await db.pool.query(`DROP TABLE \`${table}\``);
    },
  };
});

configSourceConformance('MySqlConfigSource', async () => {
  await db.pool.query('DROP TABLE IF EXISTS routing_configs');
  await db.pool.query(SEED_CREATE_TABLE);
  await migrate(db.pool, { groups: ['routing'] });
  const write = async (routes: readonly RouteRow[]): Promise<void> => {
    await db.pool.query('DELETE FROM routing_configs');
    for (const r of routes) {
      await db.pool.query('INSERT INTO routing_configs (id, domain, event_type, processor_class, enabled, priority) VALUES (?, ?, ?, ?, ?, ?)', [
        r.id, r.domain, r.eventType, r.processor, r.enabled ? 1 : 0, r.priority,
      ]);
    }
  };
  return { source: new MySqlConfigSource({ connection: { url: db.url }, intervalMs: 500 }), write, settleMs: 500 };
});
