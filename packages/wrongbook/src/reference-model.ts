/**
 * The reference model of the wide table: the oracle that property tests and the end-to-end tests
 * compare real sinks with. It applies the rules of spec §4 the simple way, one event after another in
 * event-time order, each event once, to rows in memory; the sinks must reach the same table in any
 * arrival order with any duplicates, through their upserts.
 *
 * What an event says (validation, enrichment, its row) comes from `interpret.ts`, the very code the
 * plugins run; only the merging is written again here, from the spec's sentences, not from the merge
 * policies. Event time is the time the event is about, the same time the merge rules compare: an add's
 * `create_time` (its `collect_time`), a fix's `fix_time`, a delete's `delete_time` (see
 * {@link rowTime}); ties go add, fix, delete, then envelope `timestamp`, then `eventId`.
 */
import type { EventEnvelope } from '@evroute/core';
import { compileCodeTables, type CodeTables } from './code-tables.js';
import type { DimensionLookups } from './dimensions.js';
import { interpretAdd, interpretDelete, interpretFix, kindOf } from './interpret.js';
import { stableId } from './stable-id.js';
import {
  ADD_SIDE_COLUMNS,
  DELETE_COLUMNS,
  FIX_COLUMNS,
  type AddRow,
  type DeleteRow,
  type FixRow,
  type WideRow,
  type WrongbookKind,
} from './wide-table.js';

/** What the model needs besides the events. */
export interface ReferenceModelOptions {
  /** The code tables the plugins ran with; default the spec's. */
  readonly tables?: CodeTables;
  /** The dimension data the plugins saw; default none (no enrichment). */
  readonly dimensions?: DimensionLookups;
  /** The validation reference time, epoch ms (the plugins use their clock). */
  readonly now: number;
}

/** One valid event, ready to apply. */
type Applied =
  | { readonly kind: 'add'; readonly row: AddRow; readonly time: number; readonly timestamp: number; readonly eventId: string }
  | { readonly kind: 'fix'; readonly row: FixRow; readonly time: number; readonly timestamp: number; readonly eventId: string }
  | { readonly kind: 'delete'; readonly row: DeleteRow; readonly time: number; readonly timestamp: number; readonly eventId: string };

const KIND_ORDER: Readonly<Record<WrongbookKind, number>> = { add: 0, fix: 1, delete: 2 };
const FIX_FILLED = ADD_SIDE_COLUMNS.filter((c) => c !== 'question');

function ms(value: Date | null | undefined): number | null {
  return value === null || value === undefined ? null : value.getTime();
}

/**
 * The time an event is about, from its row: the greatest of the time columns the row carries (an
 * add's `collect_time`, a fix's `fix_time`, which is never before its `collect_time` in valid data,
 * a delete's `delete_time`). The merge policies compare these same columns.
 */
export function rowTime(row: Partial<Pick<WideRow, 'collect_time' | 'fix_time' | 'delete_time'>>): number {
  return Math.max(ms(row.collect_time) ?? -1, ms(row.fix_time) ?? -1, ms(row.delete_time) ?? -1);
}

/** A row with only its identity: what the table holds before any event of a wrong_id is applied. */
export function emptyRow(wrongId: string): WideRow {
  return {
    id: stableId(wrongId), wrong_id: wrongId, user_id: null, subject: null, subject_name: null, question_id: null, question: null,
    pattern_id: null, pattern_name: null, teach_type_id: null, teach_type_name: null, chapter_id: null, collect_time: null,
    fix_id: null, fix_time: null, fix_result: null, fix_result_desc: null, is_deleted: 0, delete_time: null, delete_reason: null,
    event_id: null, event_type: null, process_time: null,
  };
}

async function interpretAll(events: Iterable<EventEnvelope>, options: ReferenceModelOptions): Promise<Applied[]> {
  const opts = { tables: options.tables ?? compileCodeTables(), dimensions: options.dimensions, now: options.now };
  const seen = new Set<string>();
  const applied: Applied[] = [];
  for (const event of events) {
    if (seen.has(event.eventId)) continue; // at-least-once: each event counts once
    seen.add(event.eventId);
    const base = { timestamp: event.timestamp, eventId: event.eventId };
    const kind = kindOf(event.type);
    if (kind === 'add') {
      const r = await interpretAdd(event, opts);
      if (r.ok) applied.push({ kind, row: r.row, time: rowTime(r.row), ...base });
    } else if (kind === 'fix') {
      const r = await interpretFix(event, opts);
      if (r.ok && r.row !== null) applied.push({ kind, row: r.row, time: rowTime(r.row), ...base });
    } else if (kind === 'delete') {
      const r = interpretDelete(event, opts);
      if (r.ok) applied.push({ kind, row: r.row, time: rowTime(r.row), ...base });
    }
  }
  return applied.sort(
    (a, b) =>
      a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
  );
}

/** The latest time of an add or fix the row has seen. */
function liveTime(row: WideRow): number {
  return Math.max(ms(row.collect_time) ?? -1, ms(row.fix_time) ?? -1);
}

/** An add or fix at `time`: a deletion stays unless this event is newer than `delete_time`. */
function revive(row: WideRow, time: number): void {
  const deletedAt = ms(row.delete_time);
  if (row.is_deleted === 1 && deletedAt !== null && time > deletedAt) row.is_deleted = 0;
}

function apply(row: WideRow, event: Applied): void {
  switch (event.kind) {
    case 'add': {
      // An add fills the add-side columns with what it knows; collect_time is set once.
      for (const column of ADD_SIDE_COLUMNS) if (event.row[column] !== null) row[column] = event.row[column];
      row.collect_time ??= event.row.collect_time;
      revive(row, event.time);
      break;
    }
    case 'fix': {
      // A fix fills add-side columns that are still NULL, never overwrites them; newest fix wins.
      for (const column of FIX_FILLED) row[column] ??= event.row[column];
      row.collect_time ??= event.row.collect_time;
      const stored = ms(row.fix_time);
      if (stored === null || event.time >= stored) for (const column of FIX_COLUMNS) Object.assign(row, { [column]: event.row[column] });
      revive(row, event.time);
      break;
    }
    case 'delete': {
      // A delete sets the delete columns (the newest delete's) and is_deleted, unless the row already
      // holds an add or fix newer than it: order-insensitivity is the spec's rule read in both orders.
      row.user_id ??= event.row.user_id;
      const stored = ms(row.delete_time);
      if (stored === null || event.time >= stored) for (const column of DELETE_COLUMNS) Object.assign(row, { [column]: event.row[column] });
      if (!(liveTime(row) > event.time)) row.is_deleted = 1;
      break;
    }
  }
}

/**
 * Applies `events` (decoded envelopes of any domain and type, in any order, with duplicates and
 * invalid ones) to an empty wide table and returns its rows by `wrong_id`. Invalid events are skipped
 * (the plugins dead-letter them), and so are withdrawn fixes. `event_id`/`event_type` are the latest
 * event's (greatest {@link rowTime}), `process_time` is null.
 */
export async function referenceTable(events: Iterable<EventEnvelope>, options: ReferenceModelOptions): Promise<Map<string, WideRow>> {
  const table = new Map<string, WideRow>();
  const latest = new Map<string, number>();
  for (const event of await interpretAll(events, options)) {
    const wrongId = event.row.wrong_id;
    let row = table.get(wrongId);
    if (row === undefined) {
      row = emptyRow(wrongId);
      table.set(wrongId, row);
    }
    apply(row, event);
    if (event.time >= (latest.get(wrongId) ?? -1)) {
      latest.set(wrongId, event.time);
      row.event_id = event.eventId;
      row.event_type = event.row.event_type;
    }
  }
  return table;
}
