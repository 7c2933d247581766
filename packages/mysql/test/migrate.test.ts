import { MIGRATIONS, readMigration, splitSqlStatements } from '@evroute/mysql';
import { describe, expect, it } from 'vitest';
import { SEED_CREATE_TABLE } from './fixtures/seed-sql.js';

describe('migration files', () => {
  it('split into statements outside quotes and comments', () => {
    expect(splitSqlStatements("-- a; comment\nCREATE TABLE a (x VARCHAR(3) COMMENT 'a;b');\n/* c; */ SELECT `x;y` FROM a; # z;\n")).toEqual([
      "-- a; comment\nCREATE TABLE a (x VARCHAR(3) COMMENT 'a;b')",
      '/* c; */ SELECT `x;y` FROM a',
    ]);
  });

  it("carry the seed's routing_configs DDL verbatim", async () => {
    expect(await readMigration('001_routing_configs.sql')).toContain(SEED_CREATE_TABLE);
  });

  it('all exist and each holds at least one statement', async () => {
    const empty: string[] = [];
    for (const { file } of MIGRATIONS) if (splitSqlStatements(await readMigration(file)).length === 0) empty.push(file);
    expect(empty).toEqual([]);
  });
});
