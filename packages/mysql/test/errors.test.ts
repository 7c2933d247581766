import { readFileSync } from 'node:fs';
import { classifyMySqlError, fromDriverError, mysqlErrors } from '@evroute/mysql';
import { describe, expect, it } from 'vitest';

describe('the mysql2 error table', () => {
  it.each([
    [{ errno: 1213, code: 'ER_LOCK_DEADLOCK' }, 'EVR_ERR_MYSQL_DEADLOCK', 'transient', true],
    [{ errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' }, 'EVR_ERR_MYSQL_LOCK_WAIT_TIMEOUT', 'transient', true],
    [{ errno: 1062, code: 'ER_DUP_ENTRY' }, 'EVR_ERR_MYSQL_DUPLICATE_KEY', 'row', false],
    [{ errno: 1064, code: 'ER_PARSE_ERROR' }, 'EVR_ERR_MYSQL_SYNTAX', 'statement', false],
    [{ errno: 1406, code: 'ER_DATA_TOO_LONG' }, 'EVR_ERR_MYSQL_DATA_TOO_LONG', 'row', false],
    [{ errno: 1146 }, 'EVR_ERR_MYSQL_SCHEMA', 'statement', false],
    [{ errno: 1356 }, 'EVR_ERR_MYSQL_SCHEMA', 'statement', false], // a view as target (mysql.user): stalled the sink when retriable
    [{ errno: 1045 }, 'EVR_ERR_MYSQL_ACCESS_DENIED', 'statement', false],
    [{ code: 'ECONNREFUSED' }, 'EVR_ERR_MYSQL_CONNECTION', 'transient', true],
    [{ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }, 'EVR_ERR_MYSQL_CONNECTION', 'transient', true],
    [{ message: "Can't add new command when connection is in closed state", fatal: true }, 'EVR_ERR_MYSQL_CONNECTION', 'transient', true],
    [{ code: 'PROTOCOL_SEQUENCE_TIMEOUT' }, 'EVR_ERR_MYSQL_TIMEOUT', 'transient', true],
    [{ message: 'Queue limit reached.' }, 'EVR_ERR_MYSQL_BUSY', 'transient', true],
    [{ errno: 9999, sqlState: '22007' }, 'EVR_ERR_MYSQL_DATA_INVALID', 'row', false],
    [{ errno: 9999, sqlState: '42S02' }, 'EVR_ERR_MYSQL_SYNTAX', 'statement', false],
    [new Error('something else'), 'EVR_ERR_MYSQL_UNKNOWN', 'transient', true],
  ] as const)('%j → %s (%s, retriable %s)', (driverError, code, scope, retriable) => {
    expect(classifyMySqlError(driverError)).toEqual({ code, scope });
    const error = fromDriverError(driverError, { table: 't' });
    expect(error).toMatchObject({ code, retriable, context: { table: 't', scope } });
    expect(error.cause).toBe(driverError);
  });

  it('documents every code in docs/reference/mysql.md', () => {
    const doc = readFileSync(new URL('../../../docs/reference/mysql.md', import.meta.url), 'utf8');
    expect(Object.keys(mysqlErrors).filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });
});
