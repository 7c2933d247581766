/**
 * The wide table `dwd_wrong_record_wide_delta` (spec §4) and the merge rules that make it come out the
 * same whatever the arrival order and however many duplicates. MERGE-RULES.md explains each choice.
 *
 * Each event kind has its own `wide_table` output spec, all built from {@link MERGE_RULES}: the same
 * column can merge differently depending on who writes it (an add's `subject` overwrites, a fix's only
 * fills a NULL), and a kind's spec lists only the columns that kind writes, so it never touches the
 * others (an add cannot clear a fix). The sinks render a spec into one upsert statement, so a row's
 * merge happens inside the database, atomically, under any number of writers.
 */
import type { ColumnSpec, MergePolicy, OutputSpec } from '@evroute/core';

/** The table name, the default target of the `wide_table` outputs. */
export const WIDE_TABLE = 'dwd_wrong_record_wide_delta';

/** The columns of spec §4, in table order. Fixed for compatibility: no column is added. */
export const WIDE_TABLE_COLUMNS = [
  'id', 'wrong_id', 'user_id', 'subject', 'subject_name', 'question_id', 'question', 'pattern_id', 'pattern_name',
  'teach_type_id', 'teach_type_name', 'chapter_id', 'collect_time', 'fix_id', 'fix_time', 'fix_result', 'fix_result_desc',
  'is_deleted', 'delete_time', 'delete_reason', 'event_id', 'event_type', 'process_time',
] as const;

/** A wide-table column name. */
export type WideColumn = (typeof WIDE_TABLE_COLUMNS)[number];

/** The add-side columns (spec §4): facts of the wrong question that an add fills and a fix only completes. */
export const ADD_SIDE_COLUMNS = [
  'user_id', 'subject', 'subject_name', 'question_id', 'question', 'pattern_id', 'pattern_name', 'teach_type_id', 'teach_type_name', 'chapter_id',
] as const satisfies readonly WideColumn[];

/** The fix columns: written by the newest fix (by `fix_time`). */
export const FIX_COLUMNS = ['fix_id', 'fix_time', 'fix_result', 'fix_result_desc'] as const satisfies readonly WideColumn[];

/** The delete columns: written by the newest delete (by `delete_time`). */
export const DELETE_COLUMNS = ['delete_time', 'delete_reason'] as const satisfies readonly WideColumn[];

/**
 * One wide-table row. Times are `Date` (DATETIME(3)); `id` is the signed decimal string of
 * `stableId(wrong_id)` (BIGINT).
 */
export type WideRow = {
  id: string;
  wrong_id: string;
  user_id: string | null;
  subject: string | null;
  subject_name: string | null;
  question_id: string | null;
  question: string | null;
  pattern_id: string | null;
  pattern_name: string | null;
  teach_type_id: string | null;
  teach_type_name: string | null;
  chapter_id: string | null;
  collect_time: Date | null;
  fix_id: string | null;
  fix_time: Date | null;
  fix_result: 0 | 1 | null;
  fix_result_desc: string | null;
  is_deleted: 0 | 1;
  delete_time: Date | null;
  delete_reason: string | null;
  event_id: string | null;
  event_type: string | null;
  process_time: Date | null;
};

/** The three wrongbook event kinds, by the suffix of their event type. */
export type WrongbookKind = 'add' | 'fix' | 'delete';

/** The event type (`type` of the envelope) of each kind. */
export const EVENT_TYPES: Readonly<Record<WrongbookKind, string>> = Object.freeze({
  add: 'wrongbook_add',
  fix: 'wrongbook_fix',
  delete: 'wrongbook_delete',
});

/** Fill, never overwrite: the first non-NULL value stays. */
const FILL: MergePolicy = 'fill-if-null';
/** Take every non-NULL value: the writer is authoritative for the column. */
const OWN: MergePolicy = 'overwrite-if-not-null';
const NEWEST_FIX: MergePolicy = { newestBy: 'fix_time' };
const NEWEST_DELETE: MergePolicy = { newestBy: 'delete_time' };
/** Set by a delete; cleared only by an add or fix whose time (collect_time / fix_time) is newer than delete_time. */
const DELETED: MergePolicy = { sticky: { since: 'delete_time', incoming: ['collect_time', 'fix_time'] } };
/**
 * `event_id`/`event_type`: the envelope of the *last* event, i.e. of the event with the greatest business
 * time (an add's collect_time, a fix's fix_time, a delete's delete_time): order-insensitive.
 */
const LAST_EVENT: MergePolicy = { newestBy: ['collect_time', 'fix_time', 'delete_time'] };
const IDENTITY: MergePolicy = 'set-once';

/** Per column, the merge policy of each kind's row; a kind missing from a column's entry does not write it. */
export const MERGE_RULES: Readonly<Record<WideColumn, Readonly<Partial<Record<WrongbookKind, MergePolicy>>>>> = Object.freeze({
  id: { add: IDENTITY, fix: IDENTITY, delete: IDENTITY },
  wrong_id: { add: IDENTITY, fix: IDENTITY, delete: IDENTITY },
  user_id: { add: OWN, fix: FILL, delete: FILL },
  subject: { add: OWN, fix: FILL },
  subject_name: { add: OWN, fix: FILL },
  question_id: { add: OWN, fix: FILL },
  question: { add: OWN },
  pattern_id: { add: OWN, fix: FILL },
  pattern_name: { add: OWN, fix: FILL },
  teach_type_id: { add: OWN, fix: FILL },
  teach_type_name: { add: OWN, fix: FILL },
  chapter_id: { add: OWN, fix: FILL },
  collect_time: { add: FILL, fix: FILL },
  fix_id: { fix: NEWEST_FIX },
  fix_time: { fix: NEWEST_FIX },
  fix_result: { fix: NEWEST_FIX },
  fix_result_desc: { fix: NEWEST_FIX },
  is_deleted: { add: DELETED, fix: DELETED, delete: DELETED },
  delete_time: { delete: NEWEST_DELETE },
  delete_reason: { delete: NEWEST_DELETE },
  event_id: { add: LAST_EVENT, fix: LAST_EVENT, delete: LAST_EVENT },
  event_type: { add: LAST_EVENT, fix: LAST_EVENT, delete: LAST_EVENT },
  process_time: { add: 'overwrite', fix: 'overwrite', delete: 'overwrite' },
});

/** The columns a kind writes, in table order. */
export function columnsOf(kind: WrongbookKind): readonly WideColumn[] {
  return WIDE_TABLE_COLUMNS.filter((column) => MERGE_RULES[column][kind] !== undefined);
}

function specOf(kind: WrongbookKind): OutputSpec {
  const columns: Record<string, ColumnSpec> = {};
  for (const column of WIDE_TABLE_COLUMNS) {
    const merge = MERGE_RULES[column][kind];
    if (merge !== undefined) columns[column] = Object.freeze({ merge });
  }
  return Object.freeze({
    description: `${WIDE_TABLE}: one row per wrong question; the ${EVENT_TYPES[kind]} merge rules (spec §4)`,
    key: Object.freeze(['id']),
    columns: Object.freeze(columns),
  });
}

/**
 * The `wide_table` output spec of each kind. Created once: sinks cache their statements per spec
 * object, so plugins must pass these very objects, not copies.
 */
export const WIDE_TABLE_SPECS: Readonly<Record<WrongbookKind, OutputSpec>> = Object.freeze({
  add: specOf('add'),
  fix: specOf('fix'),
  delete: specOf('delete'),
});

/** The row type a kind writes: its columns of {@link WideRow}. */
export type AddRow = Pick<WideRow, (typeof ADD_ROW_COLUMNS)[number]>;
/** The row a fix writes. */
export type FixRow = Pick<WideRow, (typeof FIX_ROW_COLUMNS)[number]>;
/** The row a delete writes. */
export type DeleteRow = Pick<WideRow, (typeof DELETE_ROW_COLUMNS)[number]>;

/** The columns of an add row (checked against {@link MERGE_RULES} by a test). */
export const ADD_ROW_COLUMNS = [
  'id', 'wrong_id', ...ADD_SIDE_COLUMNS, 'collect_time', 'is_deleted', 'event_id', 'event_type', 'process_time',
] as const satisfies readonly WideColumn[];
/** The columns of a fix row (checked against {@link MERGE_RULES} by a test). */
export const FIX_ROW_COLUMNS = [
  'id', 'wrong_id', 'user_id', 'subject', 'subject_name', 'question_id', 'pattern_id', 'pattern_name', 'teach_type_id',
  'teach_type_name', 'chapter_id', 'collect_time', ...FIX_COLUMNS, 'is_deleted', 'event_id', 'event_type', 'process_time',
] as const satisfies readonly WideColumn[];
/** The columns of a delete row (checked against {@link MERGE_RULES} by a test). */
export const DELETE_ROW_COLUMNS = [
  'id', 'wrong_id', 'user_id', 'is_deleted', ...DELETE_COLUMNS, 'event_id', 'event_type', 'process_time',
] as const satisfies readonly WideColumn[];
