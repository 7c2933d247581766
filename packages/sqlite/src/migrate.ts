/**
 * Runs the SQL files of `packages/sqlite/sql/` idempotently: each file once per database (recorded in
 * `evroute_schema_migrations`), each in its own `BEGIN IMMEDIATE` transaction (so two processes do not
 * race); "duplicate column" counts as applied so a table made by hand migrates cleanly.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DatabaseSync } from 'node:sqlite';
import { fromSqliteError, sqliteError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { deadLetterTableDdl } from './sqlite-dead-letter-sink.js';

/** A set of migrations that belong together; `dimensions` is for development and tests only. */
export type MigrationGroup = 'routing' | 'wrongbook' | 'dimensions' | 'dead-letter';

/** The migrations in the order they run. The dead-letter table's DDL comes from `deadLetterTableDdl()`. */
export const MIGRATIONS: ReadonlyArray<{ readonly file: string; readonly group: MigrationGroup }> = [
  { file: '001_routing_configs.sql', group: 'routing' },
  { file: '002_routing_configs_outputs_json.sql', group: 'routing' },
  { file: '003_routing_configs_fanout.sql', group: 'routing' },
  { file: '010_dwd_wrong_record_wide_delta.sql', group: 'wrongbook' },
  { file: '020_dimension_tables.sql', group: 'dimensions' },
  { file: '030_evroute_dead_letter', group: 'dead-letter' },
];

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Which groups to run; default `routing`, `wrongbook`, `dead-letter` (not `dimensions`). */
  readonly groups?: readonly MigrationGroup[];
  readonly logger?: Logger;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  readonly applied: readonly string[];
  readonly skipped: readonly string[];
}

/** The SQL of a migration. */
export async function readMigration(file: string): Promise<string> {
  if (file === '030_evroute_dead_letter') return `${deadLetterTableDdl()};\n`;
  return readFile(new URL(`../sql/${file}`, import.meta.url), 'utf8');
}

/**
 * Applies the migrations of the chosen groups that the database has not run yet. Resolves with what
 * was applied and skipped; rejects with `EVR_ERR_SQLITE_MIGRATION_FAILED` (the SQLite error as `cause`).
 */
export async function migrate(db: DatabaseSync, options: MigrateOptions = {}): Promise<MigrateResult> {
  const groups = new Set(options.groups ?? ['routing', 'wrongbook', 'dead-letter']);
  const logger = options.logger ?? silentLogger;
  const applied: string[] = [];
  const skipped: string[] = [];
  try {
    db.exec('CREATE TABLE IF NOT EXISTS evroute_schema_migrations (name TEXT NOT NULL PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)');
  } catch (error) {
    throw fromSqliteError(error);
  }
  for (const { file, group } of MIGRATIONS) {
    if (!groups.has(group)) continue;
    const text = await readMigration(file);
    const checksum = createHash('sha256').update(text).digest('hex');
    try {
      db.exec('BEGIN IMMEDIATE');
      const done = db.prepare('SELECT checksum FROM evroute_schema_migrations WHERE name = ?').get(file) as { checksum: string } | undefined;
      if (done !== undefined) {
        db.exec('COMMIT');
        if (done.checksum !== checksum) logger.warn({ file }, 'migration changed since it was applied; not running it again');
        skipped.push(file);
        continue;
      }
      try {
        db.exec(text);
      } catch (error) {
        if (!/duplicate column name/i.test((error as Error).message)) throw error;
        logger.info({ file }, 'migration already applied by hand');
      }
      db.prepare('INSERT INTO evroute_schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)').run(file, checksum, new Date().toISOString());
      db.exec('COMMIT');
      logger.info({ file }, 'migration applied');
      applied.push(file);
    } catch (error) {
      if (db.isOpen && db.isTransaction) db.exec('ROLLBACK');
      const cause = fromSqliteError(error);
      throw sqliteError('EVR_ERR_SQLITE_MIGRATION_FAILED', `migration ${file} failed: ${cause.message}`, { cause, retriable: cause.retriable });
    }
  }
  return { applied, skipped };
}
