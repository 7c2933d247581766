/**
 * The error catalogue of `@evroute/sqlite`, and the one table that maps `node:sqlite` errors (SQLite
 * result codes) to those codes with a retriable flag and a scope. Identify errors by `code`
 * (`isEvrouteError` from `@evroute/core`), never by `instanceof`.
 */
import { EvrouteError, isEvrouteError, type ErrorContext } from '@evroute/core';

/** What each code means and whether retrying the same operation can succeed. */
export const sqliteErrors = {
  EVR_ERR_SQLITE_OPTIONS: { retriable: false, text: 'adapter options are invalid' },
  EVR_ERR_SQLITE_IDENTIFIER: { retriable: false, text: 'a table or column name is not an allowed SQL identifier' },
  EVR_ERR_SQLITE_INVALID_SPEC: { retriable: false, text: 'a table output spec (key, columns, merge policies) is invalid' },
  EVR_ERR_SQLITE_MERGE_CYCLE: { retriable: false, text: 'merge rules of an output reference each other in a cycle' },
  EVR_ERR_SQLITE_BAD_VALUE: { retriable: false, text: 'a row value cannot be written (NaN, a function, a NULL key, an invalid date)' },
  EVR_ERR_SQLITE_ROW_REJECTED: { retriable: false, text: 'the database refused one row for good; the rest of its batch was written' },
  EVR_ERR_SQLITE_BUSY: { retriable: true, text: 'another connection holds the write lock beyond the busy timeout (SQLITE_BUSY/LOCKED)' },
  EVR_ERR_SQLITE_IO: { retriable: true, text: 'the database file could not be read, written or opened (I/O, disk full, out of memory)' },
  EVR_ERR_SQLITE_INTERRUPTED: { retriable: true, text: 'the statement was interrupted or aborted' },
  EVR_ERR_SQLITE_CONSTRAINT: { retriable: false, text: 'a row breaks a NOT NULL, CHECK, UNIQUE or foreign-key constraint' },
  EVR_ERR_SQLITE_DATA_INVALID: { retriable: false, text: 'a value does not fit its column (datatype mismatch, too big)' },
  EVR_ERR_SQLITE_SCHEMA: { retriable: false, text: 'a table or column does not exist, or no unique key matches the output key' },
  EVR_ERR_SQLITE_SQL: { retriable: false, text: 'SQLite refused the SQL text' },
  EVR_ERR_SQLITE_READONLY: { retriable: false, text: 'the database is read-only' },
  EVR_ERR_SQLITE_CORRUPT: { retriable: false, text: 'the file is not a database or is corrupt' },
  EVR_ERR_SQLITE_TABLE_MISSING: { retriable: false, text: 'the routing table does not exist or lacks a required column' },
  EVR_ERR_SQLITE_MIGRATION_FAILED: { retriable: false, text: 'a migration failed' },
  EVR_ERR_SQLITE_CLOSED: { retriable: true, text: 'the adapter or its database is closed; the work was not done' },
  EVR_ERR_SQLITE_ABORTED: { retriable: true, text: 'the operation was aborted by its signal; the work may be partly done' },
  EVR_ERR_SQLITE_UNKNOWN: { retriable: true, text: 'an unclassified error' },
} as const satisfies Record<`EVR_ERR_SQLITE_${string}`, { retriable: boolean; text: string }>;

/** A code of the SQLite catalogue. */
export type SqliteErrorCode = keyof typeof sqliteErrors;

/** How far a failure reaches: retry later, a bad row, or every row of the statement (see `@evroute/mysql`). */
export type SqliteErrorScope = 'transient' | 'row' | 'statement';

/** Makes a coded error; `retriable` defaults to the catalogue's flag for the code. */
export function sqliteError(
  code: SqliteErrorCode,
  message: string,
  options: { retriable?: boolean; cause?: unknown; context?: ErrorContext } = {},
): EvrouteError {
  return new EvrouteError(code, message, { ...options, retriable: options.retriable ?? sqliteErrors[code].retriable });
}

/** SQLite primary result code → code and scope. The one table; extended codes are reduced to their primary. */
const resultCodes: Readonly<Record<number, readonly [SqliteErrorCode, SqliteErrorScope]>> = {
  4: ['EVR_ERR_SQLITE_INTERRUPTED', 'transient'], // SQLITE_ABORT
  5: ['EVR_ERR_SQLITE_BUSY', 'transient'], // SQLITE_BUSY
  6: ['EVR_ERR_SQLITE_BUSY', 'transient'], // SQLITE_LOCKED
  7: ['EVR_ERR_SQLITE_IO', 'transient'], // SQLITE_NOMEM
  8: ['EVR_ERR_SQLITE_READONLY', 'statement'], // SQLITE_READONLY
  9: ['EVR_ERR_SQLITE_INTERRUPTED', 'transient'], // SQLITE_INTERRUPT
  10: ['EVR_ERR_SQLITE_IO', 'transient'], // SQLITE_IOERR
  11: ['EVR_ERR_SQLITE_CORRUPT', 'statement'], // SQLITE_CORRUPT
  13: ['EVR_ERR_SQLITE_IO', 'transient'], // SQLITE_FULL
  14: ['EVR_ERR_SQLITE_IO', 'transient'], // SQLITE_CANTOPEN
  15: ['EVR_ERR_SQLITE_IO', 'transient'], // SQLITE_PROTOCOL
  17: ['EVR_ERR_SQLITE_SCHEMA', 'transient'], // SQLITE_SCHEMA (the schema changed: prepare again)
  18: ['EVR_ERR_SQLITE_DATA_INVALID', 'row'], // SQLITE_TOOBIG
  19: ['EVR_ERR_SQLITE_CONSTRAINT', 'row'], // SQLITE_CONSTRAINT (NOT NULL 1299, CHECK 275, UNIQUE 2067, PK 1555, FK 787)
  20: ['EVR_ERR_SQLITE_DATA_INVALID', 'row'], // SQLITE_MISMATCH
  21: ['EVR_ERR_SQLITE_CLOSED', 'transient'], // SQLITE_MISUSE (e.g. a closed database)
  25: ['EVR_ERR_SQLITE_SQL', 'statement'], // SQLITE_RANGE
  26: ['EVR_ERR_SQLITE_CORRUPT', 'statement'], // SQLITE_NOTADB
};

interface DriverErrorShape {
  code?: unknown;
  errcode?: unknown;
  message?: unknown;
}

/** The code and scope of a `node:sqlite` error, by result code, then Node error code, then message. */
export function classifySqliteError(error: unknown): { code: SqliteErrorCode; scope: SqliteErrorScope } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverErrorShape;
  const message = typeof e.message === 'string' ? e.message : '';
  if (typeof e.errcode === 'number') {
    const primary = e.errcode & 0xff;
    const known = resultCodes[primary];
    if (known) return { code: known[0], scope: known[1] };
    if (primary === 1) {
      // SQLITE_ERROR: the text tells a missing table or column from other refusals.
      if (/no such (table|column)|has no column|does not match any PRIMARY KEY or UNIQUE/i.test(message)) return { code: 'EVR_ERR_SQLITE_SCHEMA', scope: 'statement' };
      return { code: 'EVR_ERR_SQLITE_SQL', scope: 'statement' };
    }
  }
  if (e.code === 'ERR_INVALID_STATE') return { code: 'EVR_ERR_SQLITE_CLOSED', scope: 'transient' };
  if (e.code === 'ERR_INVALID_ARG_TYPE') return { code: 'EVR_ERR_SQLITE_BAD_VALUE', scope: 'row' };
  return { code: 'EVR_ERR_SQLITE_UNKNOWN', scope: 'transient' };
}

/** Wraps a `node:sqlite` error into a coded error (kept as `cause`), with `errcode` and `scope` in the context. */
export function fromSqliteError(error: unknown, context: ErrorContext = {}): EvrouteError {
  if (isEvrouteError(error)) return error;
  const { code, scope } = classifySqliteError(error);
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return sqliteError(code, typeof e.errcode === 'number' ? `${message} (SQLite result ${e.errcode})` : message, {
    cause: error,
    context: { ...context, scope, ...(typeof e.errcode === 'number' ? { errcode: e.errcode } : {}) },
  });
}

/** The scope of a coded error made by {@link fromSqliteError} (`transient` for anything else retriable). */
export function errorScope(error: EvrouteError): SqliteErrorScope {
  const scope = error.context['scope'];
  if (scope === 'transient' || scope === 'row' || scope === 'statement') return scope;
  return error.retriable ? 'transient' : 'statement';
}
