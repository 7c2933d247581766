/**
 * Cached, batched lookups of SQLite dimension tables, with the same contract as `@evroute/mysql`'s: the
 * keys asked for within one tick are read with one query (`WHERE key IN (SELECT value FROM
 * json_each(?))`), concurrent misses share it, found rows are cached for `ttlMs` (LRU beyond
 * `maxEntries`), missing keys for `negativeTtlMs`; a failure answers "nothing" and is counted.
 */
import type { StatementSync } from 'node:sqlite';
import { releaseDatabase, resolveDatabase, type DatabaseHandle, type SqliteDatabaseOptions } from './database.js';
import type {
  DimensionKey,
  DimensionListLookup,
  DimensionLookup,
  DimensionLookupMetrics,
  DimensionLookupStats,
  DimensionRow,
} from '@evroute/sql-common';
import { fromSqliteError } from './errors.js';
import { CachedLoader } from '@evroute/sql-common';
import { checkIdentifier, checkQualifiedName } from '@evroute/sql-common';
import { silentLogger, type Logger } from './logger.js';
import { quoteId } from './upsert-statement.js';

/** Options of the SQLite dimension lookups (see `MySqlDimensionLookupOptions` for each field). */
export interface SqliteDimensionLookupOptions extends SqliteDatabaseOptions {
  readonly name?: string;
  readonly table: string;
  /** Default `id`. */
  readonly keyColumn?: string;
  readonly columns: readonly string[];
  readonly where?: Readonly<Record<string, string | number | bigint | boolean | null>>;
  readonly orderBy?: readonly string[];
  /** Default 10 min. */
  readonly ttlMs?: number;
  /** Default 100 000. */
  readonly maxEntries?: number;
  /** Default 30 s. */
  readonly negativeTtlMs?: number;
  /** Default 1 s. */
  readonly errorTtlMs?: number;
  /** Default 0 (same tick). */
  readonly batchWindowMs?: number;
  /** Default 500. */
  readonly maxBatchSize?: number;
  readonly metrics?: DimensionLookupMetrics;
  readonly logger?: Logger;
}

class Reader {
  readonly handle: DatabaseHandle;
  readonly keyColumn: string;
  readonly #sql: string;
  readonly #values: Array<string | number | bigint>;
  readonly #table: string;
  #statement: StatementSync | undefined;

  constructor(options: SqliteDimensionLookupOptions, kind: string) {
    const table = checkQualifiedName(options.table, `${kind} table`, 'SQLITE');
    this.#table = table.join('.');
    this.keyColumn = checkIdentifier(options.keyColumn ?? 'id', `${kind} key column`, 'SQLITE');
    const columns = [this.keyColumn, ...options.columns.map((c) => checkIdentifier(c, `${kind} column`, 'SQLITE')).filter((c) => c !== this.keyColumn)];
    const filters = Object.entries(options.where ?? {}).map(([column, value]) => ({ column: checkIdentifier(column, `${kind} where column`, 'SQLITE'), value }));
    const order = (options.orderBy ?? []).map((c) => checkIdentifier(c, `${kind} orderBy column`, 'SQLITE'));
    const where = [
      `${quoteId(this.keyColumn)} IN (SELECT value FROM json_each(?))`,
      ...filters.map((f) => (f.value === null ? `${quoteId(f.column)} IS NULL` : `${quoteId(f.column)} = ?`)),
    ];
    this.#sql =
      `SELECT ${columns.map(quoteId).join(', ')} FROM ${table.map(quoteId).join('.')} WHERE ${where.join(' AND ')}` +
      (order.length > 0 ? ` ORDER BY ${order.map(quoteId).join(', ')}` : '');
    this.#values = filters.flatMap((f) => (f.value === null ? [] : [typeof f.value === 'boolean' ? (f.value ? 1 : 0) : f.value]));
    this.handle = resolveDatabase(options, `${kind} "${options.name ?? options.table}"`);
  }

  read(keys: readonly string[]): Promise<DimensionRow[]> {
    try {
      this.#statement ??= this.handle.db.prepare(this.#sql);
      const rows = this.#statement.all(JSON.stringify(keys), ...this.#values) as Array<Record<string, unknown>>;
      return Promise.resolve(rows.map((row) => Object.freeze({ ...row })));
    } catch (error) {
      this.#statement = undefined;
      return Promise.reject(fromSqliteError(error, { table: this.#table }));
    }
  }
}

function loaderOptions(options: SqliteDimensionLookupOptions) {
  const logger = options.logger ?? silentLogger;
  return {
    ttlMs: options.ttlMs ?? 10 * 60_000,
    negativeTtlMs: options.negativeTtlMs ?? 30_000,
    errorTtlMs: options.errorTtlMs ?? 1_000,
    maxEntries: options.maxEntries ?? 100_000,
    batchWindowMs: options.batchWindowMs ?? 0,
    maxBatchSize: options.maxBatchSize ?? 500,
    metrics: options.metrics,
    onError: (error: unknown, keys: number): void => logger.warn({ err: error, table: options.table, keys }, 'dimension lookup failed; answering nothing'),
  };
}

/** Looks up at most one row per key of a SQLite table. Never rejects. */
export class SqliteDimensionLookup<Row extends DimensionRow = DimensionRow> implements DimensionLookup<Row> {
  readonly #reader: Reader;
  readonly #loader: CachedLoader<Row | undefined>;

  constructor(options: SqliteDimensionLookupOptions) {
    const reader = new Reader(options, 'SqliteDimensionLookup');
    this.#reader = reader;
    this.#loader = new CachedLoader<Row | undefined>({
      ...loaderOptions(options),
      absent: undefined,
      fetch: async (keys) => {
        const found = new Map<string, Row>();
        for (const row of await reader.read(keys)) {
          const key = keyText(row[reader.keyColumn]);
          if (!found.has(key)) found.set(key, row as Row);
        }
        return found;
      },
    });
  }

  /** The row of `key`, or `undefined` when the table has none or the read failed. Never rejects. */
  get(key: DimensionKey): Promise<Row | undefined> {
    return this.#loader.get(String(key));
  }

  /** The found rows of `keys` by key string, read together. Never rejects. */
  async getMany(keys: Iterable<DimensionKey>): Promise<Map<string, Row>> {
    const unique = [...new Set([...keys].map(String))];
    const rows = await Promise.all(unique.map((key) => this.#loader.get(key)));
    return new Map(unique.flatMap((key, i) => (rows[i] === undefined ? [] : [[key, rows[i]] as const])));
  }

  /** Counters since the lookup was made. */
  stats(): DimensionLookupStats {
    return this.#loader.stats();
  }

  /** Forgets every cached entry. */
  clear(): void {
    this.#loader.clear();
  }

  /** Stops reading (pending calls resolve "nothing") and closes the database if the lookup opened it. */
  close(): Promise<void> {
    this.#loader.close();
    releaseDatabase(this.#reader.handle);
    return Promise.resolve();
  }
}

/** Looks up every row matching a non-unique column of a SQLite table. Never rejects. */
export class SqliteDimensionListLookup<Row extends DimensionRow = DimensionRow> implements DimensionListLookup<Row> {
  readonly #reader: Reader;
  readonly #loader: CachedLoader<readonly Row[]>;

  constructor(options: SqliteDimensionLookupOptions) {
    const reader = new Reader(options, 'SqliteDimensionListLookup');
    this.#reader = reader;
    this.#loader = new CachedLoader<readonly Row[]>({
      ...loaderOptions(options),
      absent: Object.freeze([]),
      fetch: async (keys) => {
        const found = new Map<string, Row[]>();
        for (const row of await reader.read(keys)) {
          const key = keyText(row[reader.keyColumn]);
          const list = found.get(key);
          if (list === undefined) found.set(key, [row as Row]);
          else list.push(row as Row);
        }
        return new Map([...found].map(([key, list]) => [key, Object.freeze(list)]));
      },
    });
  }

  /** The rows of `key` in `orderBy` order; `[]` when none or the read failed. Never rejects. */
  get(key: DimensionKey): Promise<readonly Row[]> {
    return this.#loader.get(String(key));
  }

  /** The rows of each of `keys` (keys with none are absent from the map). Never rejects. */
  async getMany(keys: Iterable<DimensionKey>): Promise<Map<string, readonly Row[]>> {
    const unique = [...new Set([...keys].map(String))];
    const lists = await Promise.all(unique.map((key) => this.#loader.get(key)));
    return new Map(unique.flatMap((key, i) => ((lists[i]?.length ?? 0) === 0 ? [] : [[key, lists[i] ?? []] as const])));
  }

  /** Counters since the lookup was made. */
  stats(): DimensionLookupStats {
    return this.#loader.stats();
  }

  /** Forgets every cached entry. */
  clear(): void {
    this.#loader.clear();
  }

  /** Stops reading (pending calls resolve "nothing") and closes the database if the lookup opened it. */
  close(): Promise<void> {
    this.#loader.close();
    releaseDatabase(this.#reader.handle);
    return Promise.resolve();
  }
}

function keyText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}
