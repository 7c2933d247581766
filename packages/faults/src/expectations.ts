/**
 * What each produced message must lead to, worked out independently of the router process: the
 * message is decoded with core's `decodeRecord` (same size limit) and interpreted with the wrongbook
 * domain code the plugins run (`interpretAdd|Fix|Delete`, no enrichment), so the suite knows whether it
 * must show in the wide table (and by which column), must be in the dead-letter table (and with which
 * code), or has no effect. The valid events also feed the oracle table (`referenceTable`).
 */
import { decodeRecord, type EventEnvelope } from '@evroute/core';
import { compileCodeTables, interpretAdd, interpretDelete, interpretFix, kindOf } from '@evroute/wrongbook';
import type { ProducedMessage } from './workload.js';

/** The time column an event is reflected by, once written. */
export type ReflectingColumn = 'collect_time' | 'fix_time' | 'delete_time';

/** The outcome a message must have. */
export type Expectation =
  /** A valid event: its row exists and `column` is at least `atLeast` (epoch ms); the merge rules only move these forward. */
  | { readonly kind: 'row'; readonly wrongId: string; readonly column: ReflectingColumn; readonly atLeast: number }
  /** A dead letter at the message's position, with one of `codes`, holding the original bytes. */
  | { readonly kind: 'dlq'; readonly codes: readonly string[] }
  /** No effect (a withdrawn fix). */
  | { readonly kind: 'none' };

/** Where the expectation of a message comes from. */
export interface Expected {
  readonly produced: ProducedMessage;
  readonly expectation: Expectation;
  /** The decoded event, when it is one the oracle table applies. */
  readonly event: EventEnvelope | undefined;
}

const tables = compileCodeTables();

/** The expectation of one produced message (see the module comment). */
export async function expectationOf(produced: ProducedMessage, topic: string, maxEventBytes: number): Promise<Expected> {
  const { message } = produced;
  const decoded = decodeRecord(
    { value: message.value, key: message.key, headers: message.headers ?? {}, topic, partition: produced.partition, offset: String(produced.offset) },
    { maxBytes: maxEventBytes },
  );
  if (message.expect !== undefined) return { produced, expectation: message.expect, event: undefined };
  if (!decoded.ok) return { produced, expectation: { kind: 'dlq', codes: [decoded.error.code] }, event: undefined };
  const event = decoded.event;
  const kind = event.domain === 'wrongbook' ? kindOf(event.type) : undefined;
  const unmatched: Expected = { produced, expectation: { kind: 'dlq', codes: ['EVR_ERR_ROUTE_UNMATCHED'] }, event: undefined };
  const rejected: Expected = { produced, expectation: { kind: 'dlq', codes: ['EVR_ERR_PROCESSOR_REJECTED'] }, event: undefined };
  const options = { tables, dimensions: undefined, now: Date.now() };
  if (kind === undefined) return unmatched;
  if (kind === 'add') {
    const r = await interpretAdd(event, options);
    if (!r.ok) return rejected;
    // collect_time is set once, possibly by a fix carrying the same create_time first: "set" is the check.
    return { produced, expectation: { kind: 'row', wrongId: r.row.wrong_id, column: 'collect_time', atLeast: 0 }, event };
  }
  if (kind === 'fix') {
    const r = await interpretFix(event, options);
    if (!r.ok) return rejected;
    if (r.row === null) return { produced, expectation: { kind: 'none' }, event };
    return { produced, expectation: { kind: 'row', wrongId: r.row.wrong_id, column: 'fix_time', atLeast: ms(r.row.fix_time) }, event };
  }
  const r = interpretDelete(event, options);
  if (!r.ok) return rejected;
  return { produced, expectation: { kind: 'row', wrongId: r.row.wrong_id, column: 'delete_time', atLeast: ms(r.row.delete_time) }, event };
}

function ms(value: Date | null): number {
  return value === null ? 0 : value.getTime();
}

/** The expectations of every produced message. */
export async function expectationsOf(produced: readonly ProducedMessage[], topic: string, maxEventBytes: number): Promise<Expected[]> {
  const out: Expected[] = [];
  for (const p of produced) out.push(await expectationOf(p, topic, maxEventBytes));
  return out;
}

/**
 * Whether a row as read back reflects an expected event: the row exists and the event's time column is
 * at least the event's time. `row` holds the three columns as epoch ms (or null).
 */
export function reflects(expectation: Extract<Expectation, { kind: 'row' }>, row: Readonly<Record<ReflectingColumn, number | null>> | undefined): boolean {
  const value = row?.[expectation.column];
  return value !== null && value !== undefined && value >= expectation.atLeast;
}
