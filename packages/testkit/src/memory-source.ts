/**
 * A source over a {@link MemoryLog}: delivers each partition in order from its committed position, in
 * batches, awaiting the pipeline's acceptance (so backpressure is real), and commits the contiguous run
 * of acknowledged offsets. `crash()` stops it without committing anything more, like a killed process.
 */
import type { Source, SourceHandler, SourceRecord } from '@evroute/core';
import { MemoryLog } from './memory-log.js';

/** Settings of a {@link MemorySource}. */
export interface MemorySourceOptions {
  /** Records per delivered batch (default 100). */
  readonly batchSize?: number;
}

export class MemorySource implements Source {
  readonly name = 'memory';
  readonly log: MemoryLog;
  readonly #batchSize: number;
  /** Next offset to deliver per partition. */
  readonly #next: number[];
  /** Offsets acknowledged beyond the committed one, per partition. */
  readonly #acked: Set<number>[];
  #handler: SourceHandler | undefined;
  #running = false;
  #crashed = false;
  #pumping: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;
  /** Records delivered, in delivery order (for assertions). */
  readonly delivered: SourceRecord[] = [];
  /** Deliveries that were held back by backpressure (deliver took more than one tick). */
  backpressured = 0;

  constructor(log: MemoryLog = new MemoryLog(), { batchSize = 100 }: MemorySourceOptions = {}) {
    this.log = log;
    this.#batchSize = batchSize;
    this.#next = [...log.committed];
    this.#acked = log.partitions.map(() => new Set<number>());
  }

  start(handler: SourceHandler): Promise<void> {
    this.#handler = handler;
    this.#running = true;
    this.#unsubscribe = this.log.onAppend(() => this.#pump());
    this.#pump();
    return Promise.resolve();
  }

  ack(records: readonly SourceRecord[]): void {
    if (this.#crashed) return;
    for (const record of records) {
      const p = record.partition;
      const offset = Number(record.offset);
      const acked = this.#acked[p];
      if (!acked || offset < (this.log.committed[p] ?? 0)) continue;
      acked.add(offset);
      let committed = this.log.committed[p] ?? 0;
      while (acked.delete(committed)) committed++;
      this.log.committed[p] = committed;
    }
  }

  /** Resolves once every record appended so far is committed. */
  async settled(): Promise<void> {
    while (this.log.uncommitted > 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  /** Stops at once: nothing more is delivered, acknowledged or committed. */
  crash(): void {
    this.#crashed = true;
    this.#running = false;
    this.#unsubscribe?.();
  }

  async close(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    await this.#pumping;
  }

  healthy(): boolean {
    return this.#running;
  }

  #again = false;

  #pump(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#again = true; // appended while the loop runs: look again when it ends
      return;
    }
    this.#pumping = this.#loop().finally(() => {
      this.#pumping = undefined;
      if (this.#again) {
        this.#again = false;
        this.#pump();
      }
    });
  }

  async #loop(): Promise<void> {
    for (;;) {
      if (!this.#running || !this.#handler) return;
      const batch: SourceRecord[] = [];
      // Round-robin over partitions so one busy partition does not starve the others.
      for (let p = 0; p < this.log.partitions.length && batch.length < this.#batchSize; p++) {
        const partition = this.log.partitions[p]!;
        const from = this.#next[p]!;
        const take = partition.slice(from, from + Math.max(1, Math.floor(this.#batchSize / this.log.partitions.length)));
        this.#next[p] = from + take.length;
        batch.push(...take);
      }
      if (batch.length === 0) return;
      this.delivered.push(...batch);
      let settled = false;
      const accepted = this.#handler.deliver(batch).finally(() => (settled = true));
      await Promise.resolve();
      if (!settled) this.backpressured++;
      try {
        await accepted;
      } catch {
        this.#running = false; // the pipeline is stopping
        return;
      }
    }
  }
}
