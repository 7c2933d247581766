/**
 * The engine behind the dimension lookups: a TTL cache with a size cap (least recently used entries go
 * first), short negative caching of keys the table does not have, coalescing of the keys asked for within
 * one tick into one batched fetch, and single-flight (concurrent misses of one key share one fetch).
 * A failed fetch resolves its callers with "nothing" and is counted; it never rejects.
 */
import type { DimensionLookupMetrics, DimensionLookupStats } from './dimension-lookup-types.js';

/** Tuning of a {@link CachedLoader}; every field is required here (the public options have defaults). */
export interface CachedLoaderOptions<V> {
  readonly ttlMs: number;
  readonly negativeTtlMs: number;
  /** How long keys of a failed fetch answer "nothing" without asking again; 0 = ask again at once. */
  readonly errorTtlMs: number;
  readonly maxEntries: number;
  /** 0 = coalesce the keys asked for in the same tick (setImmediate); > 0 = wait this long. */
  readonly batchWindowMs: number;
  readonly maxBatchSize: number;
  /** Fetches the given distinct keys; keys missing from the result do not exist. */
  readonly fetch: (keys: readonly string[]) => Promise<ReadonlyMap<string, V>>;
  /** The value to cache and return for a key that does not exist. */
  readonly absent: V;
  readonly metrics?: DimensionLookupMetrics | undefined;
  readonly onError?: ((error: unknown, keys: number) => void) | undefined;
  readonly now?: () => number;
}

interface Entry<V> {
  readonly value: V;
  readonly expires: number;
}

interface Waiter<V> {
  readonly promise: Promise<V>;
  resolve(value: V): void;
}

type FlushTimer =
  | { readonly kind: 'timeout'; readonly handle: ReturnType<typeof setTimeout> }
  | { readonly kind: 'immediate'; readonly handle: ReturnType<typeof setImmediate> };

/** A batched, single-flight, TTL + LRU cache in front of a fetch function. */
export class CachedLoader<V> {
  readonly #options: CachedLoaderOptions<V>;
  readonly #now: () => number;
  readonly #cache = new Map<string, Entry<V>>();
  /** Keys being fetched or waiting for the next flush, with their callers' shared promise. */
  readonly #inflight = new Map<string, Waiter<V>>();
  #pending: string[] = [];
  #timer: FlushTimer | undefined;
  #closed = false;
  readonly #stats = { hits: 0, misses: 0, coalesced: 0, errors: 0, fetches: 0, evictions: 0 };

  constructor(options: CachedLoaderOptions<V>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The cached value of `key`, or a fetch of it (batched with other keys asked for meanwhile). */
  get(key: string): Promise<V> {
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      if (cached.expires > this.#now()) {
        this.#cache.delete(key); // re-insert: Map order is the LRU order
        this.#cache.set(key, cached);
        this.#stats.hits++;
        this.#report('hit');
        return Promise.resolve(cached.value);
      }
      this.#cache.delete(key);
    }
    this.#stats.misses++;
    this.#report('miss');
    const waiting = this.#inflight.get(key);
    if (waiting !== undefined) {
      this.#stats.coalesced++;
      return waiting.promise;
    }
    if (this.#closed) return Promise.resolve(this.#options.absent);
    let resolve!: (value: V) => void;
    const promise = new Promise<V>((r) => (resolve = r));
    this.#inflight.set(key, { promise, resolve });
    this.#pending.push(key);
    this.#schedule();
    return promise;
  }

  /** Counters and the current cache size. */
  stats(): DimensionLookupStats {
    return { ...this.#stats, size: this.#cache.size, inflight: this.#inflight.size };
  }

  /** Drops every cached entry (in-flight fetches still complete). */
  clear(): void {
    this.#cache.clear();
  }

  /** Stops fetching: pending callers get the absent value, later calls answer from the cache or absent. */
  close(): void {
    this.#closed = true;
    this.#cancelTimer();
    const pending = this.#pending;
    this.#pending = [];
    for (const key of pending) this.#settle(key, this.#options.absent, 0);
  }

  /** Calls the metrics callbacks; a throwing callback must not break a lookup. */
  #report(what: 'hit' | 'miss' | 'error', error?: unknown, keys = 0): void {
    try {
      const metrics = this.#options.metrics;
      if (what === 'hit') metrics?.hit?.(1);
      else if (what === 'miss') metrics?.miss?.(1);
      else {
        metrics?.error?.(error);
        this.#options.onError?.(error, keys);
      }
    } catch {
      // metrics are best effort
    }
  }

  #schedule(): void {
    if (this.#pending.length >= this.#options.maxBatchSize) {
      this.#cancelTimer();
      this.#flush();
      return;
    }
    if (this.#timer !== undefined) return;
    if (this.#options.batchWindowMs > 0) {
      const handle = setTimeout(() => this.#flush(), this.#options.batchWindowMs);
      handle.unref();
      this.#timer = { kind: 'timeout', handle };
    } else {
      this.#timer = { kind: 'immediate', handle: setImmediate(() => this.#flush()) };
    }
  }

  #cancelTimer(): void {
    const timer = this.#timer;
    this.#timer = undefined;
    if (timer?.kind === 'timeout') clearTimeout(timer.handle);
    else if (timer?.kind === 'immediate') clearImmediate(timer.handle);
  }

  #flush(): void {
    this.#timer = undefined;
    while (this.#pending.length > 0) {
      const keys = this.#pending.splice(0, this.#options.maxBatchSize);
      void this.#fetch(keys);
    }
  }

  async #fetch(keys: readonly string[]): Promise<void> {
    this.#stats.fetches++;
    let found: ReadonlyMap<string, V>;
    try {
      found = await this.#options.fetch(keys);
    } catch (error) {
      this.#stats.errors++;
      this.#report('error', error, keys.length);
      for (const key of keys) this.#settle(key, this.#options.absent, this.#options.errorTtlMs);
      return;
    }
    for (const key of keys) {
      const value = found.get(key);
      if (value === undefined) this.#settle(key, this.#options.absent, this.#options.negativeTtlMs);
      else this.#settle(key, value, this.#options.ttlMs);
    }
  }

  #settle(key: string, value: V, ttlMs: number): void {
    const waiter = this.#inflight.get(key);
    this.#inflight.delete(key);
    if (ttlMs > 0 && !this.#closed) {
      this.#cache.delete(key);
      this.#cache.set(key, { value, expires: this.#now() + ttlMs });
      while (this.#cache.size > this.#options.maxEntries) {
        const oldest = this.#cache.keys().next();
        if (oldest.done === true) break;
        this.#cache.delete(oldest.value);
        this.#stats.evictions++;
      }
    }
    waiter?.resolve(value);
  }
}
