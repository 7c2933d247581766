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
  #buffer: { item: T; entry: Entry<T> }[] = [];
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
    return this.#buffer.length;
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
      for (const item of items) this.#buffer.push({ item, entry });
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
    for (const { entry } of this.#buffer) entry.reject(this.#stopped());
    this.#buffer = [];
  }

  #stopped(): EvrouteError {
    return new EvrouteError('EVR_ERR_PIPELINE_STOPPED', `sink ${this.#options.name} is closed`);
  }

  #schedule(): void {
    if (this.#writing || this.#buffer.length === 0) return;
    if (this.#buffer.length >= this.#size || this.#lingered) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#lingered = false;
      const batch = this.#buffer.splice(0, this.#size);
      this.#writing = this.#write(batch).finally(() => {
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

  async #write(batch: { item: T; entry: Entry<T> }[]): Promise<void> {
    const items = batch.map((b) => b.item);
    const signal = this.#closed.signal;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        const refused = (await this.#options.write(items, signal)) ?? [];
        this.#options.onWrite?.({ size: items.length, ms: performance.now() - started, ok: true });
        for (const { index, error } of refused) {
          const slot = batch[index];
          if (slot) slot.entry.refused.push({ item: slot.item, error });
        }
        this.#settle(batch);
        return;
      } catch (error) {
        this.#options.onWrite?.({ size: items.length, ms: performance.now() - started, ok: false });
        if (signal.aborted) {
          for (const { entry } of batch) entry.reject(this.#stopped());
          return;
        }
        if (isEvrouteError(error) && !error.retriable) {
          // A permanent failure of the whole batch: every record is refused with it.
          for (const slot of batch) slot.entry.refused.push({ item: slot.item, error });
          this.#settle(batch);
          return;
        }
        const coded = toEvrouteError(error, 'EVR_ERR_SINK_WRITE_FAILED');
        const delayMs = backoffDelay(attempt, this.#options.backoff);
        this.#options.logger.warn({ sink: this.#options.name, attempt, delayMs, code: coded.code, err: coded }, 'sink write failed; retrying');
        publish('sink:retry', { sink: this.#options.name, attempt, delayMs, code: coded.code });
        try {
          await sleep(delayMs, signal);
        } catch {
          for (const { entry } of batch) entry.reject(this.#stopped());
          return;
        }
      }
    }
  }

  #settle(batch: { item: T; entry: Entry<T> }[]): void {
    for (const { entry } of batch) {
      if (--entry.remaining === 0) entry.resolve(entry.refused);
    }
  }
}
