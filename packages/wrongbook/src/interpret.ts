/**
 * What one wrongbook event means for the wide table: normalise and validate the payload, enrich it,
 * build the row. The plugins run exactly this per event, and the reference model runs it too, so the
 * model differs from the plugins only in how rows are merged.
 */
import type { EventEnvelope } from '@evroute/core';
import type { CodeTables } from './code-tables.js';
import type { DimensionLookups } from './dimensions.js';
import { enrich, type LookupObserver } from './enrich.js';
import { normalizeAdd, type AddPayload } from './normalize-add.js';
import { normalizeDelete, type DeletePayload } from './normalize-delete.js';
import { normalizeFix, type FixPayload } from './normalize-fix.js';
import type { Normalized } from './payload-reader.js';
import { addRow, deleteRow, fixRow } from './wide-row.js';
import { EVENT_TYPES, type AddRow, type DeleteRow, type FixRow, type WrongbookKind } from './wide-table.js';

/** Longest `event_id` the wide table stores (`VARCHAR(128)`). */
export const MAX_EVENT_ID_LENGTH = 128;
/** Longest `event_type` the wide table stores (`VARCHAR(64)`). */
export const MAX_EVENT_TYPE_LENGTH = 64;

/** What interpreting an event needs. */
export interface InterpretOptions {
  readonly tables: CodeTables;
  /** The dimension service; `undefined` = no enrichment (derived columns stay NULL). */
  readonly dimensions: DimensionLookups | undefined;
  /** Now, epoch ms: the validation reference and `process_time`. */
  readonly now: number;
  readonly observe?: LookupObserver;
  /** How far in the future payload times may be; default five minutes (spec §2). */
  readonly maxFutureMs?: number;
}

/** An interpreted event: its payload and row, or why it is invalid. */
export type Interpretation<P, R> =
  | { readonly ok: true; readonly payload: P; readonly row: R }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The kind of an event type (`wrongbook_fix` → `fix`), or undefined for other types. */
export function kindOf(eventType: string): WrongbookKind | undefined {
  return eventType === EVENT_TYPES.add ? 'add' : eventType === EVENT_TYPES.fix ? 'fix' : eventType === EVENT_TYPES.delete ? 'delete' : undefined;
}

function envelopeProblems(event: EventEnvelope): string[] {
  const problems: string[] = [];
  if (event.eventId.length > MAX_EVENT_ID_LENGTH) problems.push(`eventId: must be at most ${MAX_EVENT_ID_LENGTH} characters (the event_id column)`);
  if (event.type.length > MAX_EVENT_TYPE_LENGTH) problems.push(`type: must be at most ${MAX_EVENT_TYPE_LENGTH} characters (the event_type column)`);
  return problems;
}

function check<P>(event: EventEnvelope, normalized: Normalized<P>): { ok: true; payload: P } | { ok: false; problems: readonly string[] } {
  const problems = [...envelopeProblems(event), ...(normalized.ok ? [] : normalized.problems)];
  return problems.length > 0 || !normalized.ok ? { ok: false, problems } : normalized;
}

/** Interprets a `wrongbook_add`. Never rejects. */
export async function interpretAdd(event: EventEnvelope, options: InterpretOptions): Promise<Interpretation<AddPayload, AddRow>> {
  const checked = check(event, normalizeAdd(event.payload, { subjects: options.tables.subjects, now: options.now, ...maxFuture(options) }));
  if (!checked.ok) return checked;
  const { payload } = checked;
  const facts = await enrich(
    { wrongId: payload.wrongId, subject: payload.subject, questionId: payload.questionId, patternId: payload.patternId, chapterId: payload.chapterId, createTime: payload.createTime },
    options.dimensions,
    options.tables.subjects,
    options.observe,
  );
  return { ok: true, payload, row: addRow(payload, facts, event, options.tables, options.now) };
}

/**
 * Interprets a `wrongbook_fix`. `row` is `null` for a fix record withdrawn upstream (`is_delete = 1`),
 * which writes nothing. Never rejects.
 */
export async function interpretFix(event: EventEnvelope, options: InterpretOptions): Promise<Interpretation<FixPayload, FixRow | null>> {
  const checked = check(event, normalizeFix(event.payload, { subjects: options.tables.subjects, now: options.now, ...maxFuture(options) }));
  if (!checked.ok) return checked;
  const { payload } = checked;
  if (payload.isDelete === 1) return { ok: true, payload, row: null };
  const facts = await enrich(
    { wrongId: payload.wrongId, subject: payload.subject, questionId: payload.questionId, patternId: payload.patternId, chapterId: payload.chapterId, createTime: payload.createTime },
    options.dimensions,
    options.tables.subjects,
    options.observe,
  );
  return { ok: true, payload, row: fixRow(payload, facts, event, options.tables, options.now) };
}

/** Interprets a `wrongbook_delete` (no enrichment: a delete writes only its own columns). */
export function interpretDelete(event: EventEnvelope, options: Omit<InterpretOptions, 'dimensions' | 'observe'>): Interpretation<DeletePayload, DeleteRow> {
  const checked = check(event, normalizeDelete(event.payload, { subjects: options.tables.subjects, now: options.now, ...maxFuture(options) }));
  if (!checked.ok) return checked;
  return { ok: true, payload: checked.payload, row: deleteRow(checked.payload, event, options.now) };
}

function maxFuture(options: { readonly maxFutureMs?: number }): { maxFutureMs?: number } {
  return options.maxFutureMs === undefined ? {} : { maxFutureMs: options.maxFutureMs };
}
