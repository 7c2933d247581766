import type { DeadLetterRecord } from '@evroute/core';
import { MySqlDeadLetterSink, deadLetterTableDdl, readMigration } from '@evroute/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';

const signal = new AbortController().signal;

function record(offset: string, value: DeadLetterRecord['value'], extra: Partial<DeadLetterRecord> = {}): DeadLetterRecord {
  return {
    value,
    key: 'user-1',
    headers: { trace: 'abc' },
    code: 'EVR_ERR_PROCESSOR_FAILED',
    message: 'boom',
    stack: 'Error: boom\n    at x',
    topic: 'wrongbook-events',
    partition: 3,
    offset,
    timestamp: 1_700_000_000_123,
    attempts: 2,
    eventId: `ev-${offset}`,
    route: '1',
    plugin: 'wrongbook-add',
    pluginVersion: '1.0.0',
    configVersion: 7,
    ...extra,
  };
}

describe('MySqlDeadLetterSink', () => {
  let db: TestDatabase;
  let sink: MySqlDeadLetterSink;

  beforeAll(async () => {
    db = await createTestDatabase('evr_mysql_dlq');
    sink = new MySqlDeadLetterSink({ connection: { url: db.url }, table: 'dlq', createTable: true });
    await sink.start(signal);
  });
  afterAll(async () => {
    await sink?.close(signal);
    await db?.drop();
  });

  it('keeps every field, and the original value byte for byte', async () => {
    const bytes = new Uint8Array([0, 255, 39, 92, 34, 10, 200]);
    await sink.write([record('1', bytes), record('2', '{"text": "它\'s"}'), record('3', { a: 1 }), record('4', null)], signal);
    const [rows] = await db.pool.query('SELECT * FROM dlq ORDER BY `offset`');
    const list = rows as Array<Record<string, unknown>>;
    expect(list.map((r) => [r['offset'], r['value_kind']])).toEqual([['1', 'bytes'], ['2', 'text'], ['3', 'json'], ['4', 'null']]);
    expect(list[0]?.['value']).toEqual(Buffer.from(bytes));
    expect(list[1]?.['value']).toEqual(Buffer.from('{"text": "它\'s"}', 'utf8'));
    expect(list[0]).toMatchObject({
      topic: 'wrongbook-events', partition: 3, code: 'EVR_ERR_PROCESSOR_FAILED', message: 'boom', record_key: 'user-1', attempts: 2,
      event_id: 'ev-1', route: '1', plugin: 'wrongbook-add', plugin_version: '1.0.0', config_version: '7',
      dead_lettered_at: '2023-11-14 22:13:20.123', headers: '{"trace":"abc"}',
    });
  });

  it('stays idempotent when the same failure is dead-lettered again (a replay)', async () => {
    await sink.write([record('9', 'x', { attempts: 1 })], signal);
    await sink.write([record('9', 'x', { attempts: 3, timestamp: 1_700_000_999_000 })], signal);
    const [rows] = await db.pool.query("SELECT attempts, dead_lettered_at, last_dead_lettered_at FROM dlq WHERE `offset` = '9'");
    expect(rows).toEqual([{ attempts: 3, dead_lettered_at: '2023-11-14 22:13:20.123', last_dead_lettered_at: '2023-11-14 22:29:59.000' }]);
  });

  it('cuts over-long texts to their columns instead of failing', async () => {
    await sink.write([record('10', 'x', { topic: 't'.repeat(400), code: `EVR_ERR_${'X'.repeat(200)}` })], signal);
    const [rows] = await db.pool.query("SELECT CHAR_LENGTH(topic) AS t, CHAR_LENGTH(code) AS c FROM dlq WHERE `offset` = '10'");
    expect(rows).toEqual([{ t: 249, c: 96 }]);
  });

  it('matches the DDL of the migration file', async () => {
    const file = await readMigration('030_evroute_dead_letter.sql');
    expect(file).toContain(`${deadLetterTableDdl()};`);
  });
});
