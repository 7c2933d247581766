/**
 * The database every SQLite component works on: a `node:sqlite` `DatabaseSync` given by the caller (and
 * closed by the caller), or a file path the component opens, sets up (WAL, busy timeout, synchronous)
 * and closes itself.
 */
import { DatabaseSync } from 'node:sqlite';
import { sqliteError } from './errors.js';

/** Where the database is. Give `database` (shared) or `path` (the component opens and owns it). */
export interface SqliteDatabaseOptions {
  /** An open database to share between components (sink, config source, lookups). */
  readonly database?: DatabaseSync;
  /** A file to open, or `:memory:`. */
  readonly path?: string;
  /** How long a write waits for another connection's lock, ms; default 5 000. Only for `path`. */
  readonly busyTimeoutMs?: number;
  /**
   * `FULL` (default): a commit survives power loss. `NORMAL`: survives a crash of the process, faster.
   * Only for `path`.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/** Opens a database file the way the adapters want it: WAL journal, busy timeout, chosen durability. */
export function openSqliteDatabase(path: string, options: Omit<SqliteDatabaseOptions, 'database' | 'path'> = {}): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? 5_000 });
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  return db;
}

/** The database a component uses, and whether it must close it. */
export interface DatabaseHandle {
  readonly db: DatabaseSync;
  readonly owned: boolean;
}

/** Picks the shared `database` or opens `path`; exactly one must be given, else `EVR_ERR_SQLITE_OPTIONS`. */
export function resolveDatabase(options: SqliteDatabaseOptions, component: string): DatabaseHandle {
  if (options.database !== undefined && options.path !== undefined) {
    throw sqliteError('EVR_ERR_SQLITE_OPTIONS', `${component}: give either \`database\` or \`path\`, not both`);
  }
  if (options.database !== undefined) return { db: options.database, owned: false };
  if (options.path !== undefined) {
    const { busyTimeoutMs, synchronous } = options;
    return {
      db: openSqliteDatabase(options.path, { ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }), ...(synchronous === undefined ? {} : { synchronous }) }),
      owned: true,
    };
  }
  throw sqliteError('EVR_ERR_SQLITE_OPTIONS', `${component}: needs \`database\` (an open DatabaseSync to share) or \`path\``);
}

/** Closes the database if the component opened it. */
export function releaseDatabase(handle: DatabaseHandle): void {
  if (handle.owned && handle.db.isOpen) handle.db.close();
}
