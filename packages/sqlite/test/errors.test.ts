import { readFileSync } from 'node:fs';
import { classifySqliteError, sqliteErrors } from '@evroute/sqlite';
import { describe, expect, it } from 'vitest';

describe('the node:sqlite error table', () => {
  it.each([
    [{ errcode: 5 }, 'EVR_ERR_SQLITE_BUSY', 'transient'],
    [{ errcode: 517 }, 'EVR_ERR_SQLITE_BUSY', 'transient'],
    [{ errcode: 275, message: 'CHECK constraint failed' }, 'EVR_ERR_SQLITE_CONSTRAINT', 'row'],
    [{ errcode: 1299 }, 'EVR_ERR_SQLITE_CONSTRAINT', 'row'],
    [{ errcode: 1, message: 'no such table: x' }, 'EVR_ERR_SQLITE_SCHEMA', 'statement'],
    [{ errcode: 1, message: 'near "x": syntax error' }, 'EVR_ERR_SQLITE_SQL', 'statement'],
    [{ code: 'ERR_INVALID_STATE', message: 'database is not open' }, 'EVR_ERR_SQLITE_CLOSED', 'transient'],
  ] as const)('%j → %s', (error, code, scope) => {
    expect(classifySqliteError(error)).toEqual({ code, scope });
  });

  it('documents every code in docs/reference/sqlite.md', () => {
    const doc = readFileSync(new URL('../../../docs/reference/sqlite.md', import.meta.url), 'utf8');
    expect(Object.keys(sqliteErrors).filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });
});
