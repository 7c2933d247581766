/**
 * Renders a merge plan into MySQL/MariaDB upsert SQL: `INSERT INTO t (…) VALUES (…),(…) ON DUPLICATE KEY
 * UPDATE …`, each assignment the SQL form of the column's `MergePolicy`. The text is made once per
 * (target, spec); per batch only the value tuples are rendered (escaped client side, as mysql2's
 * `query()` does). `VALUES(col)` is used because MariaDB has no `AS new` row alias.
 */
import type { EvrouteError, OutputSpec } from '@evroute/core';
import { escape } from 'mysql2/promise';
import { mysqlError } from './errors.js';
import { compileMergePlan, type AssignedRule, type MergePlan } from '@evroute/sql-common';

/** Quotes a checked identifier for MySQL (backticks, doubled inside as a second line of defence). */
export function quoteId(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** The SQL text of one (target, spec), ready to take value tuples. */
export interface UpsertStatement {
  readonly plan: MergePlan;
  /** `INSERT INTO \`t\` (\`c1\`, …) VALUES ` */
  readonly head: string;
  /** ` ON DUPLICATE KEY UPDATE …` */
  readonly tail: string;
  /** Columns whose absent value is written as 0 instead of NULL (sticky flags). */
  readonly zeroWhenAbsent: ReadonlySet<string>;
}

/** How values are escaped: the pool's time zone and the server's `NO_BACKSLASH_ESCAPES` mode. */
export interface ValueFormat {
  readonly timezone: string;
  readonly noBackslashEscapes: boolean;
}

/** `GREATEST` that ignores NULLs (MySQL's returns NULL when any argument is NULL); NULL when all are. */
function greatest(exprs: readonly string[]): string {
  const present = exprs.filter((e) => e !== 'NULL');
  if (present.length === 0) return 'NULL';
  if (present.length === 1) return present[0] ?? 'NULL';
  return `GREATEST(${present.map((e, i) => `COALESCE(${[e, ...present.filter((_, j) => j !== i)].join(', ')})`).join(', ')})`;
}

/**
 * The SQL expression of `column`'s new value under `rule`. `col` reads the stored value (the assignment
 * order guarantees it is not yet updated), `VALUES(col)` the incoming one (NULL for a column the spec
 * does not write).
 */
export function mergeExpression(column: string, rule: AssignedRule, plan: MergePlan): string {
  const stored = (name: string): string => quoteId(name);
  const incoming = (name: string): string => (plan.rules.has(name) ? `VALUES(${quoteId(name)})` : 'NULL');
  const c = stored(column);
  const v = incoming(column);
  if (rule.kind === 'overwrite') return v;
  if (rule.kind === 'overwrite-if-not-null') return `COALESCE(${v}, ${c})`;
  if (rule.kind === 'fill-if-null') return `COALESCE(${c}, ${v})`;
  if (rule.kind === 'newest-by') {
    // Greatest non-NULL time of the listed columns, stored against incoming (a single column is itself).
    const by = greatest(rule.by.map(stored));
    return `IF(${by} IS NULL OR COALESCE(${greatest(rule.by.map(incoming))} >= ${by}, FALSE), ${v}, ${c})`;
  }
  // sticky: an incoming set keeps the stored flag only when the stored clear-time is newer than the
  // incoming since-time; an incoming clear keeps a set flag unless its time is newer than stored since.
  // A side whose incoming time is not written by the spec is NULL, and the comparison drops out.
  const incomingSince = incoming(rule.since);
  const incomingTime = greatest(rule.incoming.map(incoming));
  const setting =
    incomingSince === 'NULL' ? v : `IF(COALESCE(${greatest(rule.incoming.map(stored))} > ${incomingSince}, FALSE), ${c}, ${v})`;
  const clearing =
    incomingTime === 'NULL'
      ? `IF(COALESCE(${c}, 0) <> 0, ${c}, ${v})`
      : `IF(COALESCE(${c}, 0) <> 0 AND NOT COALESCE(${incomingTime} > ${stored(rule.since)}, FALSE), ${c}, ${v})`;
  return `IF(COALESCE(${v}, 0) <> 0, ${setting}, ${clearing})`;
}

/** Renders the statement text of `plan`. */
export function renderUpsert(plan: MergePlan): UpsertStatement {
  const table = plan.tableParts.map(quoteId).join('.');
  const head = `INSERT INTO ${table} (${plan.columns.map(quoteId).join(', ')}) VALUES `;
  const sets = plan.assignments.map(({ column, rule }) => `${quoteId(column)} = ${mergeExpression(column, rule, plan)}`);
  // Nothing to update (every column set-once): a no-op assignment keeps the upsert an upsert.
  const firstKey = quoteId(plan.key[0] ?? plan.columns[0] ?? 'id');
  const tail = ` ON DUPLICATE KEY UPDATE ${sets.length > 0 ? sets.join(', ') : `${firstKey} = ${firstKey}`}`;
  const zeroWhenAbsent = new Set(plan.assignments.filter((a) => a.rule.kind === 'sticky').map((a) => a.column));
  return { plan, head, tail, zeroWhenAbsent };
}

/** Compiles and renders `spec` for `target`; throws the coded errors of `compileMergePlan`. */
export function compileUpsert(target: string, spec: OutputSpec): UpsertStatement {
  return renderUpsert(compileMergePlan(target, spec, 'MYSQL'));
}

function badValue(column: string, why: string, target: string): EvrouteError {
  return mysqlError('EVR_ERR_MYSQL_BAD_VALUE', `column "${column}" of table "${target}": ${why}`, {
    context: { table: target, column },
  });
}

/** A JS value → what the escaper takes: Dates and bytes as they are, objects and arrays as JSON text. */
function toSqlValue(value: unknown, column: string, target: string): string | number | bigint | boolean | Date | Buffer | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badValue(column, `${value} is not a finite number`, target);
    return value;
  }
  if (typeof value !== 'object') throw badValue(column, `a ${typeof value} cannot be written`, target);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw badValue(column, 'the Date is invalid', target);
    return value;
  }
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return JSON.stringify(value);
}

/**
 * `(v1, v2, …)` for one row in the statement's column order. A column missing from `row` is NULL (0 for a
 * sticky flag), so the merge rules decide. Throws `EVR_ERR_MYSQL_BAD_VALUE` for a NULL key column or a
 * value that cannot be written.
 */
export function renderTuple(statement: UpsertStatement, row: Readonly<Record<string, unknown>>, format: ValueFormat): string {
  const { plan } = statement;
  const sqlMode = { noBackslashEscapes: format.noBackslashEscapes };
  const parts: string[] = [];
  for (const column of plan.columns) {
    let value = toSqlValue(row[column], column, plan.target);
    if (value === null && statement.zeroWhenAbsent.has(column)) value = 0;
    if (value === null && plan.key.includes(column)) throw badValue(column, 'a key column is NULL', plan.target);
    parts.push(escape(value, false, format.timezone, sqlMode));
  }
  return `(${parts.join(', ')})`;
}
