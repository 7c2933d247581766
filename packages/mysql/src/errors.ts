/**
 * The error catalogue of `@evroute/mysql`, and the one table that maps mysql2 / server errors (errno,
 * client codes, SQLSTATE class) to those codes with a retriable flag and a scope. Identify errors by
 * `code` (`isEvrouteError` from `@evroute/core`), never by `instanceof`.
 */
import { EvrouteError, isEvrouteError, type ErrorContext } from '@evroute/core';

/** What each code means and whether retrying the same operation can succeed. */
export const mysqlErrors = {
  EVR_ERR_MYSQL_OPTIONS: { retriable: false, text: 'adapter options are invalid' },
  EVR_ERR_MYSQL_INVALID_URL: { retriable: false, text: 'a mysql:// or jdbc:mysql:// URL cannot be parsed' },
  EVR_ERR_MYSQL_IDENTIFIER: { retriable: false, text: 'a table or column name is not an allowed SQL identifier' },
  EVR_ERR_MYSQL_INVALID_SPEC: { retriable: false, text: 'a table output spec (key, columns, merge policies) is invalid' },
  EVR_ERR_MYSQL_MERGE_CYCLE: { retriable: false, text: 'merge rules of an output reference each other in a cycle' },
  EVR_ERR_MYSQL_BAD_VALUE: { retriable: false, text: 'a row value cannot be written (NaN, a function, a NULL key, an invalid date)' },
  EVR_ERR_MYSQL_ROW_REJECTED: { retriable: false, text: 'the server refused one row for good; the rest of its batch was written' },
  EVR_ERR_MYSQL_CONNECTION: { retriable: true, text: 'the server cannot be reached or the connection was lost' },
  EVR_ERR_MYSQL_BUSY: { retriable: true, text: 'the connection pool queue is full (back-pressure)' },
  EVR_ERR_MYSQL_TIMEOUT: { retriable: true, text: 'a query took longer than its timeout' },
  EVR_ERR_MYSQL_DEADLOCK: { retriable: true, text: 'InnoDB chose this transaction as a deadlock victim (1213)' },
  EVR_ERR_MYSQL_LOCK_WAIT_TIMEOUT: { retriable: true, text: 'a row lock was not granted in time (1205)' },
  EVR_ERR_MYSQL_SERVER_BUSY: { retriable: true, text: 'the server is shutting down, read-only or out of resources' },
  EVR_ERR_MYSQL_DUPLICATE_KEY: { retriable: false, text: 'a row duplicates a unique key the upsert does not conflict on (1062)' },
  EVR_ERR_MYSQL_DATA_TOO_LONG: { retriable: false, text: 'a value is too long for its column (1406)' },
  EVR_ERR_MYSQL_DATA_INVALID: { retriable: false, text: 'a value does not fit its column: type, range, NULL, JSON or check constraint' },
  EVR_ERR_MYSQL_PACKET_TOO_LARGE: { retriable: false, text: 'a statement is larger than the server max_allowed_packet' },
  EVR_ERR_MYSQL_SCHEMA: { retriable: false, text: 'a table, column or database does not exist or does not match' },
  EVR_ERR_MYSQL_SYNTAX: { retriable: false, text: 'the server refused the SQL text (a bug in the adapter or an unsupported server)' },
  EVR_ERR_MYSQL_ACCESS_DENIED: { retriable: false, text: 'the user lacks a privilege or the password is wrong' },
  EVR_ERR_MYSQL_TABLE_MISSING: { retriable: false, text: 'the routing table does not exist or lacks a required column' },
  EVR_ERR_MYSQL_MIGRATION_FAILED: { retriable: false, text: 'a migration statement failed' },
  EVR_ERR_MYSQL_CLOSED: { retriable: true, text: 'the adapter is closed; the work was not done' },
  EVR_ERR_MYSQL_ABORTED: { retriable: true, text: 'the operation was aborted by its signal; the work may be partly done' },
  EVR_ERR_MYSQL_UNKNOWN: { retriable: true, text: 'an unclassified driver error' },
} as const satisfies Record<`EVR_ERR_MYSQL_${string}`, { retriable: boolean; text: string }>;

/** A code of the MySQL catalogue. */
export type MySqlErrorCode = keyof typeof mysqlErrors;

/**
 * How far a failure reaches: `transient` (retry the same statement later), `row` (some row of the
 * statement is bad: split the batch to find it), `statement` (every row of the statement would fail the
 * same way: refuse them all).
 */
export type MySqlErrorScope = 'transient' | 'row' | 'statement';

/** Makes a coded error; `retriable` defaults to the catalogue's flag for the code. */
export function mysqlError(
  code: MySqlErrorCode,
  message: string,
  options: { retriable?: boolean; cause?: unknown; context?: ErrorContext } = {},
): EvrouteError {
  return new EvrouteError(code, message, { ...options, retriable: options.retriable ?? mysqlErrors[code].retriable });
}

/** Server errno → code and scope. The one table; unlisted errnos fall back on the SQLSTATE class. */
const errnoTable: Readonly<Record<number, readonly [MySqlErrorCode, MySqlErrorScope]>> = {
  1213: ['EVR_ERR_MYSQL_DEADLOCK', 'transient'], // ER_LOCK_DEADLOCK
  1205: ['EVR_ERR_MYSQL_LOCK_WAIT_TIMEOUT', 'transient'], // ER_LOCK_WAIT_TIMEOUT
  1040: ['EVR_ERR_MYSQL_CONNECTION', 'transient'], // ER_CON_COUNT_ERROR (too many connections)
  1053: ['EVR_ERR_MYSQL_SERVER_BUSY', 'transient'], // ER_SERVER_SHUTDOWN
  1317: ['EVR_ERR_MYSQL_TIMEOUT', 'transient'], // ER_QUERY_INTERRUPTED
  1927: ['EVR_ERR_MYSQL_CONNECTION', 'transient'], // ER_CONNECTION_KILLED (MariaDB)
  4031: ['EVR_ERR_MYSQL_CONNECTION', 'transient'], // ER_CLIENT_INTERACTION_TIMEOUT
  1290: ['EVR_ERR_MYSQL_SERVER_BUSY', 'transient'], // ER_OPTION_PREVENTS_STATEMENT (read-only replica)
  1836: ['EVR_ERR_MYSQL_SERVER_BUSY', 'transient'], // ER_READ_ONLY_MODE
  1021: ['EVR_ERR_MYSQL_SERVER_BUSY', 'transient'], // ER_DISK_FULL
  1041: ['EVR_ERR_MYSQL_SERVER_BUSY', 'transient'], // ER_OUT_OF_RESOURCES
  1180: ['EVR_ERR_MYSQL_SERVER_BUSY', 'transient'], // ER_ERROR_DURING_COMMIT
  1062: ['EVR_ERR_MYSQL_DUPLICATE_KEY', 'row'], // ER_DUP_ENTRY
  1586: ['EVR_ERR_MYSQL_DUPLICATE_KEY', 'row'], // ER_DUP_ENTRY_WITH_KEY_NAME
  1406: ['EVR_ERR_MYSQL_DATA_TOO_LONG', 'row'], // ER_DATA_TOO_LONG
  1048: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_BAD_NULL_ERROR
  1264: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_WARN_DATA_OUT_OF_RANGE
  1265: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // WARN_DATA_TRUNCATED
  1292: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_TRUNCATED_WRONG_VALUE (bad date)
  1366: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  1367: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_ILLEGAL_VALUE_FOR_TYPE
  1411: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_WRONG_VALUE_FOR_TYPE
  1451: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_ROW_IS_REFERENCED_2
  1452: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_NO_REFERENCED_ROW_2
  1690: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_DATA_OUT_OF_RANGE
  3140: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_INVALID_JSON_TEXT (MySQL)
  3819: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
  4025: ['EVR_ERR_MYSQL_DATA_INVALID', 'row'], // ER_CONSTRAINT_FAILED (MariaDB CHECK, JSON_VALID)
  1153: ['EVR_ERR_MYSQL_PACKET_TOO_LARGE', 'row'], // ER_NET_PACKET_TOO_LARGE (split the batch)
  1064: ['EVR_ERR_MYSQL_SYNTAX', 'statement'], // ER_PARSE_ERROR
  1149: ['EVR_ERR_MYSQL_SYNTAX', 'statement'], // ER_SYNTAX_ERROR
  1054: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_BAD_FIELD_ERROR (unknown column)
  1146: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_NO_SUCH_TABLE
  1049: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_BAD_DB_ERROR
  1136: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_WRONG_VALUE_COUNT_ON_ROW
  1364: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_NO_DEFAULT_FOR_FIELD (a NOT NULL column the spec does not write)
  1347: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_WRONG_OBJECT (e.g. a view where a table is expected)
  1091: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_CANT_DROP_FIELD_OR_KEY
  // Targets that can never take the upsert (found by the fault suite: `mysql.user` is a view on MariaDB
  // and answered 1356, which fell back to retriable and stalled every partition).
  1356: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_VIEW_INVALID
  1036: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_OPEN_AS_READONLY
  1288: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_NON_UPDATABLE_TABLE
  1471: ['EVR_ERR_MYSQL_SCHEMA', 'statement'], // ER_NON_INSERTABLE_TABLE
  1044: ['EVR_ERR_MYSQL_ACCESS_DENIED', 'statement'], // ER_DBACCESS_DENIED_ERROR
  1045: ['EVR_ERR_MYSQL_ACCESS_DENIED', 'statement'], // ER_ACCESS_DENIED_ERROR
  1142: ['EVR_ERR_MYSQL_ACCESS_DENIED', 'statement'], // ER_TABLEACCESS_DENIED_ERROR
  1143: ['EVR_ERR_MYSQL_ACCESS_DENIED', 'statement'], // ER_COLUMNACCESS_DENIED_ERROR
  1227: ['EVR_ERR_MYSQL_ACCESS_DENIED', 'statement'], // ER_SPECIFIC_ACCESS_DENIED_ERROR
};

/** Client-side codes (Node sockets, mysql2 protocol) that mean the connection is gone. */
const connectionCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND',
  'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'ER_SERVER_SHUTDOWN',
]);

interface DriverErrorShape {
  errno?: unknown;
  code?: unknown;
  sqlState?: unknown;
  fatal?: unknown;
  message?: unknown;
}

/** The code and scope of a driver error, by errno, then client code, then SQLSTATE class. */
export function classifyMySqlError(error: unknown): { code: MySqlErrorCode; scope: MySqlErrorScope } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverErrorShape;
  const byErrno = typeof e.errno === 'number' ? errnoTable[e.errno] : undefined;
  if (byErrno) return { code: byErrno[0], scope: byErrno[1] };
  if (typeof e.code === 'string' && connectionCodes.has(e.code)) return { code: 'EVR_ERR_MYSQL_CONNECTION', scope: 'transient' };
  if (e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') return { code: 'EVR_ERR_MYSQL_TIMEOUT', scope: 'transient' };
  if (e.message === 'Queue limit reached.' || e.message === 'No connections available.') {
    return { code: 'EVR_ERR_MYSQL_BUSY', scope: 'transient' };
  }
  if (e.message === 'Pool is closed.') return { code: 'EVR_ERR_MYSQL_CLOSED', scope: 'transient' };
  if (e.fatal === true) return { code: 'EVR_ERR_MYSQL_CONNECTION', scope: 'transient' };
  const sqlClass = typeof e.sqlState === 'string' ? e.sqlState.slice(0, 2) : '';
  if (sqlClass === '08') return { code: 'EVR_ERR_MYSQL_CONNECTION', scope: 'transient' };
  if (sqlClass === '40') return { code: 'EVR_ERR_MYSQL_DEADLOCK', scope: 'transient' };
  if (sqlClass === '22' || sqlClass === '23') return { code: 'EVR_ERR_MYSQL_DATA_INVALID', scope: 'row' };
  if (sqlClass === '42') return { code: 'EVR_ERR_MYSQL_SYNTAX', scope: 'statement' };
  return { code: 'EVR_ERR_MYSQL_UNKNOWN', scope: 'transient' };
}

/**
 * Wraps a driver error into a coded {@link EvrouteError} (kept as `cause`), with `errno`, `sqlState`,
 * `driverCode` and `scope` in the context. An error that already has an `EVR_ERR_*` code is returned as is.
 */
export function fromDriverError(error: unknown, context: ErrorContext = {}): EvrouteError {
  if (isEvrouteError(error)) return error;
  const { code, scope } = classifyMySqlError(error);
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const detail = [
    typeof e.code === 'string' ? e.code : undefined,
    typeof e.errno === 'number' ? `errno ${e.errno}` : undefined,
  ].filter(Boolean);
  return mysqlError(code, detail.length > 0 ? `${message} (${detail.join(', ')})` : message, {
    cause: error,
    context: {
      ...context,
      scope,
      ...(typeof e.errno === 'number' ? { errno: e.errno } : {}),
      ...(typeof e.sqlState === 'string' ? { sqlState: e.sqlState } : {}),
      ...(typeof e.code === 'string' ? { driverCode: e.code } : {}),
    },
  });
}

/** The scope of a coded error made by {@link fromDriverError} (`transient` for anything else retriable). */
export function errorScope(error: EvrouteError): MySqlErrorScope {
  const scope = error.context['scope'];
  if (scope === 'transient' || scope === 'row' || scope === 'statement') return scope;
  return error.retriable ? 'transient' : 'statement';
}

/** The per-row refusal of a sink: `cause` is the server's error, `context.reason` its code. */
export function rowRejected(error: EvrouteError, table: string): EvrouteError {
  return mysqlError('EVR_ERR_MYSQL_ROW_REJECTED', `table "${table}" refused the row: ${error.message}`, {
    cause: error,
    context: { table, reason: error.code },
  });
}

/** A failure to connect, as a retriable error of transient scope whatever its code. */
export function asTransient(error: unknown): EvrouteError {
  const coded = fromDriverError(error);
  if (coded.retriable && errorScope(coded) === 'transient') return coded;
  return mysqlError(coded.code as MySqlErrorCode, `cannot connect: ${coded.message}`, { retriable: true, cause: coded, context: { ...coded.context, scope: 'transient' } });
}
