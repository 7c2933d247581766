/**
 * Groups records for one sink into batches by size and linger, writes one batch at a time, and retries
 * a failed write with backoff until it succeeds or the batcher is closed. `add` resolves when every
 * record it added is written or refused for good, so the pipeline can acknowledge exactly then.
 */
import type { Logger } from 'pino';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.js';
import { EvrouteError, isEvrouteError, toEvrouteError } from './errors.js';
import { publish } from './instrumentation.js';

/** A record the sink refused for good, with the reason. */
export interface Refusal<T> {
  readonly item: T;
  readonly error: EvrouteError;
}

/** Writes one batch; returns the indices it refused for good (the rest are durable). */
export type BatchWrite<T> = (
  items: readonly T[],
  signal: AbortSignal,
) => Promise<ReadonlyArray<{ readonly index: number; readonly error: EvrouteError }> | undefined>;

/** Settings of a {@link Batcher}. */
export interface BatcherOptions<T> {
  readonly name: string;
  readonly write: BatchWrite<T>;
  readonly logger: Logger;
  /** Records per batch (default 500). */
  readonly size?: number;
  /** How long a partial batch may wait for more records, ms (default 20). */
  readonly lingerMs?: number;
  /** Backoff between retries of a failed write. */
  readonly backoff?: BackoffOptions;
  /** Called after every write attempt with its outcome; used for metrics. */
  readonly onWrite?: (info: { size: number; ms: number; ok: boolean }) => void;
}

interface Entry<T> {
  remaining: number;
  readonly refused: Refusal<T>[];
  readonly resolve: (refused: Refusal<T>[]) => void;
  readonly reject: (error: unknown) => void;
}

export class Batcher<T> {
  readonly #options: BatcherOptions<T>;
  readonly #size: number;
  readonly #lingerMs: number;
  // Parallel arrays rather than one {item, entry} object per record: less garbage on the hot path.
  #items: T[] = [];
  #entries: Entry<T>[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lingered = false;
  #writing: Promise<void> | undefined;
  readonly #closed = new AbortController();

  constructor(options: BatcherOptions<T>) {
    this.#options = options;
    this.#size = options.size ?? 500;
    this.#lingerMs = options.lingerMs ?? 20;
  }

  /** Records waiting or being written. */
  get pending(): number {
    return this.#items.length;
  }

  /**
   * Queues records. Resolves with the ones refused for good once all are written or refused; rejects
   * with `EVR_ERR_PIPELINE_STOPPED` when the batcher is closed first (nothing is then acknowledged).
   */
  add(items: readonly T[]): Promise<Refusal<T>[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (this.#closed.signal.aborted) return Promise.reject(this.#stopped());
    return new Promise((resolve, reject) => {
      const entry: Entry<T> = { remaining: items.length, refused: [], resolve, reject };
      for (const item of items) {
        this.#items.push(item);
        this.#entries.push(entry);
      }
      this.#schedule();
    });
  }

  /** Writes what is buffered now, without waiting for the linger time. */
  flushNow(): void {
    this.#lingered = true;
    this.#schedule();
  }

  /** Stops retrying; every record not yet written is rejected with `EVR_ERR_PIPELINE_STOPPED`. */
  close(): void {
    this.#closed.abort(this.#stopped());
    clearTimeout(this.#timer);
    for (const entry of new Set(this.#entries)) entry.reject(this.#stopped());
    this.#items = [];
    this.#entries = [];
  }

  #stopped(): EvrouteError {
    return new EvrouteError('EVR_ERR_PIPELINE_STOPPED', `sink ${this.#options.name} is closed`);
  }

  #schedule(): void {
    if (this.#writing || this.#items.length === 0) return;
    if (this.#items.length >= this.#size || this.#lingered) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#lingered = false;
      let items: T[];
      let entries: Entry<T>[];
      if (this.#items.length <= this.#size) {
        items = this.#items;
        entries = this.#entries;
        this.#items = [];
        this.#entries = [];
      } else {
        items = this.#items.splice(0, this.#size);
        entries = this.#entries.splice(0, this.#size);
      }
      this.#writing = this.#write(items, entries).finally(() => {
        this.#writing = undefined;
        this.#schedule();
      });
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#lingered = true;
      this.#schedule();
    }, this.#lingerMs);
  }

  async #write(items: T[], entries: Entry<T>[]): Promise<void> {
    const signal = this.#closed.signal;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        const refused = (await this.#options.write(items, signal)) ?? [];
        this.#options.onWrite?.({ size: items.length, ms: performance.now() - started, ok: true });
        for (const { index, error } of refused) {
          const entry = entries[index];
          if (entry) entry.refused.push({ item: items[index]!, error });
        }
        this.#settle(entries);
        return;
      } catch (error) {
        this.#options.onWrite?.({ size: items.length, ms: performance.now() - started, ok: false });
        if (signal.aborted) {
          for (const entry of entries) entry.reject(this.#stopped());
          return;
        }
        if (isEvrouteError(error) && !error.retriable) {
          // A permanent failure of the whole batch: every record is refused with it.
          entries.forEach((entry, i) => entry.refused.push({ item: items[i]!, error }));
          this.#settle(entries);
          return;
        }
        const coded = toEvrouteError(error, 'EVR_ERR_SINK_WRITE_FAILED');
        const delayMs = backoffDelay(attempt, this.#options.backoff);
        this.#options.logger.warn({ sink: this.#options.name, attempt, delayMs, code: coded.code, err: coded }, 'sink write failed; retrying');
        publish('sink:retry', { sink: this.#options.name, attempt, delayMs, code: coded.code });
        try {
          await sleep(delayMs, signal);
        } catch {
          for (const entry of entries) entry.reject(this.#stopped());
          return;
        }
      }
    }
  }

  #settle(entries: readonly Entry<T>[]): void {
    for (const entry of entries) {
      if (--entry.remaining === 0) entry.resolve(entry.refused);
    }
  }
}
