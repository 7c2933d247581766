// Regression: the original Flink job upserted every column blindly, so a late add wiped a newer fix
// (shared/spec/wrongbook.md §4, issue #5). Each case below applies events out of event-time order.
import { MySqlSink, migrate } from '@evroute/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';
import { readWideRows } from './fixtures/wide-table.js';
import { recordOf, type WrongbookEvent } from './fixtures/wrongbook-model.js';

const T = 1_700_000_000_000;
const signal = new AbortController().signal;
const add = (wrongId: string, t: number): WrongbookEvent => ({
  type: 'add', eventId: `${wrongId}-add`, wrongId, facts: { user_id: 'u1', question_id: 'q1', subject: 'MATH', subject_name: '数学' }, createTime: t,
});
const fix = (wrongId: string, t: number, result: 0 | 1): WrongbookEvent => ({
  type: 'fix', eventId: `${wrongId}-fix-${t}`, wrongId, facts: { question_id: 'q-from-fix', pattern_id: 'p9' }, createTime: null, fixId: `f${t}`, fixTime: t, fixResult: result,
});
const del = (wrongId: string, t: number): WrongbookEvent => ({ type: 'delete', eventId: `${wrongId}-del-${t}`, wrongId, userId: 'u1', deleteTime: t, reason: `r${t}` });

describe('issue #5: a late event never wipes a newer one', () => {
  let db: TestDatabase;
  let sink: MySqlSink;
  const apply = async (...events: WrongbookEvent[]): Promise<void> => {
    for (const e of events) expect(await sink.write([recordOf(e)], signal)).toEqual({});
  };
  const row = async (wrongId: string) => (await readWideRows(db.pool, 'i5')).get(wrongId);

  beforeAll(async () => {
    db = await createTestDatabase('evr_mysql_issue5');
    await migrate(db.pool, { groups: ['wrongbook'] });
    sink = new MySqlSink({ connection: { url: db.url } });
  });
  afterAll(async () => {
    await sink?.close(signal);
    await db?.drop();
  });

  it('a late add keeps the fix columns, fills its own, and its values win over the fix-filled ones', async () => {
    await apply(fix('i5-a1', T + 5000, 1), add('i5-a1', T));
    expect(await row('i5-a1')).toMatchObject({
      fix_id: `f${T + 5000}`, fix_result: 1, fix_result_desc: '订正', question_id: 'q1', pattern_id: 'p9', user_id: 'u1',
      collect_time: '2023-11-14 22:13:20.000', is_deleted: 0,
    });
  });

  it('an older fix arriving late does not overwrite the newer fix', async () => {
    await apply(add('i5-a2', T), fix('i5-a2', T + 9000, 1), fix('i5-a2', T + 3000, 0));
    expect(await row('i5-a2')).toMatchObject({ fix_id: `f${T + 9000}`, fix_result: 1, fix_time: '2023-11-14 22:13:29.000' });
  });

  it('a delete stays against an older fix, and is cleared by a newer one (the delete columns stay)', async () => {
    await apply(add('i5-a3', T), del('i5-a3', T + 5000), fix('i5-a3', T + 2000, 0));
    expect(await row('i5-a3')).toMatchObject({ is_deleted: 1, delete_reason: `r${T + 5000}`, fix_id: `f${T + 2000}` });
    await apply(fix('i5-a3', T + 8000, 1));
    expect(await row('i5-a3')).toMatchObject({ is_deleted: 0, delete_reason: `r${T + 5000}`, fix_id: `f${T + 8000}` });
  });

  it('a delete older than the add it arrives after does not delete', async () => {
    await apply(add('i5-a4', T + 6000), del('i5-a4', T + 1000));
    expect(await row('i5-a4')).toMatchObject({ is_deleted: 0, delete_time: '2023-11-14 22:13:21.000' });
  });

  it('applying the same event twice changes nothing but process_time', async () => {
    await apply(add('i5-a5', T), fix('i5-a5', T + 1000, 1));
    const [before] = await db.pool.query('SELECT * FROM dwd_wrong_record_wide_delta WHERE wrong_id = ?', ['i5-a5']);
    await apply(fix('i5-a5', T + 1000, 1));
    const [after] = await db.pool.query('SELECT * FROM dwd_wrong_record_wide_delta WHERE wrong_id = ?', ['i5-a5']);
    const strip = (rows: unknown) =>
      (rows as Array<Record<string, unknown>>).map((r) => Object.fromEntries(Object.entries(r).filter(([column]) => column !== 'process_time')));
    expect(strip(after)).toEqual(strip(before));
  });
});
