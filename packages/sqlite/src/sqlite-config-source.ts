/**
 * `SqliteConfigSource`: the live routing table from a SQLite `routing_configs` table with the seed's
 * columns (and our optional `outputs_json`, `fanout`). Like `MySqlConfigSource`: a full read at start,
 * then every interval; a snapshot is emitted only when the content changed (never judged by
 * `update_time`), so updates, disables, deletes and several updates within a second are all seen.
 */
import { backoffDelay, EvrouteError, type ConfigSource, type ConfigSourceHandler } from '@evroute/core';
import { releaseDatabase, resolveDatabase, type DatabaseHandle, type SqliteDatabaseOptions } from './database.js';
import { fromSqliteError, sqliteError } from './errors.js';
import { checkQualifiedName } from '@evroute/sql-common';
import { SnapshotTracker, toRoutingContent, type RoutingTableRow } from '@evroute/sql-common';
import { silentLogger, type Logger } from './logger.js';
import { quoteId } from './upsert-statement.js';

const REQUIRED = ['id', 'domain', 'event_type', 'processor_class', 'enabled', 'priority', 'config_json'] as const;
const OPTIONAL = ['outputs_json', 'fanout'] as const;

/** Options of {@link SqliteConfigSource}. */
export interface SqliteConfigSourceOptions extends SqliteDatabaseOptions {
  readonly name?: string;
  /** The routing table, `table` or `schema.table`; default `routing_configs`. */
  readonly table?: string;
  /** Poll interval in ms; default 30 000, at least 100. */
  readonly intervalMs?: number;
  /** Retry schedule after a failed read; default 1 s doubling up to 30 s. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly logger?: Logger;
}

/** A `ConfigSource` over a SQLite `routing_configs` table. */
export class SqliteConfigSource implements ConfigSource {
  readonly name: string;
  readonly #handle: DatabaseHandle;
  readonly #tableParts: readonly string[];
  readonly #intervalMs: number;
  readonly #backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly #logger: Logger;
  readonly #tracker = new SnapshotTracker();
  #handler: ConfigSourceHandler | undefined;
  #select: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #healthy = false;
  #closed = false;

  constructor(options: SqliteConfigSourceOptions) {
    this.name = options.name ?? 'sqlite';
    this.#tableParts = checkQualifiedName(options.table ?? 'routing_configs', 'routing table name', 'SQLITE');
    this.#intervalMs = options.intervalMs ?? 30_000;
    if (!Number.isFinite(this.#intervalMs) || this.#intervalMs < 100) {
      throw sqliteError('EVR_ERR_SQLITE_OPTIONS', `SqliteConfigSource: intervalMs must be at least 100, got ${this.#intervalMs}`);
    }
    this.#backoff = { initialMs: options.backoff?.initialMs ?? 1_000, maxMs: options.backoff?.maxMs ?? 30_000 };
    this.#logger = options.logger ?? silentLogger;
    this.#handle = resolveDatabase(options, `SqliteConfigSource "${this.name}"`);
  }

  /** Reads the table, emits the first snapshot, then polls. Rejects with `EVR_ERR_CONFIG_SOURCE_FAILED` when the first read fails. */
  start(handler: ConfigSourceHandler, signal: AbortSignal): Promise<void> {
    if (this.#closed) return Promise.reject(sqliteError('EVR_ERR_SQLITE_CLOSED', `SqliteConfigSource "${this.name}" is closed`));
    this.#handler = handler;
    signal.addEventListener('abort', () => this.#stopTimer(), { once: true });
    const failure = this.#read();
    if (failure !== undefined) return Promise.reject(failure);
    this.#schedule(this.#intervalMs);
    return Promise.resolve();
  }

  /** Reads the table now; rejects with the coded error of a failed read (also reported to the handler). */
  refresh(): Promise<void> {
    const failure = this.#read();
    return failure === undefined ? Promise.resolve() : Promise.reject(failure);
  }

  /** Stops polling and closes the database if the source opened it. */
  close(_signal: AbortSignal): Promise<void> {
    this.#closed = true;
    this.#stopTimer();
    releaseDatabase(this.#handle);
    return Promise.resolve();
  }

  /** True while the last read succeeded. */
  healthy(): boolean {
    return this.#healthy && !this.#closed;
  }

  #schedule(delay: number): void {
    if (this.#closed) return;
    this.#stopTimer();
    this.#timer = setTimeout(() => {
      const failure = this.#read();
      this.#failures = failure === undefined ? 0 : this.#failures + 1;
      this.#schedule(failure === undefined ? this.#intervalMs : backoffDelay(this.#failures - 1, this.#backoff));
    }, delay);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One synchronous read; returns the failure (reported to the handler) or undefined. */
  #read(): EvrouteError | undefined {
    if (this.#closed) return undefined;
    const name = this.#tableParts.join('.');
    try {
      this.#select ??= this.#prepareSelect();
      const rows = this.#handle.db.prepare(this.#select).all() as unknown as RoutingTableRow[];
      const snapshot = this.#tracker.next(toRoutingContent(rows));
      this.#healthy = true;
      if (snapshot !== undefined && this.#handler !== undefined) {
        this.#logger.info({ version: snapshot.version, routes: snapshot.routes.length, invalid: snapshot.invalid?.length ?? 0 }, 'routing table changed');
        try {
          this.#handler.snapshot(snapshot);
        } catch (error) {
          this.#logger.error({ err: error }, 'config handler threw on a snapshot');
        }
      }
      return undefined;
    } catch (caught) {
      this.#select = undefined;
      this.#healthy = false;
      const cause = fromSqliteError(caught, { table: name });
      const error = new EvrouteError(
        'EVR_ERR_CONFIG_SOURCE_FAILED',
        `reading routing table ${name} failed (${cause.code}: ${cause.message}); the last good table keeps serving`,
        { retriable: cause.retriable, cause, context: { table: name } },
      );
      this.#logger.warn({ err: error }, 'routing table read failed');
      try {
        this.#handler?.error(error);
      } catch (handlerError) {
        this.#logger.error({ err: handlerError }, 'config handler threw on an error');
      }
      return error;
    }
  }

  #prepareSelect(): string {
    const [schema, table] = this.#tableParts.length === 2 ? this.#tableParts : ['main', this.#tableParts[0]];
    const rows = this.#handle.db.prepare('SELECT name FROM pragma_table_info(?, ?)').all(table ?? '', schema ?? 'main') as Array<{ name: string }>;
    const present = new Set(rows.map((row) => row.name.toLowerCase()));
    const name = this.#tableParts.join('.');
    if (present.size === 0) throw sqliteError('EVR_ERR_SQLITE_TABLE_MISSING', `routing table ${name} does not exist: create it with migrate()`, { context: { table: name } });
    const missing = REQUIRED.filter((column) => !present.has(column));
    if (missing.length > 0) {
      throw sqliteError('EVR_ERR_SQLITE_TABLE_MISSING', `routing table ${name} lacks column(s) ${missing.join(', ')}`, { context: { table: name } });
    }
    const columns = [
      `CAST(${quoteId('id')} AS TEXT) AS ${quoteId('id')}`,
      ...REQUIRED.filter((c) => c !== 'id').map(quoteId),
      ...OPTIONAL.filter((c) => present.has(c)).map(quoteId),
    ];
    return `SELECT ${columns.join(', ')} FROM ${this.#tableParts.map(quoteId).join('.')} ORDER BY ${quoteId('id')}`;
  }
}
