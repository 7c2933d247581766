/**
 * Per-partition fetch pauses with reasons. A partition may be held for several reasons at once (the
 * pipeline has not accepted its last batch yet, too many of its records are unacknowledged, the source is
 * stopping); it is paused on the first hold and resumed when the last one is released.
 */
import type { GroupConsumer, TopicPartition } from './client.js';

/** Why a partition is not fetched. */
export type PauseReason = 'accepting' | 'window' | 'stopped';

/** Tracks holds and pauses/resumes the consumer's partitions accordingly. */
export class PartitionPauses {
  readonly #holds = new Map<string, { tp: TopicPartition; reasons: Set<PauseReason> }>();
  readonly #consumer: GroupConsumer;

  constructor(consumer: GroupConsumer) {
    this.#consumer = consumer;
  }

  /** Adds a hold; pauses the partition if it was not held. */
  hold(topic: string, partition: number, reason: PauseReason): void {
    const key = `${partition}\u0000${topic}`;
    const entry = this.#holds.get(key);
    if (entry) {
      entry.reasons.add(reason);
      return;
    }
    const tp = { topic, partition };
    this.#holds.set(key, { tp, reasons: new Set([reason]) });
    this.#consumer.pause([tp]);
  }

  /** Removes a hold; resumes the partition when no hold is left. */
  release(topic: string, partition: number, reason: PauseReason): void {
    const key = `${partition}\u0000${topic}`;
    const entry = this.#holds.get(key);
    if (!entry?.reasons.delete(reason)) return;
    if (entry.reasons.size === 0) {
      this.#holds.delete(key);
      this.#consumer.resume([entry.tp]);
    }
  }

  /** True while the partition has the given hold. */
  has(topic: string, partition: number, reason: PauseReason): boolean {
    return this.#holds.get(`${partition}\u0000${topic}`)?.reasons.has(reason) ?? false;
  }
}
