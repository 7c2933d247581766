import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import { MemoryDimensions, stableId, WIDE_TABLE_SPECS } from '@evroute/wrongbook';
import wrongbookDelete, { JAVA_CLASS } from '@evroute/plugin-wrongbook-delete';
import { harness, route, type Harness } from './harness.js';

const DELETE_TIME = Date.now() - 60_000;
const del = { wrong_id: 'wrong_1', user_id: 'user_1', delete_time: DELETE_TIME, delete_reason: '已掌握', delete_source: 'user' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.router.stop();
  h = undefined;
});

describe('wrongbook-delete', () => {
  it('declares the manifest the spec asks for', () => {
    expect(wrongbookDelete).toMatchObject({ kind: 'evroute-plugin', name: 'wrongbook-delete', version: '1.0.0', core: '^0.1.0', aliases: [JAVA_CLASS] });
    expect(JAVA_CLASS).toBe('com.flink.realtime.topics.wrongbook.processor.WrongbookDeleteProcessor');
    expect(wrongbookDelete.outputs?.['wide_table']).toBe(WIDE_TABLE_SPECS.delete);
    expect(Object.keys(wrongbookDelete.outputs ?? {})).toEqual(['wide_table', 'audit']);
  });

  it('is routed by its Java class name, marks the row deleted and writes an audit record, without any lookup', async () => {
    const dimensions = new MemoryDimensions();
    h = await harness([wrongbookDelete], [route('1', 'wrongbook_delete', JAVA_CLASS)], { dimensions });
    const eventId = h.send('wrongbook_delete', del);
    await h.settled();
    expect(h.db.target('dwd_wrong_record_wide_delta').map((r) => r.value)).toEqual([
      {
        id: stableId('wrong_1'), wrong_id: 'wrong_1', user_id: 'user_1', is_deleted: 1, delete_time: new Date(DELETE_TIME), delete_reason: '已掌握',
        event_id: eventId, event_type: 'wrongbook_delete', process_time: expect.any(Date),
      },
    ]);
    expect(h.kafka.target('wrongbook-audit')).toEqual([
      expect.objectContaining({
        key: 'user_1',
        value: { action: 'wrongbook_delete', wrong_id: 'wrong_1', user_id: 'user_1', delete_time: DELETE_TIME, delete_reason: '已掌握', delete_source: 'user', event_id: eventId, event_type: 'wrongbook_delete', process_time: expect.any(Number) },
      }),
    ]);
    expect(dimensions.calls).toEqual({ wrongQuestionRecord: 0, pattern: 0, teachingTypeLinks: 0, teachingType: 0 });
  });

  it('reads camelCase payloads', async () => {
    h = await harness([wrongbookDelete], [route('1', 'wrongbook_delete', 'wrongbook-delete')]);
    h.send('wrongbook_delete', { wrongId: 'wrong_1', userId: 'user_1', deleteTime: String(DELETE_TIME), deleteReason: '已掌握' });
    await h.settled();
    expect(h.db.records[0]?.value).toMatchObject({ wrong_id: 'wrong_1', delete_time: new Date(DELETE_TIME), delete_reason: '已掌握', is_deleted: 1 });
  });

  it('rejects a delete without delete_time to the dead-letter output', async () => {
    h = await harness([wrongbookDelete], [route('1', 'wrongbook_delete', 'wrongbook-delete')]);
    const eventId = h.send('wrongbook_delete', { ...del, delete_time: undefined });
    await h.settled();
    expect(h.db.records).toEqual([]);
    expect(h.dlq.records).toEqual([expect.objectContaining({ code: 'EVR_ERR_PROCESSOR_REJECTED', eventId, message: 'invalid wrongbook_delete payload: delete_time: required' })]);
  });

  it('ships disabled as in the original deployment and starts working when enabled, without a restart', async () => {
    h = await harness([wrongbookDelete], [route('1', 'wrongbook_delete', JAVA_CLASS, { enabled: false, config: { emit_audit: false } })]);
    h.send('wrongbook_delete', del);
    await h.settled();
    expect(h.dlq.withCode('EVR_ERR_ROUTE_UNMATCHED')).toHaveLength(1);
    h.config.upsert(route('1', 'wrongbook_delete', JAVA_CLASS, { enabled: true, config: { emit_audit: false } }));
    await waitFor(() => h?.router.table().lookup('wrongbook', 'wrongbook_delete').length === 1);
    h.send('wrongbook_delete', del);
    await h.settled();
    expect(h.db.records).toHaveLength(1);
    expect(h.kafka.records).toEqual([]);
  });
});
