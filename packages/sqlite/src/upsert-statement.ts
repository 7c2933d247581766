/**
 * Renders a merge plan into SQLite upsert SQL: `INSERT INTO t (…) VALUES (?, …) ON CONFLICT (key) DO
 * UPDATE SET …`, each assignment the SQL form of the column's `MergePolicy`. In SQLite every SET
 * expression sees the stored row (bare column names) and the incoming one (`excluded.col`), so the
 * assignment order does not matter; the expressions are the MySQL ones with `excluded.` for `VALUES()`.
 */
import type { EvrouteError, OutputSpec } from '@evroute/core';
import type { SQLInputValue } from 'node:sqlite';
import { sqliteError } from './errors.js';
import { compileMergePlan, type AssignedRule, type MergePlan } from '@evroute/sql-common';

/** Quotes a checked identifier for SQLite (double quotes, doubled inside as a second line of defence). */
export function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The SQL text of one (target, spec): one row per execution, parameters in `plan.columns` order. */
export interface UpsertStatement {
  readonly plan: MergePlan;
  readonly sql: string;
  /** Columns whose absent value is written as 0 instead of NULL (sticky flags). */
  readonly zeroWhenAbsent: ReadonlySet<string>;
}

/** `max()` that ignores NULLs (SQLite's multi-argument max returns NULL when any argument is NULL). */
function greatest(exprs: readonly string[]): string {
  const present = exprs.filter((e) => e !== 'NULL');
  if (present.length === 0) return 'NULL';
  if (present.length === 1) return present[0] ?? 'NULL';
  return `max(${present.map((e, i) => `COALESCE(${[e, ...present.filter((_, j) => j !== i)].join(', ')})`).join(', ')})`;
}

/** The SQL expression of `column`'s new value under `rule` (see `@evroute/mysql`'s `mergeExpression`). */
export function mergeExpression(column: string, rule: AssignedRule, plan: MergePlan): string {
  const stored = (name: string): string => quoteId(name);
  const incoming = (name: string): string => (plan.rules.has(name) ? `excluded.${quoteId(name)}` : 'NULL');
  const c = stored(column);
  const v = incoming(column);
  if (rule.kind === 'overwrite') return v;
  if (rule.kind === 'overwrite-if-not-null') return `COALESCE(${v}, ${c})`;
  if (rule.kind === 'fill-if-null') return `COALESCE(${c}, ${v})`;
  if (rule.kind === 'newest-by') {
    const by = greatest(rule.by.map(stored));
    return `CASE WHEN ${by} IS NULL OR COALESCE(${greatest(rule.by.map(incoming))} >= ${by}, 0) THEN ${v} ELSE ${c} END`;
  }
  const incomingSince = incoming(rule.since);
  const incomingTime = greatest(rule.incoming.map(incoming));
  const setting =
    incomingSince === 'NULL' ? v : `CASE WHEN COALESCE(${greatest(rule.incoming.map(stored))} > ${incomingSince}, 0) THEN ${c} ELSE ${v} END`;
  const clearing =
    incomingTime === 'NULL'
      ? `CASE WHEN COALESCE(${c}, 0) <> 0 THEN ${c} ELSE ${v} END`
      : `CASE WHEN COALESCE(${c}, 0) <> 0 AND NOT COALESCE(${incomingTime} > ${stored(rule.since)}, 0) THEN ${c} ELSE ${v} END`;
  return `CASE WHEN COALESCE(${v}, 0) <> 0 THEN ${setting} ELSE ${clearing} END`;
}

/** Renders the statement text of `plan`. */
export function renderUpsert(plan: MergePlan): UpsertStatement {
  const table = plan.tableParts.map(quoteId).join('.');
  const sets = plan.assignments.map(({ column, rule }) => `${quoteId(column)} = ${mergeExpression(column, rule, plan)}`);
  const sql =
    `INSERT INTO ${table} (${plan.columns.map(quoteId).join(', ')}) VALUES (${plan.columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (${plan.key.map(quoteId).join(', ')}) ` +
    (sets.length > 0 ? `DO UPDATE SET ${sets.join(', ')}` : 'DO NOTHING');
  const zeroWhenAbsent = new Set(plan.assignments.filter((a) => a.rule.kind === 'sticky').map((a) => a.column));
  return { plan, sql, zeroWhenAbsent };
}

/** Compiles and renders `spec` for `target`; throws the coded errors of `compileMergePlan`. */
export function compileUpsert(target: string, spec: OutputSpec): UpsertStatement {
  return renderUpsert(compileMergePlan(target, spec, 'SQLITE'));
}

function badValue(column: string, why: string, target: string): EvrouteError {
  return sqliteError('EVR_ERR_SQLITE_BAD_VALUE', `column "${column}" of table "${target}": ${why}`, { context: { table: target, column } });
}

/**
 * A JS value → a SQLite parameter: Dates as ISO-8601 UTC text (which sorts like time), booleans as 0/1,
 * objects and arrays as JSON text, bytes as a BLOB. Throws `EVR_ERR_SQLITE_BAD_VALUE` for NaN, an
 * invalid Date, a function or a symbol.
 */
export function toSqliteValue(value: unknown, column: string, target: string): SQLInputValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badValue(column, `${value} is not a finite number`, target);
    return value;
  }
  if (typeof value !== 'object') throw badValue(column, `a ${typeof value} cannot be written`, target);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw badValue(column, 'the Date is invalid', target);
    return value.toISOString();
  }
  if (value instanceof Uint8Array) return value;
  return JSON.stringify(value);
}

/** The parameters of one row in the statement's column order; see the MySQL sink for NULL rules. */
export function rowParams(statement: UpsertStatement, row: Readonly<Record<string, unknown>>): SQLInputValue[] {
  const { plan } = statement;
  return plan.columns.map((column) => {
    let value = toSqliteValue(row[column], column, plan.target);
    if (value === null && statement.zeroWhenAbsent.has(column)) value = 0;
    if (value === null && plan.key.includes(column)) throw badValue(column, 'a key column is NULL', plan.target);
    return value;
  });
}
