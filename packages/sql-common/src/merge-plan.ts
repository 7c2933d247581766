/**
 * Compiles a table output's declaration (`OutputSpec`: key columns and per-column `MergePolicy`) into a
 * dialect-neutral merge plan: checked identifiers, the insert column list, and the update assignments in
 * a safe order. The MySQL and SQLite renderers turn a plan into SQL text once per (target, spec).
 *
 * Assignment order matters for MySQL, whose `ON DUPLICATE KEY UPDATE` assignments run left to right and
 * see values already assigned: every rule must read the *stored* values of the columns it references, so
 * a column referenced by another column's rule (a `newestBy` version column, a sticky flag's `since` and
 * `incoming` columns) is assigned after the columns that reference it. A cycle is refused.
 */
import { EvrouteError, type MergePolicy, type OutputSpec } from '@evroute/core';
import { checkIdentifier, checkQualifiedName, type SqlArea } from './identifier.js';

/** A merge policy after validation, with its referenced columns checked. */
export type MergeRule =
  | { readonly kind: 'overwrite' }
  | { readonly kind: 'overwrite-if-not-null' }
  | { readonly kind: 'set-once' }
  | { readonly kind: 'fill-if-null' }
  | { readonly kind: 'newest-by'; readonly by: readonly string[] }
  | { readonly kind: 'sticky'; readonly since: string; readonly incoming: readonly string[] };

/** A rule that produces an update assignment (every rule but `set-once`). */
export type AssignedRule = Exclude<MergeRule, { readonly kind: 'set-once' }>;

/** One `SET column = <rule>` of the upsert, in execution order. */
export interface MergeAssignment {
  readonly column: string;
  readonly rule: AssignedRule;
}

/** What a renderer needs to write the upsert of one (target, spec). */
export interface MergePlan {
  /** The target as given, e.g. `dwd_wrong_record_wide_delta` or `db.table`. */
  readonly target: string;
  /** The checked parts of the target: `[table]` or `[schema, table]`. */
  readonly tableParts: readonly string[];
  /** Key columns (the primary or unique key the upsert conflicts on). */
  readonly key: readonly string[];
  /** Insert columns: the key columns first, then the declared columns in declaration order. */
  readonly columns: readonly string[];
  /** Rule of every insert column (key columns are `set-once`: never updated). */
  readonly rules: ReadonlyMap<string, MergeRule>;
  /** Update assignments in a safe order (see the file comment); empty when nothing is ever updated. */
  readonly assignments: readonly MergeAssignment[];
}

function invalid(area: SqlArea, target: string, message: string): EvrouteError {
  return new EvrouteError(`EVR_ERR_${area}_INVALID_SPEC`, `output spec for table "${target}": ${message}`, {
    retriable: false,
    context: { table: target },
  });
}

function toRule(policy: MergePolicy | undefined, column: string, area: SqlArea, target: string): MergeRule {
  const where = `column "${column}" of the output for table "${target}"`;
  if (policy === undefined || policy === 'overwrite') return { kind: 'overwrite' };
  if (policy === 'overwrite-if-not-null' || policy === 'set-once' || policy === 'fill-if-null') return { kind: policy };
  if (typeof policy === 'object' && policy !== null) {
    if ('newestBy' in policy) {
      const by: readonly unknown[] = Array.isArray(policy.newestBy) ? policy.newestBy : [policy.newestBy];
      if (by.length === 0) throw invalid(area, target, `newestBy of column "${column}" must name at least one column`);
      return { kind: 'newest-by', by: by.map((name) => checkIdentifier(name, `newestBy of ${where}`, area)) };
    }
    if ('sticky' in policy && typeof policy.sticky === 'object' && policy.sticky !== null) {
      const { since, incoming } = policy.sticky;
      if (!Array.isArray(incoming) || incoming.length === 0) {
        throw invalid(area, target, `sticky.incoming of column "${column}" must list at least one time column`);
      }
      return {
        kind: 'sticky',
        since: checkIdentifier(since, `sticky.since of ${where}`, area),
        incoming: incoming.map((name: unknown) => checkIdentifier(name, `sticky.incoming of ${where}`, area)),
      };
    }
  }
  throw invalid(area, target, `column "${column}" has an unknown merge policy ${JSON.stringify(policy)}`);
}

/** Columns a rule reads besides its own column. */
function references(column: string, rule: MergeRule): readonly string[] {
  if (rule.kind === 'newest-by') return rule.by.filter((name) => name !== column);
  if (rule.kind === 'sticky') return [rule.since, ...rule.incoming].filter((name) => name !== column);
  return [];
}

/**
 * Orders the assignments so that a referenced column comes after every column whose rule references
 * it (Kahn's algorithm, ties in declaration order). Throws `EVR_ERR_<AREA>_MERGE_CYCLE` on a cycle.
 */
function orderAssignments(assigned: readonly MergeAssignment[], area: SqlArea, target: string): MergeAssignment[] {
  const names = new Set(assigned.map((a) => a.column));
  const referrers = new Map<string, number>(assigned.map((a) => [a.column, 0]));
  for (const a of assigned) {
    for (const ref of new Set(references(a.column, a.rule))) {
      if (names.has(ref)) referrers.set(ref, (referrers.get(ref) ?? 0) + 1);
    }
  }
  const ordered: MergeAssignment[] = [];
  const left = [...assigned];
  while (left.length > 0) {
    const index = left.findIndex((a) => referrers.get(a.column) === 0);
    if (index < 0) {
      throw new EvrouteError(
        `EVR_ERR_${area}_MERGE_CYCLE`,
        `output spec for table "${target}": the merge rules of columns ${left.map((a) => `"${a.column}"`).join(', ')} ` +
          'reference each other in a cycle, so no update order lets each rule read stored values; break the cycle',
        { retriable: false, context: { table: target } },
      );
    }
    const [next] = left.splice(index, 1);
    if (next === undefined) break;
    ordered.push(next);
    for (const ref of new Set(references(next.column, next.rule))) {
      if (names.has(ref)) referrers.set(ref, (referrers.get(ref) ?? 1) - 1);
    }
  }
  return ordered;
}

/**
 * Validates `spec` for `target` and returns its merge plan. Throws a coded, non-retriable error:
 * `EVR_ERR_<AREA>_IDENTIFIER` for a table or column name outside the allowlist,
 * `EVR_ERR_<AREA>_INVALID_SPEC` for a missing key, no columns, an unknown policy or a `newestBy` column
 * that is not written by the spec, `EVR_ERR_<AREA>_MERGE_CYCLE` for rules that reference each other.
 */
export function compileMergePlan(target: string, spec: OutputSpec, area: SqlArea): MergePlan {
  const tableParts = checkQualifiedName(target, 'table name', area);
  const key = (spec.key ?? []).map((name: unknown) => checkIdentifier(name, `key column of table "${target}"`, area));
  if (key.length === 0) throw invalid(area, target, 'a table output needs `key` (the columns of its primary or unique key)');
  const declared = Object.entries(spec.columns ?? {});
  if (declared.length === 0) throw invalid(area, target, 'a table output needs `columns`');
  const rules = new Map<string, MergeRule>();
  for (const name of key) rules.set(name, { kind: 'set-once' });
  for (const [name, column] of declared) {
    checkIdentifier(name, `column of table "${target}"`, area);
    if (!rules.has(name)) rules.set(name, toRule(column.merge, name, area, target));
  }
  const columns = [...rules.keys()];
  const assigned: MergeAssignment[] = [];
  for (const [column, rule] of rules) {
    if (rule.kind === 'set-once') continue;
    if (rule.kind === 'newest-by' && !rule.by.some((by) => rules.has(by))) {
      const names = rule.by.map((by) => `"${by}"`).join(', ');
      throw invalid(area, target, `column "${column}" is newest by ${names}, none of which the output writes; declare it`);
    }
    assigned.push({ column, rule });
  }
  return { target, tableParts, key, columns, rules, assignments: orderAssignments(assigned, area, target) };
}
