// Test fixtures that @evroute/mysql and @evroute/sqlite keep identical (the shared source moved to
// @evroute/sql-common): a change to one copy must be made to both.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const copies = [
  'test/fixtures/wrongbook-model.ts',
  'test/fixtures/seed-sql.ts',
];

describe('code shared with @evroute/mysql', () => {
  it.each(copies)('%s is identical in both packages', (file) => {
    const here = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
    const there = readFileSync(new URL(`../../mysql/${file}`, import.meta.url), 'utf8');
    expect(here).toBe(there);
  });
});
