/**
 * Bad input (catalogue F14, F15, F16, F28 and event times): crafted messages mixed into a generated
 * stream. Each names the dead-letter code it must get, written here by hand (not derived from the
 * decoder), so the suite checks the router against the contract, not against itself; the few crafted
 * messages that are valid must reach the wide table like any event.
 */
import { GENERATOR_EPOCH, type Random } from '@evroute/wrongbook';
import type { WorkloadMessage } from './workload.js';

const DAY = 86_400_000;

function envelope(fields: Record<string, unknown>): Record<string, unknown> {
  return { domain: 'wrongbook', type: 'wrongbook_add', timestamp: GENERATOR_EPOCH, version: '1.0', source: 'math_app', ...fields };
}

function addPayload(wrongId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { wrong_id: wrongId, user_id: 'user_crafted', question_id: `q_${wrongId}`, create_time: GENERATOR_EPOCH - DAY, subject: 'MATH', ...extra };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function dead(label: string, value: Buffer | null, code: string, key: string | null = 'user_crafted'): WorkloadMessage {
  return { key, value, label: `crafted:${label}`, expect: { kind: 'dlq', codes: [code] } };
}

function valid(label: string, value: Buffer): WorkloadMessage {
  return { key: 'user_crafted', value, label: `crafted:${label}` };
}

/**
 * The crafted messages of one run (ids from `random`, so reruns with another seed use other rows).
 * `maxEventBytes` is the router's limit: one message goes just past it.
 */
export function craftedMessages(random: Random, maxEventBytes: number): WorkloadMessage[] {
  const id = (what: string): string => `crafted_${what}_${random.int(1_000_000_000)}`;
  const envelopeOnly = envelope({ eventId: id('ev'), payload: addPayload(id('w')) });
  const utf16 = Buffer.from(JSON.stringify(envelopeOnly), 'utf16le');
  const latin1 = Buffer.from(JSON.stringify(envelope({ eventId: id('latin1'), payload: addPayload(id('w'), { question: 'Café' }) })), 'latin1');
  return [
    // Not JSON, in several shapes.
    dead('plain text', Buffer.from('hello, this is not JSON', 'utf8'), 'EVR_ERR_DECODE_NOT_JSON'),
    dead('truncated JSON', json(envelopeOnly).subarray(0, 40), 'EVR_ERR_DECODE_NOT_JSON'),
    dead('empty value', Buffer.alloc(0), 'EVR_ERR_DECODE_NOT_JSON'),
    dead('null value (tombstone)', null, 'EVR_ERR_DECODE_NOT_JSON'),
    dead('binary garbage', Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x80, 0x81, 0x00]), 'EVR_ERR_DECODE_NOT_JSON', null),
    // Wrong encodings of a valid envelope.
    dead('UTF-16LE JSON', utf16, 'EVR_ERR_DECODE_NOT_JSON'),
    dead('Latin-1 JSON (invalid UTF-8)', latin1, 'EVR_ERR_DECODE_NOT_JSON'),
    // Envelope and schema failures.
    dead('JSON array', json([1, 2, 3]), 'EVR_ERR_DECODE_ENVELOPE'),
    dead('envelope without eventId', json(envelope({ payload: addPayload(id('w')) })), 'EVR_ERR_DECODE_ENVELOPE'),
    dead('event_time not ISO-8601', json({ ...envelope({ eventId: id('iso'), payload: addPayload(id('w')) }), timestamp: undefined, event_time: 'yesterday noon' }), 'EVR_ERR_DECODE_ENVELOPE'),
    dead('payload string not JSON', json(envelope({ eventId: id('ps'), payload: '{"wrong_id": ' })), 'EVR_ERR_DECODE_PAYLOAD'),
    dead('payload missing user_id', json(envelope({ eventId: id('miss'), payload: { wrong_id: id('w'), question_id: 'q1', create_time: GENERATOR_EPOCH } })), 'EVR_ERR_PROCESSOR_REJECTED'),
    dead('fix_result of the wrong type', json(envelope({ type: 'wrongbook_fix', eventId: id('type'), payload: { fix_id: id('f'), wrong_id: id('w'), user_id: 'u', fix_result: 'yes', fix_time: GENERATOR_EPOCH } })), 'EVR_ERR_PROCESSOR_REJECTED'),
    dead('unknown event type', json(envelope({ type: 'wrongbook_teleport', eventId: id('unk'), payload: {} })), 'EVR_ERR_ROUTE_UNMATCHED'),
    dead('unknown domain', json(envelope({ domain: 'shop', type: 'order_paid', eventId: id('dom'), payload: {} })), 'EVR_ERR_ROUTE_UNMATCHED'),
    // Oversized: past the router's limit, and a row too big for its column (refused by the database).
    dead('value past maxEventBytes', json(envelope({ eventId: id('big'), payload: addPayload(id('w'), { question: 'x'.repeat(maxEventBytes) }) })), 'EVR_ERR_DECODE_TOO_LARGE'),
    dead('question longer than its TEXT column', json(envelope({ eventId: id('col'), payload: addPayload(id('w'), { question: '题'.repeat(30_000) }) })), 'EVR_ERR_MYSQL_ROW_REJECTED'),
    dead('wrong_id longer than its column', json(envelope({ eventId: id('wid'), payload: addPayload('w'.repeat(65)) })), 'EVR_ERR_PROCESSOR_REJECTED'),
    // Event times far in the past and the future.
    dead('create_time in the year 2100', json(envelope({ eventId: id('future'), payload: addPayload(id('w'), { create_time: Date.UTC(2100, 0, 1) }) })), 'EVR_ERR_PROCESSOR_REJECTED'),
    dead('fix_time ten minutes ahead', json(envelope({ type: 'wrongbook_fix', eventId: id('ahead'), payload: { fix_id: id('f'), wrong_id: id('w'), user_id: 'u', fix_result: 1, fix_time: Date.now() + 10 * 60_000 } })), 'EVR_ERR_PROCESSOR_REJECTED'),
    dead('negative create_time', json(envelope({ eventId: id('neg'), payload: addPayload(id('w'), { create_time: -1 }) })), 'EVR_ERR_PROCESSOR_REJECTED'),
    valid('create_time at the epoch (1970)', json(envelope({ eventId: id('epoch'), payload: addPayload(id('w'), { create_time: 0 }) }))),
    valid('envelope timestamp in the year 9999', json(envelope({ eventId: id('ts9999'), timestamp: Date.UTC(9999, 0, 1), payload: addPayload(id('w')) }))),
    valid('envelope event_time in 1901', json({ ...envelope({ eventId: id('ts1901'), payload: addPayload(id('w')) }), timestamp: undefined, event_time: '1901-12-13T20:45:52Z' })),
  ];
}
