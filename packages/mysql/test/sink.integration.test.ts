import type { OutputSpec, SinkRecord } from '@evroute/core';
import { MySqlSink, migrate, type Logger } from '@evroute/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';
import { readWideRows } from './fixtures/wide-table.js';
import { recordOf, wrongId64, WIDE_TABLE } from './fixtures/wrongbook-model.js';

const signal = new AbortController().signal;

function add(wrongId: string, extra: Record<string, unknown> = {}): SinkRecord {
  const record = recordOf({ type: 'add', eventId: `${wrongId}-e`, wrongId, facts: { user_id: 'u1', question: 'q' }, createTime: 1_700_000_000_000 });
  return { ...record, value: { ...record.value, ...extra } };
}

/** A logger that keeps every line, to check what is (and is not) logged. */
function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (obj: object | string, msg?: string): void => {
    lines.push(JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack, cause: v.cause } : v)) + (msg ?? ''));
  };
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('MySqlSink', () => {
  let db: TestDatabase;
  let sink: MySqlSink;

  beforeAll(async () => {
    db = await createTestDatabase('evr_mysql_sink');
    await migrate(db.pool, { groups: ['wrongbook'] });
    sink = new MySqlSink({ connection: { url: db.url } });
    await sink.start(signal);
  });
  afterAll(async () => {
    await sink?.close(signal);
    await db?.drop();
  });

  it('writes a row that fails for good (data too long) to rejected and the rest of its batch to the table', async () => {
    const records = [add('rej-w1'), add('rej-w2', { user_id: 'x'.repeat(65) }), add('rej-w3'), add('rej-w4'), add('rej-w5')];
    const result = await sink.write(records, signal);
    expect(result.rejected?.map((r) => r.index)).toEqual([1]);
    expect(result.rejected?.[0]?.error).toMatchObject({ code: 'EVR_ERR_MYSQL_ROW_REJECTED', retriable: false, context: { reason: 'EVR_ERR_MYSQL_DATA_TOO_LONG' } });
    expect([...(await readWideRows(db.pool, 'rej')).keys()].sort()).toEqual(['rej-w1', 'rej-w3', 'rej-w4', 'rej-w5']);
  });

  it('refuses values it cannot write (NaN, an invalid Date) before the server, and writes the rest', async () => {
    const result = await sink.write([add('val-w1', { user_id: Number.NaN }), add('val-w2'), add('val-w3', { collect_time: new Date('nope') })], signal);
    expect(result.rejected?.map((r) => [r.index, r.error.code])).toEqual([
      [0, 'EVR_ERR_MYSQL_BAD_VALUE'],
      [2, 'EVR_ERR_MYSQL_BAD_VALUE'],
    ]);
    expect([...(await readWideRows(db.pool, 'val')).keys()]).toEqual(['val-w2']);
  });

  it('refuses identifiers with backticks, quotes, semicolons or comments with a coded error, and runs no SQL for them', async () => {
    const bad: Array<[string, OutputSpec]> = [
      ['dwd`; DROP TABLE routing_configs; --', { key: ['id'], columns: { id: {} } }],
      [WIDE_TABLE, { key: ['id'], columns: { id: {}, "user_id'": {} } }],
      [WIDE_TABLE, { key: ['id'], columns: { id: {}, 'user_id;DELETE': {} } }],
      [WIDE_TABLE, { key: ['id'], columns: { id: {}, 'user_id/*x*/': {} } }],
      [WIDE_TABLE, { key: ['id'], columns: { id: {}, 'user_id -- x': {} } }],
      [WIDE_TABLE, { key: ['id'], columns: { id: {}, user_id: { merge: { newestBy: 'fix_time`' } } } }],
      [WIDE_TABLE, { key: ['id'], columns: { id: {}, is_deleted: { merge: { sticky: { since: 'x"', incoming: ['fix_time'] } } } } }],
      [`${WIDE_TABLE}"`, { key: ['id'], columns: { id: {} } }],
    ];
    const records = bad.map(([target, spec]): SinkRecord => ({ output: 'wide', spec, target, key: null, value: { id: '1', user_id: 'u' }, headers: {} }));
    const result = await sink.write(records, signal);
    expect(result.rejected?.map((r) => r.error.code)).toEqual(bad.map(() => 'EVR_ERR_MYSQL_IDENTIFIER'));
    expect(result.rejected?.every((r) => !r.error.retriable)).toBe(true);
    const [tables] = await db.pool.query('SHOW TABLES');
    expect((tables as unknown[]).length).toBeGreaterThan(0);
  });

  it('refuses a cycle in merge rules with a coded error', async () => {
    const spec: OutputSpec = { key: ['id'], columns: { id: {}, fix_id: { merge: { newestBy: 'fix_time' } }, fix_time: { merge: { newestBy: 'fix_id' } } } };
    const result = await sink.write([{ output: 'wide', spec, target: WIDE_TABLE, key: null, value: { id: '1' }, headers: {} }], signal);
    expect(result.rejected?.[0]?.error).toMatchObject({ code: 'EVR_ERR_MYSQL_MERGE_CYCLE', retriable: false });
  });

  it('refuses every row of a table that does not exist, and still writes the other tables of the batch', async () => {
    const result = await sink.write([add('mix-w1'), recordOf({ type: 'add', eventId: 'e', wrongId: 'mix-w2', facts: {}, createTime: 1 }, 'no_such_table'), add('mix-w3')], signal);
    expect(result.rejected?.map((r) => [r.index, r.error.code, r.error.context['reason']])).toEqual([[1, 'EVR_ERR_MYSQL_ROW_REJECTED', 'EVR_ERR_MYSQL_SCHEMA']]);
    expect([...(await readWideRows(db.pool, 'mix')).keys()].sort()).toEqual(['mix-w1', 'mix-w3']);
  });

  it('round-trips quotes, backslashes, unicode, JSON objects and binary-safe text exactly', async () => {
    const nasty = `it's a "test" \\ with \\' and ; -- and /* */ and 错题 😀 and \u0000 nul`;
    await sink.write([add('esc-w1', { question: nasty, chapter_id: { a: [1, 'x'] } })], signal);
    const [rows] = await db.pool.query('SELECT question, chapter_id FROM dwd_wrong_record_wide_delta WHERE wrong_id = ?', ['esc-w1']);
    expect(rows).toEqual([{ question: nasty, chapter_id: '{"a":[1,"x"]}' }]);
  });

  it('splits a batch larger than maxRowsPerStatement or maxStatementBytes and writes every row', async () => {
    const small = new MySqlSink({ connection: { url: db.url }, maxRowsPerStatement: 7, maxStatementBytes: 4_000 });
    try {
      const records = Array.from({ length: 100 }, (_, i) => add(`split-w${i}`, { question: 'x'.repeat(i * 10) }));
      expect(await small.write(records, signal)).toEqual({});
      expect((await readWideRows(db.pool, 'split')).size).toBe(100);
    } finally {
      await small.close(signal);
    }
  });

  it('orders assignments so each rule reads stored values, whatever the declaration order', async () => {
    await db.pool.query('CREATE TABLE sticky_order (id INT PRIMARY KEY, flag TINYINT NOT NULL DEFAULT 0, since INT NULL, t INT NULL)');
    // `since` and `t` are declared before the flag that reads them: written first, the flag would see
    // since = 20 and keep the flag; reading the stored since = 10, the clear at t = 15 wins.
    const spec: OutputSpec = { key: ['id'], columns: { id: {}, since: {}, t: {}, flag: { merge: { sticky: { since: 'since', incoming: ['t'] } } } } };
    const write = (value: Record<string, unknown>) => sink.write([{ output: 'o', spec, target: 'sticky_order', key: null, value, headers: {} }], signal);
    await write({ id: 1, flag: 1, since: 10, t: 5 });
    await write({ id: 1, flag: 0, since: 20, t: 15 });
    const [rows] = await db.pool.query('SELECT flag, since, t FROM sticky_order');
    expect(rows).toEqual([{ flag: 0, since: 20, t: 15 }]);
  });

  it('writes nothing and resolves for an empty batch; rejects after close with a retriable coded error', async () => {
    const other = new MySqlSink({ connection: { url: db.url } });
    expect(await other.write([], signal)).toEqual({});
    await other.close(signal);
    await expect(other.write([add('closed-w1')], signal)).rejects.toMatchObject({ code: 'EVR_ERR_MYSQL_CLOSED', retriable: true });
    expect(other.healthy()).toBe(false);
  });

  it('close waits for a write in flight', async () => {
    const other = new MySqlSink({ connection: { url: db.url } });
    const records = Array.from({ length: 2000 }, (_, i) => add(`inflight-w${i}`));
    const writing = other.write(records, signal);
    await other.close(signal);
    await expect(writing).resolves.toEqual({});
    expect((await readWideRows(db.pool, 'inflight')).size).toBe(2000);
  });

  it('rejects with a retriable coded error when aborted, having acknowledged nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(sink.write([add('abort-w1')], controller.signal)).rejects.toMatchObject({ code: 'EVR_ERR_MYSQL_ABORTED', retriable: true });
    expect((await readWideRows(db.pool, 'abort')).size).toBe(0);
  });

  it('never logs or reports the password of its connection', async () => {
    const logger = capturingLogger();
    const secret = 'S3cret-Pw-Do-Not-Log';
    const unreachable = new MySqlSink({ connection: { url: `mysql://root:${secret}@127.0.0.1:1/x` }, logger, retry: { attempts: 2, initialMs: 1 } });
    const failure = await unreachable.start(signal).then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({ code: 'EVR_ERR_MYSQL_CONNECTION', retriable: true });
    await expect(unreachable.write([add('secret-w1')], signal)).rejects.toMatchObject({ retriable: true });
    const denied = new MySqlSink({ connection: { url: db.url, password: secret }, logger });
    await expect(denied.start(signal)).rejects.toMatchObject({ code: 'EVR_ERR_MYSQL_ACCESS_DENIED', retriable: false });
    // A write never dead-letters its rows for a connection failure: it asks to be retried.
    await expect(denied.write([add('secret-w2')], signal)).rejects.toMatchObject({ code: 'EVR_ERR_MYSQL_ACCESS_DENIED', retriable: true });
    const everything = JSON.stringify([failure, logger.lines, String(failure)]);
    expect(everything).not.toContain(secret);
    await unreachable.close(signal);
    await denied.close(signal);
  });

  it('writes the id as the exact 64-bit integer it is given', async () => {
    await sink.write([add('id-w1')], signal);
    const [rows] = await db.pool.query('SELECT CAST(id AS CHAR) AS id FROM dwd_wrong_record_wide_delta WHERE wrong_id = ?', ['id-w1']);
    expect(rows).toEqual([{ id: wrongId64('id-w1') }]);
  });
});
