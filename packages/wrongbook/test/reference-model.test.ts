import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@evroute/core';
import {
  comparableTable,
  decodeMessages,
  generateDimensionData,
  generateEvents,
  GENERATOR_EPOCH,
  MemoryDimensions,
  referenceTable,
  WIDE_TABLE_COLUMNS,
} from '@evroute/wrongbook';
import { DIMENSIONS, NOW, T0, event } from './support/fixtures.js';

const dimensions = new MemoryDimensions(DIMENSIONS);
const model = async (events: EventEnvelope[]) => referenceTable(events, { dimensions, now: NOW });

const add = (t: number, extra: Record<string, unknown> = {}, id = `add-${t}`) =>
  event('wrongbook_add', { wrong_id: 'wrong_1', user_id: 'user_1', question_id: 'q_add', create_time: t, ...extra }, id);
const fix = (t: number, result: 0 | 1, extra: Record<string, unknown> = {}) =>
  event('wrongbook_fix', { fix_id: `f${t}`, wrong_id: 'wrong_1', user_id: 'user_1', fix_result: result, fix_time: t, ...extra }, `fix-${t}`);
const del = (t: number) => event('wrongbook_delete', { wrong_id: 'wrong_1', user_id: 'user_1', delete_time: t, delete_reason: `r${t}` }, `del-${t}`);

describe('the reference model: spec §4 applied in event-time order', () => {
  it('lets an add fill the add-side columns over what a fix filled, and keeps the fix columns', async () => {
    const row = (await model([fix(T0 + 5000, 1, { question_id: 'q_fix' }), add(T0)])).get('wrong_1');
    expect(row).toMatchObject({ question_id: 'q_add', fix_id: `f${T0 + 5000}`, fix_result: 1, fix_result_desc: '订正', collect_time: new Date(T0) });
  });

  it('keeps the newest fix, whatever came later', async () => {
    const row = (await model([add(T0), fix(T0 + 9000, 1), fix(T0 + 3000, 0)])).get('wrong_1');
    expect(row).toMatchObject({ fix_id: `f${T0 + 9000}`, fix_result: 1, fix_time: new Date(T0 + 9000) });
  });

  it('keeps a delete against an older fix and lets a newer fix clear it (the delete columns stay)', async () => {
    expect((await model([add(T0), del(T0 + 5000), fix(T0 + 2000, 0)])).get('wrong_1')).toMatchObject({ is_deleted: 1, delete_reason: `r${T0 + 5000}` });
    expect((await model([add(T0), del(T0 + 5000), fix(T0 + 8000, 1)])).get('wrong_1')).toMatchObject({ is_deleted: 0, delete_reason: `r${T0 + 5000}` });
  });

  it('does not delete with a delete older than the add, nor clear with an add older than the delete', async () => {
    expect((await model([add(T0 + 6000), del(T0 + 1000)])).get('wrong_1')).toMatchObject({ is_deleted: 0, delete_time: new Date(T0 + 1000) });
    expect((await model([del(T0 + 6000), add(T0 + 1000)])).get('wrong_1')).toMatchObject({ is_deleted: 1, collect_time: new Date(T0 + 1000) });
  });

  it('keeps the newest delete columns and the envelope of the latest event', async () => {
    const row = (await model([add(T0), del(T0 + 9000), del(T0 + 4000), fix(T0 + 6000, 1)])).get('wrong_1');
    expect(row).toMatchObject({ delete_reason: `r${T0 + 9000}`, is_deleted: 1, event_id: `del-${T0 + 9000}`, event_type: 'wrongbook_delete', process_time: null });
  });

  it('sets collect_time once: the first add in event time, else a fix create_time, else wrong_question_record', async () => {
    expect((await model([add(T0 + 10), add(T0 + 20, {}, 'again')])).get('wrong_1')?.collect_time).toEqual(new Date(T0 + 10));
    expect((await model([fix(T0 + 100, 1, { create_time: T0 + 7 })])).get('wrong_1')?.collect_time).toEqual(new Date(T0 + 7));
    expect((await model([fix(T0 + 100, 1)])).get('wrong_1')?.collect_time).toEqual(new Date(T0)); // wrong_question_record
  });

  it('skips invalid events, other event types and withdrawn fixes, and counts each eventId once', async () => {
    const table = await model([
      add(T0),
      event('wrongbook_fix', { fix_id: 'bad', wrong_id: 'wrong_1', user_id: 'user_1', fix_result: 2, fix_time: T0 + 1 }, 'bad'),
      event('wrongbook_fix', { fix_id: 'gone', wrong_id: 'wrong_1', user_id: 'user_1', fix_result: 1, fix_time: T0 + 2, is_delete: 1 }, 'gone'),
      { ...event('wrongbook_review', { wrong_id: 'wrong_9' }), domain: 'wrongbook' },
      { ...fix(T0 + 3, 1), eventId: `add-${T0}` }, // a different event reusing an eventId: counted once (the first)
    ]);
    expect([...table.keys()]).toEqual(['wrong_1']);
    expect(table.get('wrong_1')).toMatchObject({ fix_id: null, event_id: `add-${T0}` });
  });

  it('gives the same table for any arrival order with any duplicates (fast-check)', async () => {
    const data = generateDimensionData({ seed: 3, patterns: 200, wrongQuestions: 400 });
    const events = decodeMessages(generateEvents(data, { seed: 3, questions: 60, badRate: 0.05, duplicateRate: 0 }));
    const dims = new MemoryDimensions(data);
    const expected = comparableTable((await referenceTable(events, { dimensions: dims, now: GENERATOR_EPOCH })).values(), WIDE_TABLE_COLUMNS);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: events.length, maxLength: events.length }),
        fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 40 }),
        async (ranks, duplicated) => {
          const arrival = [...events, ...duplicated.map((i) => events[i] as EventEnvelope)]
            .map((e, i) => ({ e, rank: ranks[i % ranks.length] ?? 0 }))
            .sort((a, b) => a.rank - b.rank)
            .map(({ e }) => e);
          const table = await referenceTable(arrival, { dimensions: dims, now: GENERATOR_EPOCH });
          expect(comparableTable(table.values(), WIDE_TABLE_COLUMNS)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
