/**
 * An in-memory partitioned log with committed positions: a tiny stand-in for a broker, so unit tests can
 * crash a source and start another that resumes from what was committed, exactly as with Kafka.
 */
import type { Headers, SourceRecord } from '@evroute/core';

/** What `append` takes: a value plus optional key, headers and partition. */
export interface LogInput {
  readonly value: SourceRecord['value'];
  readonly key?: string | null;
  readonly headers?: Headers;
  /** Default: a hash of the key, or round-robin without a key. */
  readonly partition?: number;
}

/** A partitioned in-memory log with committed positions per partition, shared by the sources reading it. */
export class MemoryLog {
  readonly topic: string;
  readonly partitions: SourceRecord[][];
  /** Next offset to consume per partition: what a consumer group has committed. */
  readonly committed: number[];
  readonly #listeners = new Set<() => void>();
  #roundRobin = 0;

  constructor({ topic = 'events', partitions = 1 }: { topic?: string; partitions?: number } = {}) {
    this.topic = topic;
    this.partitions = Array.from({ length: partitions }, () => []);
    this.committed = Array.from({ length: partitions }, () => 0);
  }

  /** Appends records and wakes the sources reading this log. Returns the appended records. */
  append(inputs: readonly LogInput[]): SourceRecord[] {
    const out: SourceRecord[] = [];
    for (const input of inputs) {
      const partition = input.partition ?? this.#partitionOf(input.key ?? null);
      const log = this.partitions[partition];
      if (!log) throw new Error(`partition ${partition} does not exist (the log has ${this.partitions.length})`);
      const record: SourceRecord = {
        value: input.value,
        key: input.key ?? null,
        headers: input.headers ?? {},
        topic: this.topic,
        partition,
        offset: String(log.length),
        timestamp: Date.now(),
      };
      log.push(record);
      out.push(record);
    }
    for (const listener of this.#listeners) listener();
    return out;
  }

  /** Total records appended. */
  get size(): number {
    return this.partitions.reduce((n, p) => n + p.length, 0);
  }

  /** Records not yet committed, over all partitions. */
  get uncommitted(): number {
    return this.partitions.reduce((n, p, i) => n + p.length - (this.committed[i] ?? 0), 0);
  }

  /** Calls `listener` after every append. Returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #partitionOf(key: string | null): number {
    if (key === null) return this.#roundRobin++ % this.partitions.length;
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
    return Math.abs(h) % this.partitions.length;
  }
}
