/**
 * An in-memory table that merges rows by an OutputSpec's MergePolicy exactly as the upsert SQL does
 * (packages/mysql/src/upsert-statement.ts: every rule reads the *stored* values, absent columns are
 * NULL, a sticky flag absent from the row is 0). It also understands the proposed list form of
 * `newestBy` (MERGE-RULES.md), so tests can show that proposal makes `event_id`/`event_type`
 * order-insensitive too.
 */
import type { OutputSpec } from '@evroute/core';
import { WIDE_TABLE_COLUMNS } from '@evroute/wrongbook';

/** MergePolicy plus the proposed `{ newestBy: string[] }`. */
export type SimulatedPolicy =
  | 'overwrite'
  | 'overwrite-if-not-null'
  | 'set-once'
  | 'fill-if-null'
  | { readonly newestBy: string | readonly string[] }
  | { readonly sticky: { readonly since: string; readonly incoming: readonly string[] } };

/** An OutputSpec whose policies may use the proposed forms. */
export interface SimulatedSpec {
  readonly key?: readonly string[];
  readonly columns?: Readonly<Record<string, { readonly merge?: SimulatedPolicy }>>;
}

type Row = Record<string, unknown>;

function time(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  throw new Error(`not a comparable value: ${JSON.stringify(value)}`);
}

/** SQL's null-ignoring GREATEST over the columns: NULL when all are NULL. */
function greatest(row: Row, columns: readonly string[]): number | null {
  let best: number | null = null;
  for (const column of columns) {
    const t = time(row[column]);
    if (t !== null && (best === null || t > best)) best = t;
  }
  return best;
}

function truthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== 0;
}

/** A table keyed by the spec's key columns. */
export class SimulatedTable {
  readonly rows = new Map<string, Row>();

  /** Upserts `row` under `spec`, as `INSERT … ON DUPLICATE KEY UPDATE` would. */
  apply(spec: OutputSpec | SimulatedSpec, row: Readonly<Row>): void {
    const columns = (spec.columns ?? {}) as Readonly<Record<string, { readonly merge?: SimulatedPolicy }>>;
    const key = (spec.key ?? []).map((k) => String(row[k])).join('|');
    const written = new Set(Object.keys(columns));
    const incoming: Row = {};
    for (const column of WIDE_TABLE_COLUMNS) {
      const policy = columns[column]?.merge;
      const value = written.has(column) ? (row[column] ?? null) : null;
      incoming[column] = value === null && typeof policy === 'object' && 'sticky' in policy ? 0 : value;
    }
    const stored = this.rows.get(key);
    if (stored === undefined) {
      const fresh: Row = {};
      for (const column of WIDE_TABLE_COLUMNS) fresh[column] = written.has(column) ? incoming[column] : column === 'is_deleted' ? 0 : null;
      this.rows.set(key, fresh);
      return;
    }
    const next: Row = { ...stored };
    for (const [column, { merge = 'overwrite' }] of Object.entries(columns)) {
      if ((spec.key ?? []).includes(column)) continue;
      next[column] = merged(merge, column, stored, incoming);
    }
    this.rows.set(key, next);
  }
}

function merged(policy: SimulatedPolicy, column: string, stored: Row, incoming: Row): unknown {
  const c = stored[column] ?? null;
  const v = incoming[column] ?? null;
  if (policy === 'overwrite') return v;
  if (policy === 'overwrite-if-not-null') return v ?? c;
  if (policy === 'set-once') return c;
  if (policy === 'fill-if-null') return c ?? v;
  if ('newestBy' in policy) {
    const by = typeof policy.newestBy === 'string' ? [policy.newestBy] : policy.newestBy;
    const s = greatest(stored, by);
    const i = greatest(incoming, by);
    return s === null || (i !== null && i >= s) ? v : c;
  }
  const { since, incoming: times } = policy.sticky;
  if (truthy(v)) {
    // An incoming set keeps the stored flag when the stored add/fix time is newer than this delete.
    const storedTime = greatest(stored, times);
    const incomingSince = time(incoming[since]);
    return storedTime !== null && incomingSince !== null && storedTime > incomingSince ? c : v;
  }
  // An incoming clear keeps a set flag unless its own time is newer than the stored since.
  const incomingTime = greatest(incoming, times);
  const storedSince = time(stored[since]);
  return truthy(c) && !(incomingTime !== null && storedSince !== null && incomingTime > storedSince) ? c : v;
}
