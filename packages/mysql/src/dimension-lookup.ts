/**
 * Cached, batched lookups of MySQL dimension tables for processors (registered by the host as services
 * and reached through `ctx.services`). The keys asked for within one tick go to the database in one
 * `SELECT … WHERE key IN (…)`; concurrent misses of a key share a fetch; found rows are cached for
 * `ttlMs` (LRU beyond `maxEntries`), missing keys for `negativeTtlMs`. A failed fetch answers "nothing",
 * is counted, and never fails the event.
 */
import type { Pool } from 'mysql2/promise';
import { resolvePool, type MySqlConnectionOptions, type PoolHandle } from './connection.js';
import type {
  DimensionKey,
  DimensionListLookup,
  DimensionLookup,
  DimensionLookupMetrics,
  DimensionLookupStats,
  DimensionRow,
} from '@evroute/sql-common';
import { fromDriverError, mysqlError } from './errors.js';
import { CachedLoader } from '@evroute/sql-common';
import { checkIdentifier, checkQualifiedName } from '@evroute/sql-common';
import { silentLogger, type Logger } from './logger.js';
import { quoteId } from './upsert-statement.js';

/** Options of the MySQL dimension lookups. Give `pool` (shared) or `connection` (the lookup owns its pool). */
export interface MySqlDimensionLookupOptions {
  readonly name?: string;
  readonly pool?: Pool;
  readonly connection?: MySqlConnectionOptions;
  /** The dimension table, `table` or `schema.table`. */
  readonly table: string;
  /** The column keys are matched against; default `id`. */
  readonly keyColumn?: string;
  /** The columns to return (the key column is always included). */
  readonly columns: readonly string[];
  /** Equality filters ANDed to the lookup, e.g. `{ is_delete: 0 }`; `null` means IS NULL. */
  readonly where?: Readonly<Record<string, string | number | bigint | boolean | null>>;
  /** Row order of a list lookup, e.g. `['order_num', 'id']` (ascending). */
  readonly orderBy?: readonly string[];
  /** How long a found row is served from the cache; default 10 min. */
  readonly ttlMs?: number;
  /** Cache size cap (least recently used keys go first); default 100 000. */
  readonly maxEntries?: number;
  /** How long a missing key is remembered as missing; default 30 s. */
  readonly negativeTtlMs?: number;
  /** How long keys of a failed fetch answer "nothing" without asking again; default 1 s, 0 = never. */
  readonly errorTtlMs?: number;
  /** 0 (default): coalesce the keys asked for in the same tick; > 0: wait this many ms to coalesce more. */
  readonly batchWindowMs?: number;
  /** Most keys in one IN (…) query; default 500. */
  readonly maxBatchSize?: number;
  /** Timeout of one fetch in ms; default 5 000. */
  readonly queryTimeoutMs?: number;
  readonly metrics?: DimensionLookupMetrics;
  readonly logger?: Logger;
}

interface Prepared {
  readonly handle: PoolHandle;
  readonly table: string;
  readonly sql: string;
  readonly values: readonly unknown[];
  readonly keyColumn: string;
  readonly timeoutMs: number;
}

function prepare(options: MySqlDimensionLookupOptions, kind: string): Prepared {
  const table = checkQualifiedName(options.table, `${kind} table`, 'MYSQL');
  const keyColumn = checkIdentifier(options.keyColumn ?? 'id', `${kind} key column`, 'MYSQL');
  const columns = [keyColumn, ...options.columns.map((c) => checkIdentifier(c, `${kind} column`, 'MYSQL')).filter((c) => c !== keyColumn)];
  const filters = Object.entries(options.where ?? {}).map(([column, value]) => ({
    column: checkIdentifier(column, `${kind} where column`, 'MYSQL'),
    value,
  }));
  const order = (options.orderBy ?? []).map((c) => checkIdentifier(c, `${kind} orderBy column`, 'MYSQL'));
  const where = [
    `${quoteId(keyColumn)} IN (?)`,
    ...filters.map((f) => (f.value === null ? `${quoteId(f.column)} IS NULL` : `${quoteId(f.column)} = ?`)),
  ];
  const sql =
    `SELECT ${columns.map(quoteId).join(', ')} FROM ${table.map(quoteId).join('.')} WHERE ${where.join(' AND ')}` +
    (order.length > 0 ? ` ORDER BY ${order.map(quoteId).join(', ')}` : '');
  const timeoutMs = options.queryTimeoutMs ?? 5_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw mysqlError('EVR_ERR_MYSQL_OPTIONS', `${kind}: queryTimeoutMs must be positive`);
  return {
    handle: resolvePool(options, `${kind} "${options.name ?? options.table}"`),
    table: table.join('.'),
    sql,
    values: filters.filter((f) => f.value !== null).map((f) => f.value),
    keyColumn,
    timeoutMs,
  };
}

async function fetchRows(p: Prepared, keys: readonly string[]): Promise<DimensionRow[]> {
  try {
    const [rows] = await p.handle.pool.query({ sql: p.sql, values: [keys, ...p.values], timeout: p.timeoutMs });
    return (rows as Array<Record<string, unknown>>).map((row) => Object.freeze({ ...row }));
  } catch (error) {
    throw fromDriverError(error, { table: p.table });
  }
}

function loaderOptions(options: MySqlDimensionLookupOptions, logger: Logger, table: string) {
  return {
    ttlMs: options.ttlMs ?? 10 * 60_000,
    negativeTtlMs: options.negativeTtlMs ?? 30_000,
    errorTtlMs: options.errorTtlMs ?? 1_000,
    maxEntries: options.maxEntries ?? 100_000,
    batchWindowMs: options.batchWindowMs ?? 0,
    maxBatchSize: options.maxBatchSize ?? 500,
    metrics: options.metrics,
    onError: (error: unknown, keys: number): void => logger.warn({ err: error, table, keys }, 'dimension lookup failed; answering nothing'),
  };
}

/** Looks up at most one row per key (the key column is unique, e.g. `tower_pattern.id`). */
export class MySqlDimensionLookup<Row extends DimensionRow = DimensionRow> implements DimensionLookup<Row> {
  readonly #prepared: Prepared;
  readonly #loader: CachedLoader<Row | undefined>;
  #closed = false;

  constructor(options: MySqlDimensionLookupOptions) {
    this.#prepared = prepare(options, 'MySqlDimensionLookup');
    const p = this.#prepared;
    this.#loader = new CachedLoader<Row | undefined>({
      ...loaderOptions(options, options.logger ?? silentLogger, options.table),
      absent: undefined,
      fetch: async (keys) => {
        const found = new Map<string, Row>();
        for (const row of await fetchRows(p, keys)) {
          const key = String(row[p.keyColumn]);
          if (!found.has(key)) found.set(key, row as Row);
        }
        return found;
      },
    });
  }

  /** The row of `key`, or `undefined` when the table has none or the fetch failed. Never rejects. */
  get(key: DimensionKey): Promise<Row | undefined> {
    return this.#loader.get(String(key));
  }

  /** The found rows of `keys` by key string, fetched together. Never rejects. */
  async getMany(keys: Iterable<DimensionKey>): Promise<Map<string, Row>> {
    const unique = [...new Set([...keys].map(String))];
    const rows = await Promise.all(unique.map((key) => this.#loader.get(key)));
    const found = new Map<string, Row>();
    unique.forEach((key, i) => {
      const row = rows[i];
      if (row !== undefined) found.set(key, row);
    });
    return found;
  }

  /** Counters since the lookup was made. */
  stats(): DimensionLookupStats {
    return this.#loader.stats();
  }

  /** Forgets every cached entry. */
  clear(): void {
    this.#loader.clear();
  }

  /** Stops fetching (pending calls resolve "nothing") and ends the pool if the lookup made it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#loader.close();
    if (this.#prepared.handle.owned) await this.#prepared.handle.pool.end();
  }
}

/** Looks up every row matching a non-unique column (e.g. `tower_teaching_type_pt` by `pt_id`). */
export class MySqlDimensionListLookup<Row extends DimensionRow = DimensionRow> implements DimensionListLookup<Row> {
  readonly #prepared: Prepared;
  readonly #loader: CachedLoader<readonly Row[]>;
  #closed = false;

  constructor(options: MySqlDimensionLookupOptions) {
    this.#prepared = prepare(options, 'MySqlDimensionListLookup');
    const p = this.#prepared;
    this.#loader = new CachedLoader<readonly Row[]>({
      ...loaderOptions(options, options.logger ?? silentLogger, options.table),
      absent: Object.freeze([]),
      fetch: async (keys) => {
        const found = new Map<string, Row[]>();
        for (const row of await fetchRows(p, keys)) {
          const key = String(row[p.keyColumn]);
          const list = found.get(key);
          if (list === undefined) found.set(key, [row as Row]);
          else list.push(row as Row);
        }
        return new Map([...found].map(([key, list]) => [key, Object.freeze(list)]));
      },
    });
  }

  /** The rows of `key` in `orderBy` order; `[]` when none or the fetch failed. Never rejects. */
  get(key: DimensionKey): Promise<readonly Row[]> {
    return this.#loader.get(String(key));
  }

  /** The rows of each of `keys` (keys with none are absent from the map). Never rejects. */
  async getMany(keys: Iterable<DimensionKey>): Promise<Map<string, readonly Row[]>> {
    const unique = [...new Set([...keys].map(String))];
    const lists = await Promise.all(unique.map((key) => this.#loader.get(key)));
    const found = new Map<string, readonly Row[]>();
    unique.forEach((key, i) => {
      const list = lists[i];
      if (list !== undefined && list.length > 0) found.set(key, list);
    });
    return found;
  }

  /** Counters since the lookup was made. */
  stats(): DimensionLookupStats {
    return this.#loader.stats();
  }

  /** Forgets every cached entry. */
  clear(): void {
    this.#loader.clear();
  }

  /** Stops fetching (pending calls resolve "nothing") and ends the pool if the lookup made it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#loader.close();
    if (this.#prepared.handle.owned) await this.#prepared.handle.pool.end();
  }
}
