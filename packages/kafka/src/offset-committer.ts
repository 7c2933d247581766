/**
 * Commits the acknowledged offsets of an {@link AckTracker} through a group consumer, one commit at a
 * time: a commit asked for while one is running is folded into a single follow-up commit.
 */
import type { AckTracker } from './ack-tracker.js';
import type { GroupConsumer, TopicPartitionOffset } from './client.js';
import { toKafkaError } from './errors.js';
import type { KafkaLogger } from './logger.js';

/** Serialised commits of a tracker's pending offsets. */
export class OffsetCommitter {
  readonly #tracker: AckTracker;
  readonly #consumer: GroupConsumer;
  readonly #logger: KafkaLogger;
  readonly #context: Record<string, unknown>;
  #chain: Promise<void> = Promise.resolve();
  #queued = false;

  constructor(tracker: AckTracker, consumer: GroupConsumer, logger: KafkaLogger, context: Record<string, unknown>) {
    this.#tracker = tracker;
    this.#consumer = consumer;
    this.#logger = logger;
    this.#context = context;
  }

  /**
   * Commits what is acknowledged and not yet committed, after any commit in flight. Never rejects: a
   * failed commit is logged (with its classified code) and the next commit covers the same offsets.
   */
  commit(): Promise<void> {
    if (this.#queued) return this.#chain;
    this.#queued = true;
    this.#chain = this.#chain.then(() => {
      this.#queued = false;
      return this.#commitOnce();
    });
    return this.#chain;
  }

  async #commitOnce(): Promise<void> {
    const offsets: TopicPartitionOffset[] = this.#tracker.pendingCommits();
    if (offsets.length === 0) return;
    try {
      await this.#consumer.commit(offsets);
      this.#tracker.markCommitted(offsets);
      if (this.#logger.isLevelEnabled('debug')) this.#logger.debug({ ...this.#context, offsets }, 'kafka offsets committed');
    } catch (error) {
      const err = toKafkaError(error, 'EVR_ERR_KAFKA_COMMIT_FAILED', this.#context);
      this.#logger.warn({ ...this.#context, err, offsets }, 'kafka offset commit failed; the next commit retries');
    }
  }
}
