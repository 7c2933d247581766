/**
 * The wrongbook plugins' dimension service (`wrongbook.dimensions`) over the four dimension tables of
 * spec §3, with the cache settings the spec gives: cached, batched lookups of `@evroute/mysql` or
 * `@evroute/sqlite`, adapted by `dimensionsFromTables` of `@evroute/wrongbook`.
 */
import type { Pool } from 'mysql2/promise';
import type { DatabaseSync } from 'node:sqlite';
import { MySqlDimensionListLookup, MySqlDimensionLookup } from '@evroute/mysql';
import { SqliteDimensionListLookup, SqliteDimensionLookup } from '@evroute/sqlite';
import { dimensionsFromTables, type DimensionLookups } from '@evroute/wrongbook';

const MINUTE = 60_000;

/** Table, columns, filters and cache of each lookup (spec §3). Same for both databases. */
const LOOKUPS = {
  wrongQuestionRecord: {
    table: 'wrong_question_record',
    columns: ['user_id', 'question_id', 'pattern_id', 'subject', 'chapter_id', 'chapter_name', 'create_time', 'is_delete'],
    ttlMs: 10 * MINUTE,
    maxEntries: 100_000,
  },
  pattern: { table: 'tower_pattern', columns: ['name', 'type', 'subject', 'difficulty'], ttlMs: 30 * MINUTE, maxEntries: 100_000 },
  teachingTypeLinks: {
    table: 'tower_teaching_type_pt',
    keyColumn: 'pt_id',
    columns: ['teaching_type_id', 'order_num', 'is_delete'],
    where: { is_delete: 0 },
    orderBy: ['order_num', 'id'],
    ttlMs: 30 * MINUTE,
    maxEntries: 100_000,
  },
  teachingType: {
    table: 'tower_teaching_type',
    columns: ['chapter_id', 'teaching_type_name', 'is_delete'],
    where: { is_delete: 0 },
    ttlMs: 30 * MINUTE,
    maxEntries: 100_000,
  },
} as const;

/** Dimension lookups over a MySQL/MariaDB pool (shared; the caller closes it). */
export function mysqlDimensions(pool: Pool): DimensionLookups {
  return dimensionsFromTables({
    wrongQuestionRecord: new MySqlDimensionLookup({ pool, ...LOOKUPS.wrongQuestionRecord }),
    pattern: new MySqlDimensionLookup({ pool, ...LOOKUPS.pattern }),
    teachingTypeLinks: new MySqlDimensionListLookup({ pool, ...LOOKUPS.teachingTypeLinks }),
    teachingType: new MySqlDimensionLookup({ pool, ...LOOKUPS.teachingType }),
  });
}

/** Dimension lookups over an open SQLite database (shared; the caller closes it). */
export function sqliteDimensions(database: DatabaseSync): DimensionLookups {
  return dimensionsFromTables({
    wrongQuestionRecord: new SqliteDimensionLookup({ database, ...LOOKUPS.wrongQuestionRecord }),
    pattern: new SqliteDimensionLookup({ database, ...LOOKUPS.pattern }),
    teachingTypeLinks: new SqliteDimensionListLookup({ database, ...LOOKUPS.teachingTypeLinks }),
    teachingType: new SqliteDimensionLookup({ database, ...LOOKUPS.teachingType }),
  });
}
