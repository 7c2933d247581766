/**
 * The wide-table row each event kind writes (spec §4 "from" column): the payload's values, else the
 * enriched ones, the code-table names, the envelope, and `process_time`. Pure: the same inputs give the
 * same row, which is what lets the reference model reuse these builders.
 */
import type { CodeTables } from './code-tables.js';
import type { EnrichedFacts } from './enrich.js';
import type { AddPayload } from './normalize-add.js';
import type { DeletePayload } from './normalize-delete.js';
import type { FixPayload } from './normalize-fix.js';
import { stableId } from './stable-id.js';
import type { AddRow, DeleteRow, FixRow } from './wide-table.js';

/** The envelope fields a row records. */
export interface EnvelopeRef {
  readonly eventId: string;
  readonly type: string;
}

function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

function subjectColumns(subject: string | null, tables: CodeTables): { subject: string | null; subject_name: string | null } {
  return { subject, subject_name: subject === null ? null : tables.subjects.nameOf(subject) };
}

/** The row of a `wrongbook_add`. */
export function addRow(payload: AddPayload, facts: EnrichedFacts, envelope: EnvelopeRef, tables: CodeTables, processTime: number): AddRow {
  return {
    id: stableId(payload.wrongId),
    wrong_id: payload.wrongId,
    user_id: payload.userId,
    ...subjectColumns(facts.subject, tables),
    question_id: payload.questionId,
    question: payload.question,
    pattern_id: facts.patternId,
    pattern_name: facts.patternName,
    teach_type_id: facts.teachTypeId,
    teach_type_name: facts.teachTypeName,
    chapter_id: facts.chapterId,
    collect_time: new Date(payload.createTime),
    is_deleted: 0,
    event_id: envelope.eventId,
    event_type: envelope.type,
    process_time: new Date(processTime),
  };
}

/** The row of a `wrongbook_fix`. */
export function fixRow(payload: FixPayload, facts: EnrichedFacts, envelope: EnvelopeRef, tables: CodeTables, processTime: number): FixRow {
  return {
    id: stableId(payload.wrongId),
    wrong_id: payload.wrongId,
    user_id: payload.userId,
    ...subjectColumns(facts.subject, tables),
    question_id: facts.questionId,
    pattern_id: facts.patternId,
    pattern_name: facts.patternName,
    teach_type_id: facts.teachTypeId,
    teach_type_name: facts.teachTypeName,
    chapter_id: facts.chapterId,
    collect_time: date(facts.createTime),
    fix_id: payload.fixId,
    fix_time: new Date(payload.fixTime),
    fix_result: payload.fixResult,
    fix_result_desc: payload.fixResultDesc ?? tables.fixResultName(payload.fixResult),
    is_deleted: 0,
    event_id: envelope.eventId,
    event_type: envelope.type,
    process_time: new Date(processTime),
  };
}

/** The row of a `wrongbook_delete`. */
export function deleteRow(payload: DeletePayload, envelope: EnvelopeRef, processTime: number): DeleteRow {
  return {
    id: stableId(payload.wrongId),
    wrong_id: payload.wrongId,
    user_id: payload.userId,
    is_deleted: 1,
    delete_time: new Date(payload.deleteTime),
    delete_reason: payload.deleteReason,
    event_id: envelope.eventId,
    event_type: envelope.type,
    process_time: new Date(processTime),
  };
}

/** A row as a JSON message body (for topic outputs): times as epoch ms, everything else as is. */
export function rowToMessage(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) out[column] = value instanceof Date ? value.getTime() : value;
  return out;
}
