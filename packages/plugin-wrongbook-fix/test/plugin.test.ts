import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDimensions, stableId, WIDE_TABLE_SPECS, type DimensionData } from '@evroute/wrongbook';
import wrongbookFix, { JAVA_CLASS } from '@evroute/plugin-wrongbook-fix';
import { harness, route, type Harness } from './harness.js';

const T0 = Date.now() - 86_400_000;
const DIMENSIONS: DimensionData = {
  wrong_question_record: [
    { id: 'wrong_1', user_id: 'user_1', question_id: 'q_1', pattern_id: 'pt_1', subject: 'math', chapter_id: 'math_ch1', chapter_name: '第1章', create_time: T0, is_delete: 0 },
  ],
  tower_pattern: [{ id: 'pt_1', name: '一元一次方程（基础）', type: 1, subject: 'MATH', difficulty: 0.5 }],
  tower_teaching_type_pt: [{ id: 1, teaching_type_id: '11', pt_id: 'pt_1', order_num: 1, is_delete: 0 }],
  tower_teaching_type: [{ id: '11', chapter_id: 'math_ch1', teaching_type_name: '基础概念讲解', is_delete: 0 }],
};
const FIX_TIME = T0 + 3_600_000;
const fix = { fix_id: 'fix_1', wrong_id: 'wrong_1', user_id: 'user_1', fix_result: 1, fix_time: FIX_TIME, fix_duration: 95, fix_attempts: 2, is_correct: true };

let h: Harness | undefined;
afterEach(async () => {
  await h?.router.stop();
  h = undefined;
});

describe('wrongbook-fix', () => {
  it('declares the manifest the spec asks for', () => {
    expect(wrongbookFix).toMatchObject({ kind: 'evroute-plugin', name: 'wrongbook-fix', version: '1.0.0', core: '^0.1.0', aliases: [JAVA_CLASS] });
    expect(JAVA_CLASS).toBe('com.flink.realtime.topics.wrongbook.processor.WrongbookFixProcessor');
    expect(wrongbookFix.outputs?.['wide_table']).toBe(WIDE_TABLE_SPECS.fix);
    expect(Object.keys(wrongbookFix.outputs ?? {})).toEqual(['wide_table', 'fix_metrics']);
  });

  it('is routed by the Java class name, writes the fix with the add-side facts from wrong_question_record, and a fix-outcome record', async () => {
    h = await harness([wrongbookFix], [route('1', 'wrongbook_fix', JAVA_CLASS)], { dimensions: new MemoryDimensions(DIMENSIONS) });
    const eventId = h.send('wrongbook_fix', fix);
    await h.settled();
    expect(h.dlq.records).toEqual([]);
    const [row] = h.db.target('dwd_wrong_record_wide_delta');
    expect(row?.spec).toBe(WIDE_TABLE_SPECS.fix);
    expect(row?.value).toEqual({
      id: stableId('wrong_1'), wrong_id: 'wrong_1', user_id: 'user_1', subject: 'MATH', subject_name: '数学', question_id: 'q_1', pattern_id: 'pt_1',
      pattern_name: '一元一次方程（基础）', teach_type_id: '11', teach_type_name: '基础概念讲解', chapter_id: 'math_ch1', collect_time: new Date(T0),
      fix_id: 'fix_1', fix_time: new Date(FIX_TIME), fix_result: 1, fix_result_desc: '订正', is_deleted: 0, event_id: eventId, event_type: 'wrongbook_fix',
      process_time: expect.any(Date),
    });
    expect(h.kafka.target('wrongbook-metrics')).toEqual([
      expect.objectContaining({
        key: 'user_1',
        value: expect.objectContaining({ fix_id: 'fix_1', fix_result: 1, fix_time: FIX_TIME, collect_time: T0, time_to_fix_ms: 3_600_000, fix_attempts: 2, is_correct: true }),
      }),
    ]);
  });

  it('reads the Gen C camelCase record (submitTime, fixResult as text) into the same row', async () => {
    h = await harness([wrongbookFix], [route('1', 'wrongbook_fix', 'wrongbook-fix')], { dimensions: new MemoryDimensions(DIMENSIONS) });
    h.send('wrongbook_fix', fix);
    h.send('wrongbook_fix', { fixId: 'fix_1', wrongId: 'wrong_1', userId: 'user_1', fixResult: '1', submitTime: FIX_TIME, isDelete: 0, isCorrect: 1 });
    await h.settled();
    const [a, b] = h.db.records.map(({ value: { event_id: _e, process_time: _p, ...rest } }) => rest);
    expect(b).toEqual(a);
  });

  it.each([
    ['fix_result 2', { ...fix, fix_result: 2 }, /fix_result: must be 0 or 1, got 2/],
    ['create_time after fix_time', { ...fix, create_time: FIX_TIME + 1 }, /create_time: \d+ is after fix_time/],
    ['no fix_id', { ...fix, fix_id: undefined }, /fix_id: required/],
    ['fix_time in the future', { ...fix, fix_time: Date.now() + 600_000 }, /fix_time: is \d+ s in the future/],
  ])('rejects a fix with %s to the dead-letter output', async (_name, payload, reason) => {
    h = await harness([wrongbookFix], [route('1', 'wrongbook_fix', 'wrongbook-fix')], { dimensions: new MemoryDimensions(DIMENSIONS) });
    const eventId = h.send('wrongbook_fix', payload);
    await h.settled();
    expect(h.db.records).toEqual([]);
    expect(h.kafka.records).toEqual([]);
    expect(h.dlq.records).toEqual([expect.objectContaining({ code: 'EVR_ERR_PROCESSOR_REJECTED', eventId, route: '1' })]);
    expect(h.dlq.records[0]?.message).toMatch(reason);
  });

  it('writes nothing for a fix withdrawn upstream (is_delete = 1), and counts it', async () => {
    h = await harness([wrongbookFix], [route('1', 'wrongbook_fix', 'wrongbook-fix')], { dimensions: new MemoryDimensions(DIMENSIONS) });
    h.send('wrongbook_fix', { ...fix, is_delete: 1 });
    await h.settled();
    expect([h.db.records, h.kafka.records, h.dlq.records]).toEqual([[], [], []]);
    expect(h.counted).toContainEqual({ plugin: 'wrongbook-fix', name: 'withdrawn', by: 1, labels: {} });
  });

  it('uses the payload description and the configured code tables; emit_fix_metrics off writes the table only', async () => {
    const config = { fix_result_names: { '0': 'not corrected', '1': 'corrected' }, emit_fix_metrics: false };
    h = await harness([wrongbookFix], [route('1', 'wrongbook_fix', JAVA_CLASS, { config })], { dimensions: new MemoryDimensions(DIMENSIONS) });
    h.send('wrongbook_fix', { ...fix, fix_result: 0 });
    h.send('wrongbook_fix', { ...fix, fix_id: 'fix_2', fix_result_desc: '订正正确' });
    await h.settled();
    expect(h.db.records.map((r) => r.value['fix_result_desc'])).toEqual(['not corrected', '订正正确']);
    expect(h.kafka.records).toEqual([]);
  });
});
