import { describe, expect, it } from 'vitest';
import {
  ADD_ROW_COLUMNS,
  columnsOf,
  compileCodeTables,
  DELETE_ROW_COLUMNS,
  FIX_ROW_COLUMNS,
  interpretAdd,
  interpretDelete,
  interpretFix,
  MemoryDimensions,
  stableId,
  WIDE_TABLE_COLUMNS,
  WIDE_TABLE_SPECS,
} from '@evroute/wrongbook';
import { DIMENSIONS, NOW, T0, event } from './support/fixtures.js';

const options = { tables: compileCodeTables(), dimensions: new MemoryDimensions(DIMENSIONS), now: NOW };

describe('the wide table dwd_wrong_record_wide_delta (spec §4)', () => {
  it('has exactly the spec columns, in order', () => {
    expect(WIDE_TABLE_COLUMNS).toEqual([
      'id', 'wrong_id', 'user_id', 'subject', 'subject_name', 'question_id', 'question', 'pattern_id', 'pattern_name', 'teach_type_id',
      'teach_type_name', 'chapter_id', 'collect_time', 'fix_id', 'fix_time', 'fix_result', 'fix_result_desc', 'is_deleted', 'delete_time',
      'delete_reason', 'event_id', 'event_type', 'process_time',
    ]);
  });

  it('gives each kind a spec keyed by id whose columns are the row columns of that kind', () => {
    expect(Object.keys(WIDE_TABLE_SPECS.add.columns ?? {})).toEqual([...ADD_ROW_COLUMNS]);
    expect(Object.keys(WIDE_TABLE_SPECS.fix.columns ?? {})).toEqual([...FIX_ROW_COLUMNS]);
    expect(Object.keys(WIDE_TABLE_SPECS.delete.columns ?? {})).toEqual([...DELETE_ROW_COLUMNS]);
    for (const kind of ['add', 'fix', 'delete'] as const) {
      expect(WIDE_TABLE_SPECS[kind].key).toEqual(['id']);
      expect(columnsOf(kind)).toEqual(Object.keys(WIDE_TABLE_SPECS[kind].columns ?? {}));
      expect(Object.isFrozen(WIDE_TABLE_SPECS[kind])).toBe(true);
    }
  });

  it('never lets an add touch fix or delete columns, nor a fix touch delete columns', () => {
    const add = Object.keys(WIDE_TABLE_SPECS.add.columns ?? {});
    const fix = Object.keys(WIDE_TABLE_SPECS.fix.columns ?? {});
    for (const column of ['fix_id', 'fix_time', 'fix_result', 'fix_result_desc', 'delete_time', 'delete_reason']) expect(add).not.toContain(column);
    for (const column of ['delete_time', 'delete_reason', 'question']) expect(fix).not.toContain(column);
  });

  it('declares the merge rules of the spec on the key columns', () => {
    const { add, fix, delete: del } = WIDE_TABLE_SPECS;
    expect(add.columns?.['subject']).toEqual({ merge: 'overwrite-if-not-null' });
    expect(fix.columns?.['subject']).toEqual({ merge: 'fill-if-null' });
    expect(add.columns?.['collect_time']).toEqual({ merge: 'fill-if-null' });
    expect(fix.columns?.['fix_result']).toEqual({ merge: { newestBy: 'fix_time' } });
    expect(del.columns?.['delete_reason']).toEqual({ merge: { newestBy: 'delete_time' } });
    const sticky = { merge: { sticky: { since: 'delete_time', incoming: ['collect_time', 'fix_time'] } } };
    for (const spec of [add, fix, del]) expect(spec.columns?.['is_deleted']).toEqual(sticky);
  });

  it('builds rows with exactly the columns of their spec', async () => {
    const add = await interpretAdd(event('wrongbook_add', { wrong_id: 'wrong_1', user_id: 'user_1', question_id: 'q_1', create_time: T0 }, 'a1'), options);
    const fix = await interpretFix(event('wrongbook_fix', { fix_id: 'f1', wrong_id: 'wrong_1', user_id: 'user_1', fix_result: 1, fix_time: T0 + 1 }, 'f1'), options);
    const del = interpretDelete(event('wrongbook_delete', { wrong_id: 'wrong_1', user_id: 'user_1', delete_time: T0 + 2 }, 'd1'), options);
    expect(add.ok && Object.keys(add.row)).toEqual([...ADD_ROW_COLUMNS].sort((a, b) => ADD_ROW_COLUMNS.indexOf(a) - ADD_ROW_COLUMNS.indexOf(b)));
    expect(fix.ok && fix.row !== null && Object.keys(fix.row).sort()).toEqual([...FIX_ROW_COLUMNS].sort());
    expect(del.ok && Object.keys(del.row).sort()).toEqual([...DELETE_ROW_COLUMNS].sort());
  });

  it('fills an add row from payload, dimensions and code tables', async () => {
    const result = await interpretAdd(
      event('wrongbook_add', { wrongId: 'wrong_1', userId: 'user_1', questionId: 'q_9', createTime: T0, subject: 'shuxue', question: '1+1=?' }, 'evt-add-1'),
      options,
    );
    expect(result.ok && result.row).toEqual({
      id: stableId('wrong_1'), wrong_id: 'wrong_1', user_id: 'user_1', subject: 'MATH', subject_name: '数学', question_id: 'q_9', question: '1+1=?',
      pattern_id: 'pt_math', pattern_name: '一元一次方程（基础）', teach_type_id: '11', teach_type_name: '基础概念讲解', chapter_id: 'math_ch01',
      collect_time: new Date(T0), is_deleted: 0, event_id: 'evt-add-1', event_type: 'wrongbook_add', process_time: new Date(NOW),
    });
  });

  it('describes a fix result from the code table unless the payload has its own description', async () => {
    const base = { fix_id: 'f', wrong_id: 'wrong_1', user_id: 'user_1', fix_time: T0 + 5 };
    const a = await interpretFix(event('wrongbook_fix', { ...base, fix_result: 0 }), options);
    const b = await interpretFix(event('wrongbook_fix', { ...base, fix_result: 1, fix_result_desc: '订正正确' }), options);
    expect(a.ok && a.row?.fix_result_desc).toBe('未订正');
    expect(b.ok && b.row?.fix_result_desc).toBe('订正正确');
    expect(a.ok && a.row?.collect_time).toEqual(new Date(T0)); // from wrong_question_record
  });

  it('writes nothing for a fix withdrawn upstream (isDelete = 1)', async () => {
    const result = await interpretFix(event('wrongbook_fix', { fixId: 'f', wrongId: 'wrong_1', userId: 'u', fixResult: 1, submitTime: T0, isDelete: 1 }), options);
    expect(result).toMatchObject({ ok: true, row: null });
  });

  it('refuses an eventId longer than the event_id column', async () => {
    const result = await interpretAdd(event('wrongbook_add', { wrong_id: 'w', user_id: 'u', question_id: 'q', create_time: T0 }, 'e'.repeat(129)), options);
    expect(result).toEqual({ ok: false, problems: ['eventId: must be at most 128 characters (the event_id column)'] });
  });
});
