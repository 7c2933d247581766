import type { OutputSpec, SinkRecord } from '@evroute/core';
import { SqliteSink, migrate } from '@evroute/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWideRows, tempDatabase, type TempDatabase } from './fixtures/temp-db.js';
import { recordOf, wrongId64, WIDE_TABLE } from './fixtures/wrongbook-model.js';

const signal = new AbortController().signal;
const add = (wrongId: string, extra: Record<string, unknown> = {}): SinkRecord => {
  const r = recordOf({ type: 'add', eventId: `${wrongId}-e`, wrongId, facts: { user_id: 'u1' }, createTime: 1_700_000_000_000 });
  return { ...r, value: { ...r.value, ...extra } };
};

describe('SqliteSink', () => {
  let t: TempDatabase;
  let sink: SqliteSink;
  beforeAll(async () => {
    t = tempDatabase();
    await migrate(t.db, { groups: ['wrongbook'] });
    t.db.exec('CREATE TABLE strict_t (id TEXT PRIMARY KEY, n INTEGER NOT NULL CHECK (n < 100)) STRICT');
    sink = new SqliteSink({ database: t.open() });
  });
  afterAll(async () => {
    await sink?.close(signal);
    t?.remove();
  });

  it('returns a row that fails for good in rejected and commits the rest of the batch', async () => {
    const spec: OutputSpec = { key: ['id'], columns: { id: {}, n: {} } };
    const rec = (id: string, n: unknown): SinkRecord => ({ output: 'o', spec, target: 'strict_t', key: null, value: { id, n }, headers: {} });
    const result = await sink.write([rec('a', 1), rec('b', 500), rec('c', null), rec('d', 'text'), rec('e', 2)], signal);
    expect(result.rejected?.map((r) => [r.index, r.error.code, r.error.context['reason']])).toEqual([
      [1, 'EVR_ERR_SQLITE_ROW_REJECTED', 'EVR_ERR_SQLITE_CONSTRAINT'],
      [2, 'EVR_ERR_SQLITE_ROW_REJECTED', 'EVR_ERR_SQLITE_CONSTRAINT'],
      [3, 'EVR_ERR_SQLITE_ROW_REJECTED', 'EVR_ERR_SQLITE_CONSTRAINT'],
    ]);
    expect(t.db.prepare('SELECT id FROM strict_t ORDER BY id').all().map((r) => r['id'])).toEqual(['a', 'e']);
  });

  it('refuses identifiers with quotes, semicolons or comments, and rows of a missing table, with coded errors', async () => {
    const bad = (target: string, columns: NonNullable<OutputSpec['columns']>): SinkRecord => ({ output: 'o', spec: { key: ['id'], columns }, target, key: null, value: { id: 1 }, headers: {} });
    const result = await sink.write(
      [bad('t"; DROP TABLE x; --', { id: {} }), bad(WIDE_TABLE, { id: {}, 'a;b': {} }), bad(WIDE_TABLE, { id: {}, 'a/*': {} }), bad('no_such', { id: {} }), add('ok-w1')],
      signal,
    );
    expect(result.rejected?.map((r) => r.error.code)).toEqual(['EVR_ERR_SQLITE_IDENTIFIER', 'EVR_ERR_SQLITE_IDENTIFIER', 'EVR_ERR_SQLITE_IDENTIFIER', 'EVR_ERR_SQLITE_ROW_REJECTED']);
    expect(result.rejected?.[3]?.error.context['reason']).toBe('EVR_ERR_SQLITE_SCHEMA');
    expect([...readWideRows(t.db, 'ok').keys()]).toEqual(['ok-w1']);
  });

  it('writes ids, Dates, booleans, JSON and text exactly', async () => {
    await sink.write([add('val-w1', { question: `it's "q" \\ 😀`, chapter_id: { a: 1 }, is_deleted: false })], signal);
    expect(t.db.prepare('SELECT CAST(id AS TEXT) AS id, question, chapter_id, collect_time, is_deleted FROM dwd_wrong_record_wide_delta WHERE wrong_id = ?').get('val-w1')).toEqual({
      id: wrongId64('val-w1'), question: `it's "q" \\ 😀`, chapter_id: '{"a":1}', collect_time: '2023-11-14T22:13:20.000Z', is_deleted: 0,
    });
  });

  it('waits out another connection holding the write lock, then rejects retriably when it does not let go', async () => {
    const other = t.open();
    other.exec('BEGIN IMMEDIATE');
    const impatient = new SqliteSink({ path: t.path, busyTimeoutMs: 50, retry: { attempts: 2, initialMs: 10 } });
    try {
      await expect(impatient.write([add('busy-w1')], signal)).rejects.toMatchObject({ code: 'EVR_ERR_SQLITE_BUSY', retriable: true });
      expect(impatient.healthy()).toBe(false);
      other.exec('COMMIT');
      expect(await impatient.write([add('busy-w1')], signal)).toEqual({});
      expect(impatient.healthy()).toBe(true);
    } finally {
      await impatient.close(signal);
    }
  });

  it('rejects after close or abort with retriable coded errors', async () => {
    const s = new SqliteSink({ path: t.path });
    const controller = new AbortController();
    controller.abort();
    await expect(s.write([add('x-w1')], controller.signal)).rejects.toMatchObject({ code: 'EVR_ERR_SQLITE_ABORTED', retriable: true });
    await s.close(signal);
    await expect(s.write([add('x-w1')], signal)).rejects.toMatchObject({ code: 'EVR_ERR_SQLITE_CLOSED', retriable: true });
  });
});
