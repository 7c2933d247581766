// The shipped SQL: the generated files are what the renderers produce (so they can be regenerated), the
// sample rows load into SQLite unchanged and read back as the generator's rows, and the routing rows are
// the seed's own SQL.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DIMENSION_DATA_SQL, exampleFile, renderDimensionSql, renderMysqlTablesSql, ROUTING_CONFIGS_SQL, sampleDimensionData, setupSqlite } from '../src/index.js';
import { SEED_CREATE_TABLE, SEED_INSERT } from './fixtures/seed.js';

describe('the shipped SQL', () => {
  it('sql/dimension-data.sql and sql/wrongbook-tables.mysql.sql are up to date (scripts/make-sample-sql.ts)', async () => {
    expect(readFileSync(DIMENSION_DATA_SQL, 'utf8')).toBe(renderDimensionSql());
    expect(readFileSync(exampleFile('sql/wrongbook-tables.mysql.sql'), 'utf8')).toBe(await renderMysqlTablesSql());
  });

  it('holds about 1,000 patterns with teaching types and links, and 10,000 wrong questions', () => {
    const data = sampleDimensionData();
    expect(data.tower_pattern).toHaveLength(1000);
    expect(data.wrong_question_record).toHaveLength(10_000);
    const linked = new Set(data.tower_teaching_type_pt.map((l) => l.pt_id));
    expect(linked.size).toBeGreaterThan(950);
    expect(data.tower_teaching_type.length).toBeGreaterThan(400);
    expect(new Set(data.tower_pattern.map((p) => p.subject))).toEqual(new Set(['MATH', 'CHINESE', 'ENGLISH', 'PHYSICS', 'CHEMISTRY', 'BIOLOGY', 'AOSHU', 'SCIENCE']));
  });

  it('loads into SQLite (setupSqlite) and reads back as the generated rows', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wrongbook-sql-')), 'wrongbook.db');
    const first = await setupSqlite(path);
    expect(first.dimensionsLoaded).toBe(true);
    expect((await setupSqlite(path)).dimensionsLoaded).toBe(false); // idempotent
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const data = sampleDimensionData();
      const read = (table: string, order: string): unknown[] => db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all().map((row) => ({ ...row }));
      expect(read('wrong_question_record', 'id')).toEqual([...data.wrong_question_record].sort((a, b) => a.id.localeCompare(b.id)));
      expect(read('tower_pattern', 'id')).toEqual(data.tower_pattern);
      expect(read('tower_teaching_type_pt', 'id')).toEqual(data.tower_teaching_type_pt);
      expect(read('tower_teaching_type', 'id')).toEqual(data.tower_teaching_type);
    } finally {
      db.close();
    }
  });

  it("sql/routing-configs.sql is the seed's CREATE TABLE and INSERT verbatim, plus the delete route shipped disabled", () => {
    const sql = readFileSync(ROUTING_CONFIGS_SQL, 'utf8');
    expect(sql).toContain(SEED_CREATE_TABLE);
    expect(sql).toContain(SEED_INSERT);
    expect(sql).toContain("('wrongbook', 'wrongbook_delete', 'com.flink.realtime.topics.wrongbook.processor.WrongbookDeleteProcessor', 0, 0);");
  });
});
