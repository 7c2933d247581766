/**
 * `MySqlConfigSource`: the live routing table, read from the seed's `routing_configs` table (its DDL
 * unchanged; our optional `outputs_json` and `fanout` columns are used when a migration added them).
 * A full read at start, then a full read every interval; a new snapshot is emitted only when the
 * content changed (compared row by row over every column a route is made of, never by `update_time`),
 * so updates, disables, physical DELETEs and several updates within one second are all seen.
 */
import { backoffDelay, EvrouteError, type ConfigSource, type ConfigSourceHandler } from '@evroute/core';
import type { Pool } from 'mysql2/promise';
import { resolvePool, type MySqlConnectionOptions, type PoolHandle } from './connection.js';
import { fromDriverError, mysqlError } from './errors.js';
import { checkQualifiedName } from '@evroute/sql-common';
import { SnapshotTracker, toRoutingContent, type RoutingTableRow } from '@evroute/sql-common';
import { silentLogger, type Logger } from './logger.js';
import { quoteId } from './upsert-statement.js';

/** The seed's refresh interval (`routing.config.refresh.interval=30000`). */
export const DEFAULT_CONFIG_POLL_INTERVAL_MS = 30_000;

const REQUIRED = ['id', 'domain', 'event_type', 'processor_class', 'enabled', 'priority', 'config_json'] as const;
const OPTIONAL = ['outputs_json', 'fanout'] as const;

/** Options of {@link MySqlConfigSource}. Give `pool` (shared) or `connection` (the source owns its pool). */
export interface MySqlConfigSourceOptions {
  /** Name for logs; default `mysql`. */
  readonly name?: string;
  readonly pool?: Pool;
  readonly connection?: MySqlConnectionOptions;
  /** The routing table, `table` or `schema.table`; default `routing_configs` in the connection's database. */
  readonly table?: string;
  /** Poll interval in ms; default 30 000 (the seed's), at least 100. */
  readonly intervalMs?: number;
  /** Retry schedule after a failed read (exponential with jitter); default 1 s doubling up to 30 s. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Timeout of each read in ms; default 10 000. */
  readonly queryTimeoutMs?: number;
  readonly logger?: Logger;
}

/** A `ConfigSource` over a MySQL/MariaDB `routing_configs` table. */
export class MySqlConfigSource implements ConfigSource {
  readonly name: string;
  readonly #handle: PoolHandle;
  readonly #tableParts: readonly string[];
  readonly #intervalMs: number;
  readonly #backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  readonly #tracker = new SnapshotTracker();
  #handler: ConfigSourceHandler | undefined;
  #select: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #failures = 0;
  #healthy = false;
  #closed = false;

  constructor(options: MySqlConfigSourceOptions) {
    this.name = options.name ?? 'mysql';
    this.#tableParts = checkQualifiedName(options.table ?? 'routing_configs', 'routing table name', 'MYSQL');
    this.#intervalMs = options.intervalMs ?? DEFAULT_CONFIG_POLL_INTERVAL_MS;
    if (!Number.isFinite(this.#intervalMs) || this.#intervalMs < 100) {
      throw mysqlError('EVR_ERR_MYSQL_OPTIONS', `MySqlConfigSource: intervalMs must be at least 100, got ${this.#intervalMs}`);
    }
    this.#backoff = { initialMs: options.backoff?.initialMs ?? 1_000, maxMs: options.backoff?.maxMs ?? 30_000 };
    this.#timeoutMs = options.queryTimeoutMs ?? 10_000;
    this.#logger = options.logger ?? silentLogger;
    this.#handle = resolvePool(options, `MySqlConfigSource "${this.name}"`);
  }

  /**
   * Reads the table, emits the first snapshot, then polls every interval. Rejects with a coded error
   * (`EVR_ERR_CONFIG_SOURCE_FAILED`, its `cause` the MySQL error; retriable unless the table is missing
   * or access is denied) when the first read fails.
   */
  async start(handler: ConfigSourceHandler, signal: AbortSignal): Promise<void> {
    if (this.#closed) throw mysqlError('EVR_ERR_MYSQL_CLOSED', `MySqlConfigSource "${this.name}" is closed`);
    this.#handler = handler;
    signal.addEventListener('abort', () => this.#stopTimer(), { once: true });
    const failure = await this.#serial();
    if (failure !== undefined) throw failure;
    this.#schedule(this.#intervalMs);
  }

  /**
   * Reads the table now (after any read in flight) and emits a snapshot if it changed. Rejects with the
   * coded error of a failed read, which is also reported to the handler; the last good table stays.
   */
  async refresh(): Promise<void> {
    const failure = await this.#serial();
    if (failure !== undefined) throw failure;
  }

  /** Stops polling, waits for a read in flight, and closes the pool if the source made it. */
  async close(_signal: AbortSignal): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimer();
    await this.#queue.catch(() => undefined);
    if (this.#handle.owned) await this.#handle.pool.end();
  }

  /** True while the last read succeeded. */
  healthy(): boolean {
    return this.#healthy && !this.#closed;
  }

  /** The version of the last emitted snapshot. */
  get version(): number {
    return this.#tracker.version;
  }

  #schedule(delay: number): void {
    if (this.#closed) return;
    this.#stopTimer();
    this.#timer = setTimeout(() => {
      void this.#serial().then((failure) => {
        this.#failures = failure === undefined ? 0 : this.#failures + 1;
        this.#schedule(failure === undefined ? this.#intervalMs : backoffDelay(this.#failures - 1, this.#backoff));
      });
    }, delay);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Runs one read after the previous one; resolves with the failure (never rejects). */
  #serial(): Promise<EvrouteError | undefined> {
    const run = this.#queue.then(() => this.#read());
    this.#queue = run;
    return run;
  }

  async #read(): Promise<EvrouteError | undefined> {
    if (this.#closed) return undefined;
    const handler = this.#handler;
    try {
      this.#select ??= await this.#prepareSelect();
      const [rows] = await this.#handle.pool.query({ sql: this.#select, timeout: this.#timeoutMs });
      const snapshot = this.#tracker.next(toRoutingContent(rows as RoutingTableRow[]));
      this.#healthy = true;
      if (snapshot !== undefined && !this.#closed && handler !== undefined) {
        this.#logger.info({ version: snapshot.version, routes: snapshot.routes.length, invalid: snapshot.invalid?.length ?? 0 }, 'routing table changed');
        for (const bad of snapshot.invalid ?? []) this.#logger.warn({ route: bad.id, reason: bad.reason }, 'routing row refused');
        try {
          handler.snapshot(snapshot);
        } catch (error) {
          this.#logger.error({ err: error }, 'config handler threw on a snapshot');
        }
      }
      return undefined;
    } catch (caught) {
      this.#select = undefined; // look at the columns again: a migration may have changed the table
      this.#healthy = false;
      const cause = fromDriverError(caught, { table: this.#tableParts.join('.') });
      const error = new EvrouteError(
        'EVR_ERR_CONFIG_SOURCE_FAILED',
        `reading routing table ${this.#tableParts.join('.')} failed (${cause.code}: ${cause.message}); the last good table keeps serving`,
        { retriable: cause.retriable, cause, context: { table: this.#tableParts.join('.') } },
      );
      this.#logger.warn({ err: error }, 'routing table read failed');
      try {
        handler?.error(error);
      } catch (handlerError) {
        this.#logger.error({ err: handlerError }, 'config handler threw on an error');
      }
      return error;
    }
  }

  /** Finds which columns the table has (once, and again after a failure) and builds the SELECT. */
  async #prepareSelect(): Promise<string> {
    const [schema, table] = this.#tableParts.length === 2 ? this.#tableParts : [null, this.#tableParts[0]];
    const [rows] = await this.#handle.pool.query({
      sql: 'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
      values: [schema, table],
      timeout: this.#timeoutMs,
    });
    const present = new Set((rows as Array<{ name: string }>).map((row) => row.name.toLowerCase()));
    const name = this.#tableParts.join('.');
    if (present.size === 0) {
      throw mysqlError('EVR_ERR_MYSQL_TABLE_MISSING', `routing table ${name} does not exist: create it with the seed DDL or migrate()`, {
        context: { table: name },
      });
    }
    const missing = REQUIRED.filter((column) => !present.has(column));
    if (missing.length > 0) {
      throw mysqlError('EVR_ERR_MYSQL_TABLE_MISSING', `routing table ${name} lacks column(s) ${missing.join(', ')} of the seed DDL`, {
        context: { table: name },
      });
    }
    const columns = [
      `CAST(${quoteId('id')} AS CHAR) AS ${quoteId('id')}`,
      ...REQUIRED.filter((c) => c !== 'id').map(quoteId),
      ...OPTIONAL.filter((c) => present.has(c)).map(quoteId),
    ];
    return `SELECT ${columns.join(', ')} FROM ${this.#tableParts.map(quoteId).join('.')} ORDER BY ${quoteId('id')}`;
  }
}
