/**
 * The dimension-lookup contract processors use through `ctx.services`: keyed reads of a reference table
 * (spec §3 of the wrongbook domain) behind a cache. Defined identically in `@evroute/mysql` and
 * `@evroute/sqlite` (a test checks) until it moves to `@evroute/core`.
 */

/** A row of a dimension table: the selected columns by name. */
export type DimensionRow = Readonly<Record<string, unknown>>;

/** A key as processors pass it; it is compared with the table's key column as a string. */
export type DimensionKey = string | number | bigint;

/** Callbacks for the host's metrics registry. Each is optional; a throwing callback is ignored. */
export interface DimensionLookupMetrics {
  /** `count` keys were answered from the cache (including cached "not found" answers). */
  hit?(count: number): void;
  /** `count` keys were not in the cache and went to the database (or joined a fetch in flight). */
  miss?(count: number): void;
  /** A fetch failed; its keys were answered "nothing". */
  error?(error: unknown): void;
}

/** Counters since the lookup was made. */
export interface DimensionLookupStats {
  readonly hits: number;
  readonly misses: number;
  /** Misses that joined a fetch of the same key already in flight (single-flight). */
  readonly coalesced: number;
  /** Failed fetches (each may have covered many keys). */
  readonly errors: number;
  /** Database round trips (each one `WHERE key IN (...)` query). */
  readonly fetches: number;
  /** Entries dropped because the cache was full. */
  readonly evictions: number;
  /** Entries in the cache now. */
  readonly size: number;
  /** Keys being fetched now. */
  readonly inflight: number;
}

/**
 * A lookup by a unique key: at most one row per key. `get` never rejects: a key the table does not have,
 * and a key whose fetch failed, both resolve `undefined` (the failure is counted in `stats().errors` and
 * reported to `metrics.error`).
 */
export interface DimensionLookup<Row extends DimensionRow = DimensionRow> {
  get(key: DimensionKey): Promise<Row | undefined>;
  /** The found rows of `keys`, by the key as a string; one batched fetch for the uncached keys. */
  getMany(keys: Iterable<DimensionKey>): Promise<Map<string, Row>>;
  stats(): DimensionLookupStats;
  /** Forgets every cached entry. */
  clear(): void;
  /** Stops fetching; pending calls resolve "nothing". Releases the pool if the lookup made it. */
  close(): Promise<void>;
}

/**
 * A lookup by a non-unique column (e.g. `tower_teaching_type_pt` by `pt_id`): all matching rows per key,
 * in the table's `orderBy` order. Never rejects: nothing found or a failed fetch resolve `[]`.
 */
export interface DimensionListLookup<Row extends DimensionRow = DimensionRow> {
  get(key: DimensionKey): Promise<readonly Row[]>;
  getMany(keys: Iterable<DimensionKey>): Promise<Map<string, readonly Row[]>>;
  stats(): DimensionLookupStats;
  clear(): void;
  close(): Promise<void>;
}
