import { describe, expect, it } from 'vitest';
import { decodeRecord, type SourceRecord } from '@evroute/core';

const at = (value: SourceRecord['value']): SourceRecord => ({ value, key: 'k', headers: { h: '1' }, topic: 't', partition: 2, offset: '41' });

describe('decodeRecord', () => {
  it('decodes the envelope of spec §1 with transport metadata', () => {
    const result = decodeRecord(at(Buffer.from(JSON.stringify({ domain: 'wrongbook', type: 'wrongbook_add', eventId: 'e1', timestamp: 1700000000000, payload: { wrong_id: 'w' }, version: '1.0', source: 'math_app' }))));
    expect(result).toEqual({
      ok: true,
      event: {
        domain: 'wrongbook',
        type: 'wrongbook_add',
        eventId: 'e1',
        timestamp: 1700000000000,
        payload: { wrong_id: 'w' },
        version: '1.0',
        source: 'math_app',
        meta: { topic: 't', partition: 2, offset: '41', key: 'k', headers: { h: '1' } },
      },
    });
  });

  it('accepts an ISO-8601 event_time instead of timestamp, and a payload given as a JSON string', () => {
    const result = decodeRecord(at(JSON.stringify({ domain: 'd', type: 't', eventId: 'e', event_time: '2024-05-01T08:00:00.123Z', payload: '{"a":1}' })));
    expect(result.ok && result.event.timestamp).toBe(Date.parse('2024-05-01T08:00:00.123Z'));
    expect(result.ok && result.event.payload).toEqual({ a: 1 });
  });

  it.each([
    ['not JSON', Buffer.from('{oops'), 'EVR_ERR_DECODE_NOT_JSON'],
    ['not UTF-8', Buffer.from([0xc3, 0x28]), 'EVR_ERR_DECODE_NOT_JSON'],
    ['null value', null, 'EVR_ERR_DECODE_NOT_JSON'],
    ['an array', '[1,2]', 'EVR_ERR_DECODE_ENVELOPE'],
    ['no event time', JSON.stringify({ domain: 'd', type: 't', eventId: 'e', payload: {} }), 'EVR_ERR_DECODE_ENVELOPE'],
    ['empty domain', JSON.stringify({ domain: '', type: 't', eventId: 'e', timestamp: 1, payload: {} }), 'EVR_ERR_DECODE_ENVELOPE'],
    ['negative timestamp', JSON.stringify({ domain: 'd', type: 't', eventId: 'e', timestamp: -5, payload: {} }), 'EVR_ERR_DECODE_ENVELOPE'],
    ['bad event_time', JSON.stringify({ domain: 'd', type: 't', eventId: 'e', event_time: 'soon', payload: {} }), 'EVR_ERR_DECODE_ENVELOPE'],
    ['payload string not JSON', JSON.stringify({ domain: 'd', type: 't', eventId: 'e', timestamp: 1, payload: 'x' }), 'EVR_ERR_DECODE_PAYLOAD'],
    ['payload string holding an array', JSON.stringify({ domain: 'd', type: 't', eventId: 'e', timestamp: 1, payload: '[1]' }), 'EVR_ERR_DECODE_PAYLOAD'],
  ])('refuses %s with a coded error', (_, value, code) => {
    const result = decodeRecord(at(value));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe(code);
    expect(!result.ok && result.error.context).toMatchObject({ topic: 't', partition: 2, offset: '41' });
  });

  it('refuses values over the size limit before parsing them', () => {
    const result = decodeRecord(at(Buffer.alloc(2048, 0x20)), { maxBytes: 1024 });
    expect(!result.ok && result.error.code).toBe('EVR_ERR_DECODE_TOO_LARGE');
  });
});
