/**
 * Runs the SQL files of `packages/mysql/sql/` idempotently: each file once per database (recorded in
 * `evroute_schema_migrations`), under a named lock so two processes starting together do not race, and
 * "already exists" errors (1050 table, 1060 column, 1061 index) count as applied, so a database set up
 * by hand with the seed SQL migrates cleanly.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { fromDriverError, mysqlError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';

/** A set of migrations that belong together; `dimensions` is for development and tests only. */
export type MigrationGroup = 'routing' | 'wrongbook' | 'dimensions' | 'dead-letter';

/** The migration files in the order they run, with their group. */
export const MIGRATIONS: ReadonlyArray<{ readonly file: string; readonly group: MigrationGroup }> = [
  { file: '001_routing_configs.sql', group: 'routing' },
  { file: '002_routing_configs_evroute_columns.sql', group: 'routing' },
  { file: '010_dwd_wrong_record_wide_delta.sql', group: 'wrongbook' },
  { file: '020_dimension_tables.sql', group: 'dimensions' },
  { file: '030_evroute_dead_letter.sql', group: 'dead-letter' },
];

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Which groups to run; default `routing`, `wrongbook`, `dead-letter` (not `dimensions`). */
  readonly groups?: readonly MigrationGroup[];
  /** Seconds to wait for another process's migration lock; default 60. */
  readonly lockTimeoutSeconds?: number;
  readonly logger?: Logger;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Files run now. */
  readonly applied: readonly string[];
  /** Files run before (skipped now). */
  readonly skipped: readonly string[];
}

const TOLERATED = new Set([1050, 1060, 1061]);

/** The text of a migration file. */
export function readMigration(file: string): Promise<string> {
  return readFile(new URL(`../sql/${file}`, import.meta.url), 'utf8');
}

/**
 * Splits SQL text into statements on `;` outside quotes, backticks and comments; statements that are
 * only comments are dropped.
 */
export function splitSqlStatements(text: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\' && ch !== '`') i++;
      i++;
    } else if ((ch === '-' && text[i + 1] === '-') || ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (ch === ';') {
      statements.push(text.slice(start, i));
      start = ++i;
    } else {
      i++;
    }
  }
  statements.push(text.slice(start));
  const meaningful = (s: string): boolean => s.replace(/--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() !== '';
  return statements.map((s) => s.trim()).filter(meaningful);
}

/**
 * Applies the migrations of the chosen groups that this database has not run yet, in file order.
 * Resolves with what was applied and skipped; rejects with `EVR_ERR_MYSQL_MIGRATION_FAILED` (the server
 * error as `cause`) at the first statement that fails for another reason than "already exists".
 */
export async function migrate(pool: Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const groups = new Set(options.groups ?? ['routing', 'wrongbook', 'dead-letter']);
  const logger = options.logger ?? silentLogger;
  const connection = await pool.getConnection().catch((error: unknown) => {
    throw fromDriverError(error);
  });
  const applied: string[] = [];
  const skipped: string[] = [];
  let locked = false;
  try {
    const [lockRows] = await connection.query('SELECT GET_LOCK(CONCAT(\'evroute_migrate:\', COALESCE(DATABASE(), \'\')), ?) AS got', [
      options.lockTimeoutSeconds ?? 60,
    ]);
    locked = Number((lockRows as Array<{ got: unknown }>)[0]?.got) === 1;
    if (!locked) throw mysqlError('EVR_ERR_MYSQL_MIGRATION_FAILED', 'another process holds the migration lock; try again', { retriable: true });
    await connection.query(
      'CREATE TABLE IF NOT EXISTS `evroute_schema_migrations` (`name` VARCHAR(255) NOT NULL PRIMARY KEY, ' +
        '`checksum` CHAR(64) NOT NULL, `applied_at` DATETIME(3) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    );
    const [doneRows] = await connection.query('SELECT `name`, `checksum` FROM `evroute_schema_migrations`');
    const done = new Map((doneRows as Array<{ name: string; checksum: string }>).map((r) => [r.name, r.checksum]));
    for (const { file, group } of MIGRATIONS) {
      if (!groups.has(group)) continue;
      const text = await readMigration(file);
      const checksum = createHash('sha256').update(text).digest('hex');
      const previous = done.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) logger.warn({ file }, 'migration file changed since it was applied; not running it again');
        skipped.push(file);
        continue;
      }
      await runFile(connection, file, text, logger);
      await connection.query('INSERT INTO `evroute_schema_migrations` (`name`, `checksum`, `applied_at`) VALUES (?, ?, NOW(3))', [file, checksum]);
      logger.info({ file }, 'migration applied');
      applied.push(file);
    }
    return { applied, skipped };
  } catch (error) {
    throw fromDriverError(error);
  } finally {
    if (locked) await connection.query("SELECT RELEASE_LOCK(CONCAT('evroute_migrate:', COALESCE(DATABASE(), '')))").catch(() => undefined);
    connection.release();
  }
}

async function runFile(connection: PoolConnection, file: string, text: string, logger: Logger): Promise<void> {
  for (const statement of splitSqlStatements(text)) {
    try {
      await connection.query(statement);
    } catch (error) {
      const errno = (error as { errno?: unknown }).errno;
      if (typeof errno === 'number' && TOLERATED.has(errno)) {
        logger.info({ file, errno }, 'migration statement already applied');
        continue;
      }
      const cause = fromDriverError(error);
      throw mysqlError('EVR_ERR_MYSQL_MIGRATION_FAILED', `migration ${file} failed: ${cause.message}`, {
        cause,
        retriable: cause.retriable,
      });
    }
  }
}
