/**
 * The watermarks of the partitions a group member owns. It follows the member's assignment: a partition
 * that is revoked is dropped with everything in flight for it, so late acks for it are ignored and it is
 * never committed by this member again (its new owner resumes from the committed offset; the records
 * this member had not committed are redelivered there, which idempotent sinks absorb).
 */
import type { TopicPartition, TopicPartitionOffset } from './client.js';
import { PartitionWatermark } from './offset-watermark.js';

const keyOf = (topic: string, partition: number): string => `${partition}\u0000${topic}`;

/** A snapshot of one partition's position, for metrics and tests. */
export interface PartitionPosition extends TopicPartition {
  /** The last offset committed by this member (next offset to consume), or null. */
  readonly committed: string | null;
  /** The offset the next commit would write (last contiguous ack + 1), or null. */
  readonly acknowledged: string | null;
  /** Delivered but not yet under the watermark. */
  readonly window: number;
  /** End offset minus the acknowledged offset, when known. */
  readonly lag: string | null;
}

/** Watermarks by partition, bounded to the current assignment. */
export class AckTracker {
  readonly #partitions = new Map<string, PartitionWatermark>();
  #assigned: Set<string> | null = null;

  /** The watermark of a partition, created on first use. */
  ensure(topic: string, partition: number): PartitionWatermark {
    const key = keyOf(topic, partition);
    let watermark = this.#partitions.get(key);
    if (watermark === undefined) {
      watermark = new PartitionWatermark(topic, partition);
      this.#partitions.set(key, watermark);
    }
    return watermark;
  }

  /** The watermark of a partition, or undefined when it is not tracked (never delivered, or revoked). */
  get(topic: string, partition: number): PartitionWatermark | undefined {
    return this.#partitions.get(keyOf(topic, partition));
  }

  /** True when the partition is in the current assignment (or no assignment was seen yet). */
  isAssigned(topic: string, partition: number): boolean {
    return this.#assigned === null || this.#assigned.has(keyOf(topic, partition));
  }

  /**
   * Applies a new assignment: drops the watermarks of partitions not in it and returns them. Partitions
   * kept across the rebalance keep their watermark (and so their in-flight records).
   */
  assign(assignment: readonly TopicPartition[]): PartitionWatermark[] {
    this.#assigned = new Set(assignment.map(({ topic, partition }) => keyOf(topic, partition)));
    const dropped: PartitionWatermark[] = [];
    for (const [key, watermark] of this.#partitions) {
      if (!this.#assigned.has(key)) {
        this.#partitions.delete(key);
        dropped.push(watermark);
      }
    }
    return dropped;
  }

  /** Commit offsets that moved since the last recorded commit, for assigned partitions only. */
  pendingCommits(): TopicPartitionOffset[] {
    const offsets: TopicPartitionOffset[] = [];
    for (const watermark of this.#partitions.values()) {
      const offset = watermark.pendingCommit();
      if (offset !== null) offsets.push({ topic: watermark.topic, partition: watermark.partition, offset });
    }
    return offsets;
  }

  /** Records a successful commit; ignores partitions dropped meanwhile. */
  markCommitted(offsets: readonly TopicPartitionOffset[]): void {
    for (const { topic, partition, offset } of offsets) this.get(topic, partition)?.markCommitted(offset);
  }

  /** Delivered records not yet acknowledged, over all partitions. */
  unacked(): number {
    let total = 0;
    for (const watermark of this.#partitions.values()) total += watermark.unacked;
    return total;
  }

  /** Every tracked partition, ordered by topic then partition. */
  positions(): PartitionPosition[] {
    return [...this.#partitions.values()]
      .map((w) => ({
        topic: w.topic,
        partition: w.partition,
        committed: w.committed,
        acknowledged: w.commitOffset(),
        window: w.window,
        lag: w.lag()?.toString() ?? null,
      }))
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }
}
