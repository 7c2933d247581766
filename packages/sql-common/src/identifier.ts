/**
 * SQL identifier validation shared by the MySQL and SQLite adapters. Table and column names come from
 * plugin manifests and routing config, so they are never interpolated raw: a name must match a strict
 * allowlist (then each dialect also quotes it, doubling its quote character, as a second line of
 * defence).
 */
import { EvrouteError } from '@evroute/core';

/** The adapter an error belongs to: it becomes the `<AREA>` of `EVR_ERR_<AREA>_<WHAT>`. */
export type SqlArea = 'MYSQL' | 'SQLITE';

/** The longest identifier accepted (MySQL's limit for table and column names). */
export const MAX_IDENTIFIER_LENGTH = 64;

const ALLOWED = /^[A-Za-z_][A-Za-z0-9_]*$/;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/**
 * Returns `name` when it is a plain SQL identifier: 1 to 64 characters of `[A-Za-z0-9_]`, not starting
 * with a digit. Anything else (backticks, quotes, spaces, dots, semicolons, comment markers, non-ASCII)
 * throws `EVR_ERR_<AREA>_IDENTIFIER` (not retriable). `what` names the place, e.g. `column of output "wide"`.
 */
export function checkIdentifier(name: unknown, what: string, area: SqlArea): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_IDENTIFIER_LENGTH || !ALLOWED.test(name)) {
    throw new EvrouteError(
      `EVR_ERR_${area}_IDENTIFIER`,
      `${what} ${shown(name)} is not an allowed SQL identifier: use 1 to ${MAX_IDENTIFIER_LENGTH} characters ` +
        'of [A-Za-z0-9_] not starting with a digit (quotes, backticks, spaces, dots, semicolons and comments are refused)',
      { retriable: false, context: { identifier: typeof name === 'string' ? name.slice(0, 200) : typeof name } },
    );
  }
  return name;
}

/**
 * Splits `table` or `schema.table` into its checked parts (one or two identifiers). Throws
 * `EVR_ERR_<AREA>_IDENTIFIER` for anything else.
 */
export function checkQualifiedName(name: unknown, what: string, area: SqlArea): readonly string[] {
  if (typeof name !== 'string') return [checkIdentifier(name, what, area)];
  const parts = name.split('.');
  if (parts.length > 2) checkIdentifier(name, what, area);
  return parts.map((part) => checkIdentifier(part, what, area));
}
