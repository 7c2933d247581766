import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import { MemoryDimensions, stableId, WIDE_TABLE_SPECS, type DimensionData } from '@evroute/wrongbook';
import wrongbookAdd, { JAVA_CLASS } from '@evroute/plugin-wrongbook-add';
import { harness, route, type Harness } from './harness.js';

const T0 = Date.now() - 86_400_000;
const DIMENSIONS: DimensionData = {
  wrong_question_record: [
    { id: 'wrong_1', user_id: 'user_1', question_id: 'q_1', pattern_id: 'pt_1', subject: 'ENGLISH', chapter_id: 'en_ch2', chapter_name: '第2章', create_time: T0, is_delete: 0 },
  ],
  tower_pattern: [{ id: 'pt_1', name: '定语从句（综合）', type: 2, subject: 'ENGLISH', difficulty: 0.7 }],
  tower_teaching_type_pt: [
    { id: 1, teaching_type_id: '101', pt_id: 'pt_1', order_num: 1, is_delete: 0 },
    { id: 2, teaching_type_id: '102', pt_id: 'pt_1', order_num: 2, is_delete: 0 },
  ],
  tower_teaching_type: [
    { id: '101', chapter_id: 'en_ch1', teaching_type_name: '从句概念', is_delete: 0 },
    { id: '102', chapter_id: 'en_ch2', teaching_type_name: '从句例题', is_delete: 0 },
  ],
};
const add = { wrong_id: 'wrong_1', user_id: 'user_1', question_id: 'q_1', create_time: T0, question: 'Choose the relative pronoun', result: 0, answer: 'which' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.router.stop();
  h = undefined;
});

describe('wrongbook-add', () => {
  it('declares the manifest the spec asks for', () => {
    expect(wrongbookAdd).toMatchObject({ kind: 'evroute-plugin', name: 'wrongbook-add', version: '1.0.0', core: '^0.1.0', aliases: [JAVA_CLASS] });
    expect(JAVA_CLASS).toBe('com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor');
    expect(wrongbookAdd.outputs?.['wide_table']).toBe(WIDE_TABLE_SPECS.add);
    expect(Object.keys(wrongbookAdd.outputs ?? {})).toEqual(['wide_table', 'wrong_answers']);
  });

  it('is routed by the Java class name of the original routing rows, and writes the enriched row', async () => {
    h = await harness([wrongbookAdd], [route('1', 'wrongbook_add', JAVA_CLASS)], { dimensions: new MemoryDimensions(DIMENSIONS) });
    const eventId = h.send('wrongbook_add', add);
    await h.settled();
    expect(h.dlq.records).toEqual([]);
    const [record] = h.db.target('dwd_wrong_record_wide_delta');
    expect(record?.spec).toBe(WIDE_TABLE_SPECS.add);
    expect(record?.value).toEqual({
      id: stableId('wrong_1'), wrong_id: 'wrong_1', user_id: 'user_1', subject: 'ENGLISH', subject_name: '英语', question_id: 'q_1',
      question: 'Choose the relative pronoun', pattern_id: 'pt_1', pattern_name: '定语从句（综合）', teach_type_id: '102', teach_type_name: '从句例题',
      chapter_id: 'en_ch2', collect_time: new Date(T0), is_deleted: 0, event_id: eventId, event_type: 'wrongbook_add', process_time: expect.any(Date),
    });
  });

  it('sends a wrong answer (result = 0) to wrong_answers keyed by user_id, and a right one only to the table', async () => {
    h = await harness([wrongbookAdd], [route('1', 'wrongbook_add', 'wrongbook-add')], { dimensions: new MemoryDimensions(DIMENSIONS) });
    h.send('wrongbook_add', add);
    h.send('wrongbook_add', { ...add, wrong_id: 'wrong_2', result: 1 });
    h.send('wrongbook_add', { ...add, wrong_id: 'wrong_3', result: undefined });
    await h.settled();
    expect(h.db.records).toHaveLength(3);
    const topic = h.kafka.target('wrongbook-wide-table-output');
    expect(topic).toHaveLength(1);
    expect(topic[0]).toMatchObject({ key: 'user_1', value: { wrong_id: 'wrong_1', result: 0, answer: 'which', collect_time: T0, subject_name: '英语' } });
  });

  it('reads camelCase payloads and JSON-string payloads into the same row', async () => {
    h = await harness([wrongbookAdd], [route('1', 'wrongbook_add', 'wrongbook-add')], { dimensions: new MemoryDimensions(DIMENSIONS) });
    h.send('wrongbook_add', add);
    h.send('wrongbook_add', { wrongId: 'wrong_1', userId: 'user_1', questionId: 'q_1', createTime: String(T0), question: add.question, result: '0' });
    h.send('wrongbook_add', {}, { payload: JSON.stringify(add) });
    await h.settled();
    const rows = h.db.records.map(({ value: { event_id: _e, process_time: _p, ...rest } }) => rest);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
  });

  it('rejects an invalid payload to the dead-letter output with every reason, and keeps going', async () => {
    h = await harness([wrongbookAdd], [route('1', 'wrongbook_add', 'wrongbook-add')], { dimensions: new MemoryDimensions(DIMENSIONS) });
    const bad = h.send('wrongbook_add', { ...add, user_id: '', subject: 'latin', create_time: Date.now() + 3_600_000 });
    h.send('wrongbook_add', add);
    await h.settled();
    expect(h.db.records).toHaveLength(1);
    expect(h.dlq.records).toHaveLength(1);
    expect(h.dlq.records[0]).toMatchObject({ code: 'EVR_ERR_PROCESSOR_REJECTED', eventId: bad, plugin: 'wrongbook-add', attempts: 1 });
    expect(h.dlq.records[0]?.message).toMatch(/^invalid wrongbook_add payload: user_id: required, must not be empty; create_time: is 3\d\d\d s in the future .*; subject: is not a known subject/);
    expect(h.counted).toContainEqual({ plugin: 'wrongbook-add', name: 'rejected', by: 1, labels: {} });
  });

  it('counts dimension hits and misses, and writes NULL for what it could not find', async () => {
    h = await harness([wrongbookAdd], [route('1', 'wrongbook_add', 'wrongbook-add')], { dimensions: new MemoryDimensions(DIMENSIONS) });
    h.send('wrongbook_add', { ...add, wrong_id: 'wrong_404', pattern_id: 'pt_404' });
    await h.settled();
    expect(h.db.records[0]?.value).toMatchObject({ pattern_id: 'pt_404', pattern_name: null, teach_type_id: null, subject: null, chapter_id: null });
    const lookups = h.counted.filter((c) => c.name === 'dimension_lookups').map((c) => `${c.labels['table']}:${c.labels['outcome']}`);
    expect(lookups.sort()).toEqual(['tower_pattern:miss', 'tower_teaching_type_pt:miss', 'wrong_question_record:miss']);
  });

  it('runs without enrichment when no dimension service is registered, and says so once', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    h = await harness([wrongbookAdd], [route('1', 'wrongbook_add', 'wrongbook-add')], { router: { logger } });
    h.send('wrongbook_add', { ...add, pattern_id: 'pt_1', subject: 'english' });
    h.send('wrongbook_add', { ...add, wrong_id: 'wrong_2' });
    await h.settled();
    expect(h.db.records[0]?.value).toMatchObject({ subject: 'ENGLISH', subject_name: '英语', pattern_id: 'pt_1', pattern_name: null, teach_type_id: null });
    expect(lines.filter((l) => l.includes("no 'wrongbook.dimensions' service"))).toHaveLength(1);
  });

  it('accepts the original config_json keys, refuses unknown ones, and applies code tables and emit_wrong_answers live', async () => {
    h = await harness([wrongbookAdd], [route('1', 'wrongbook_add', JAVA_CLASS, { config: '{"cache_ttl": "10min", "batch_size": 1000, "retry_times": 3}' })]);
    expect(h.router.table().refused).toEqual([]);
    h.config.upsert(route('2', 'wrongbook_collect', JAVA_CLASS, { config: { cache_tll: '10min' } })); // a typo in a key
    await waitFor(() => h?.router.table().refused.length === 1);
    expect(h.router.table().refused[0]).toMatchObject({ id: '2', code: 'EVR_ERR_CONFIG_SCHEMA' });

    h.config.upsert(route('1', 'wrongbook_add', JAVA_CLASS, { config: { cache_ttl: '15min', batch_size: 2000, subject_names: { ENGLISH: 'English' }, emit_wrong_answers: false } }));
    await waitFor(() => h?.router.table().routes.some((r) => r.id === '1' && (r.handle?.config as { batch_size?: number } | undefined)?.batch_size === 2000));
    h.send('wrongbook_add', { ...add, subject: 'ENGLISH' });
    await h.settled();
    expect(h.db.records[0]?.value).toMatchObject({ subject: 'ENGLISH', subject_name: 'English' });
    expect(h.kafka.records).toEqual([]);
  });
});
