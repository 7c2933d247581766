/**
 * Comparing wide tables: the model's rows with a sink's rows as read back. Only deterministic columns
 * are compared, as plain JSON values, whichever driver produced them.
 */
import { WIDE_TABLE_COLUMNS, type WideColumn } from './wide-table.js';

/**
 * `event_id`/`event_type`: the envelope of the event with the greatest business time (`newestBy` over
 * collect_time, fix_time, delete_time). Comparable, except when two events of a question share the same
 * millisecond (then the last write wins).
 */
export const LAST_EVENT_COLUMNS = ['event_id', 'event_type'] as const satisfies readonly WideColumn[];

/** Columns that can never be compared: `process_time` is the wall-clock time of the last write. */
export const WALL_CLOCK_COLUMNS = ['process_time'] as const satisfies readonly WideColumn[];

/** The columns that must be equal whatever the arrival order and duplicates. */
export const COMPARABLE_COLUMNS: readonly WideColumn[] = WIDE_TABLE_COLUMNS.filter((c) => !(WALL_CLOCK_COLUMNS as readonly string[]).includes(c));

/** A compared value: text, a number (times as epoch ms), or NULL. */
export type ComparableValue = string | number | null;

function comparable(column: string, value: unknown): ComparableValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (column === 'id' && typeof value === 'number') return String(value); // lossy above 2^53: read BIGINT as strings
  if (typeof value === 'string' || typeof value === 'number') return value;
  return JSON.stringify(value);
}

/**
 * A row reduced to `columns` as JSON values: `Date` → epoch ms, bigint → decimal string, boolean → 0/1.
 * For a MySQL read-back, use `supportBigNumbers` + `bigNumberStrings` (or `CAST(id AS CHAR)`) so `id`
 * keeps its 64 bits, and the pool's `timezone` the sink wrote with, so DATETIME values come back as the
 * same instants.
 */
export function comparableRow(row: Readonly<Record<string, unknown>>, columns: readonly string[] = COMPARABLE_COLUMNS): Record<string, ComparableValue> {
  const out: Record<string, ComparableValue> = {};
  for (const column of columns) out[column] = comparable(column, row[column]);
  return out;
}

/** Rows reduced with {@link comparableRow}, keyed and sorted by `wrong_id`: ready for a deep-equal. */
export function comparableTable(
  rows: Iterable<Readonly<Record<string, unknown>>>,
  columns: readonly string[] = COMPARABLE_COLUMNS,
): Record<string, Record<string, ComparableValue>> {
  const entries = [...rows].map((row) => [String(row['wrong_id']), comparableRow(row, columns)] as const);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}
