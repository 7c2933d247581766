/**
 * What the admin server can read from a router's parts (source, sinks, dead-letter sink, services),
 * found by duck typing so that no adapter package has to depend on this one:
 * - health: `healthy(): boolean` (the core `Source` and `Sink` contracts) → `/readyz`;
 * - consumer lag: `positions()` returning `{ topic, partition, lag }` rows (the Kafka source), or
 *   `lag()` returning the same rows with numeric lag → `evroute_consumer_lag_records`;
 * - cache counters: `stats()` returning `{ hits, misses, size? }` (the MySQL and SQLite dimension
 *   lookups) → `evroute_dimension_cache_*`.
 * A part that throws from one of these is reported as failing (health) or skipped (metrics).
 */

/** A part with a health check (sources and sinks may have one). */
export interface HealthCheck {
  healthy(): boolean;
}

/** The lag of one partition, in records. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** A source that reports its consumer lag per partition (see the module comment for the two shapes). */
export type LagProvider = { positions(): readonly { topic: string; partition: number; lag: string | number | null }[] } | { lag(): readonly PartitionLag[] };

/** Cache counters of a dimension lookup. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The part's `healthy` function, when it has one. */
export function healthCheckOf(part: unknown): HealthCheck['healthy'] | undefined {
  if (!isObject(part) || typeof part['healthy'] !== 'function') return undefined;
  const fn = part['healthy'] as () => unknown;
  return () => fn.call(part) === true;
}

/** The part's lag rows now, or undefined when it does not report lag or fails to. */
export function lagOf(part: unknown): PartitionLag[] | undefined {
  if (!isObject(part)) return undefined;
  try {
    let rows: unknown;
    if (typeof part['lag'] === 'function') rows = (part['lag'] as () => unknown).call(part);
    else if (typeof part['positions'] === 'function') rows = (part['positions'] as () => unknown).call(part);
    else return undefined;
    if (!Array.isArray(rows)) return undefined;
    const out: PartitionLag[] = [];
    for (const row of rows as unknown[]) {
      if (!isObject(row) || typeof row['topic'] !== 'string' || typeof row['partition'] !== 'number') continue;
      const lag = Number(row['lag']);
      if (row['lag'] === null || row['lag'] === undefined || !Number.isFinite(lag)) continue;
      out.push({ topic: row['topic'], partition: row['partition'], lag });
    }
    return out;
  } catch {
    return undefined;
  }
}

/** The part's cache counters now, or undefined when it has none or fails to report them. */
export function cacheStatsOf(part: unknown): CacheStats | undefined {
  if (!isObject(part) || typeof part['stats'] !== 'function') return undefined;
  try {
    const stats = (part['stats'] as () => unknown).call(part);
    if (!isObject(stats) || typeof stats['hits'] !== 'number' || typeof stats['misses'] !== 'number') return undefined;
    return { hits: stats['hits'], misses: stats['misses'], ...(typeof stats['size'] === 'number' ? { size: stats['size'] } : {}) };
  } catch {
    return undefined;
  }
}
