import { MIGRATIONS, migrate } from '@evroute/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './fixtures/database.js';
import { SEED_CREATE_TABLE, SEED_INSERT } from './fixtures/seed-sql.js';

const byText = (a: string, b: string): number => a.localeCompare(b);

describe('migrate()', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('evr_mysql_migrate');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies every group once, concurrently safe, on a database where the seed created routing_configs by hand', async () => {
    await db.pool.query(SEED_CREATE_TABLE);
    await db.pool.query(SEED_INSERT);
    const all = ['routing', 'wrongbook', 'dimensions', 'dead-letter'] as const;
    const [first, second] = await Promise.all([migrate(db.pool, { groups: all }), migrate(db.pool, { groups: all })]);
    expect([...(first?.applied ?? []), ...(second?.applied ?? [])].sort(byText)).toEqual(MIGRATIONS.map((m) => m.file).sort(byText));
    const again = await migrate(db.pool, { groups: all });
    expect(again).toEqual({ applied: [], skipped: MIGRATIONS.map((m) => m.file) });
    const [columns] = await db.pool.query(
      "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'routing_configs' ORDER BY ORDINAL_POSITION",
    );
    expect((columns as Array<{ c: string }>).map((r) => r.c)).toEqual([
      'id', 'domain', 'event_type', 'processor_class', 'enabled', 'priority', 'config_json', 'create_time', 'update_time', 'outputs_json', 'fanout',
    ]);
    const [rows] = await db.pool.query('SELECT COUNT(*) AS n, SUM(fanout) AS f FROM routing_configs');
    expect(rows).toEqual([{ n: '2', f: '0' }]);
    const [tables] = await db.pool.query('SHOW TABLES');
    expect((tables as Array<Record<string, string>>).map((r) => Object.values(r)[0] ?? '').sort(byText)).toEqual([
      'dwd_wrong_record_wide_delta', 'evroute_dead_letter', 'evroute_schema_migrations', 'routing_configs',
      'tower_pattern', 'tower_teaching_type', 'tower_teaching_type_pt', 'wrong_question_record',
    ]);
  });

  it('refuses with a coded error when a statement fails, and records nothing for that file', async () => {
    const broken = await createTestDatabase('evr_mysql_migrate_bad');
    try {
      await broken.pool.query('CREATE VIEW routing_configs AS SELECT 1 AS id'); // not a table: the ALTER fails
      await expect(migrate(broken.pool, { groups: ['routing'] })).rejects.toMatchObject({ code: 'EVR_ERR_MYSQL_MIGRATION_FAILED', retriable: false });
      const [done] = await broken.pool.query('SELECT name FROM evroute_schema_migrations');
      expect(done).toEqual([{ name: '001_routing_configs.sql' }]);
    } finally {
      await broken.drop();
    }
  });
});
