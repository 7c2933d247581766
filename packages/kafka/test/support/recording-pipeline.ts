// A stand-in for the router's pipeline in the source tests: it accepts batches (with backpressure past
// `maxPending`), "writes" records to an in-memory recording sink, then acknowledges them to the source
// in random order and at random times, the way a concurrent pipeline does.
import type { Source, SourceHandler, SourceRecord } from '@evroute/core';

/** What the recording sink holds: per partition, how many times each offset was written. */
export class RecordingSink {
  readonly #written = new Map<number, Map<string, number>>();
  total = 0;

  write(record: SourceRecord): void {
    let partition = this.#written.get(record.partition);
    if (partition === undefined) this.#written.set(record.partition, (partition = new Map()));
    partition.set(record.offset, (partition.get(record.offset) ?? 0) + 1);
    this.total++;
  }

  has(partition: number, offset: string): boolean {
    return this.#written.get(partition)?.has(offset) ?? false;
  }

  /** Distinct offsets written for a partition. */
  distinct(partition: number): number {
    return this.#written.get(partition)?.size ?? 0;
  }

  /** Offsets of `0..end-1` that were never written. */
  missing(ends: ReadonlyMap<number, string>): string[] {
    const out: string[] = [];
    for (const [partition, end] of ends) {
      for (let o = 0; o < Number(end); o++) if (!this.has(partition, String(o))) out.push(`${partition}@${o}`);
    }
    return out;
  }

  /** Offsets written more than once, per partition. */
  duplicates(): Array<{ partition: number; offset: bigint }> {
    const out: Array<{ partition: number; offset: bigint }> = [];
    for (const [partition, offsets] of this.#written) {
      for (const [offset, times] of offsets) if (times > 1) out.push({ partition, offset: BigInt(offset) });
    }
    return out;
  }
}

export interface PipelineOptions {
  /** Accept no more than this many unacknowledged records; `deliver` waits past it. */
  readonly maxPending?: number;
  /** At most this many accepted records start processing per tick (a tick is ~1 ms), in arrival order. */
  readonly perTick?: number;
  /** Each record is written and acknowledged a random 0..maxDelayMs after it started: out of order. */
  readonly maxDelayMs?: number;
  /** Called after every tick with the sink, e.g. to freeze a consumer mid-stream. */
  readonly onTick?: (sink: RecordingSink) => void;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** One pipeline per source instance; several may share a sink. */
export class RecordingPipeline implements SourceHandler {
  readonly sink: RecordingSink;
  source: Source | null = null;
  /** Accepted records not started yet, in arrival order. */
  #queue: SourceRecord[] = [];
  #head = 0;
  /** Started records by the time (ms) they finish. */
  #scheduled = new Map<number, SourceRecord[]>();
  #pending = 0;
  #waiters: Array<() => void> = [];
  #timer: NodeJS.Timeout;
  #stopped = false;
  readonly #maxPending: number;
  readonly #maxDelayMs: number;
  readonly #perTick: number;
  readonly #onTick: ((sink: RecordingSink) => void) | undefined;

  constructor(sink: RecordingSink, options: PipelineOptions = {}) {
    this.sink = sink;
    this.#maxPending = options.maxPending ?? 20_000;
    this.#maxDelayMs = options.maxDelayMs ?? 20;
    this.#perTick = options.perTick ?? 10_000;
    this.#onTick = options.onTick;
    this.#timer = setInterval(() => this.#tick(), 1);
  }

  deliver(records: readonly SourceRecord[]): Promise<void> {
    if (this.#stopped) return new Promise(() => {}); // a frozen process never answers
    for (const record of records) this.#queue.push(record);
    this.#pending += records.length;
    if (this.#pending <= this.#maxPending) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  get pending(): number {
    return this.#pending;
  }

  #tick(): void {
    if (this.#stopped || this.source === null) return;
    const now = performance.now();
    const start = Math.min(this.#queue.length, this.#head + this.#perTick);
    for (; this.#head < start; this.#head++) {
      const due = Math.floor(now + Math.random() * (this.#maxDelayMs + 1));
      let bucket = this.#scheduled.get(due);
      if (bucket === undefined) this.#scheduled.set(due, (bucket = []));
      bucket.push(this.#queue[this.#head] as SourceRecord);
    }
    if (this.#head > 10_000) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    const acked: SourceRecord[] = [];
    for (const [due, bucket] of this.#scheduled) {
      if (due > now) continue;
      this.#scheduled.delete(due);
      for (const record of bucket) acked.push(record);
    }
    shuffle(acked);
    for (const record of acked) this.sink.write(record);
    this.#pending -= acked.length;
    if (acked.length > 0) this.source.ack(acked);
    if (this.#pending <= this.#maxPending) for (const wake of this.#waiters.splice(0)) wake();
    this.#onTick?.(this.sink);
  }

  /** Stops acking and accepting, dropping what is pending: what a killed process does. */
  freeze(): void {
    this.#stopped = true;
    this.#scheduled.clear();
    this.#queue = [];
    clearInterval(this.#timer);
  }

  /** Stops the ack timer; records still pending are never acknowledged. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
