// A client seam wrapper for the source tests. It checks, at every commit, that every offset below the
// committed one was written by the recording sink (commit-after-write), and it can freeze a consumer
// the way a hung or killed process freezes: no more batches, heartbeats or commits.
import type { KafkaConnectionOptions } from '@evroute/kafka';
import type { BatchHandler, GroupConsumer, KafkaClient } from '../../src/client.js';
import { createKafkajsClient } from '../../src/kafkajs-client.js';
import type { RecordingSink } from './recording-pipeline.js';


/** Commit checks shared by every consumer of a test. */
export class CommitGuard {
  readonly violations: string[] = [];
  readonly commits: Array<{ partition: number; offset: string }> = [];
  readonly #verified = new Map<number, number>();
  readonly #sink: RecordingSink;

  constructor(sink: RecordingSink) {
    this.#sink = sink;
  }

  check(partition: number, offset: string): void {
    const end = Number(offset);
    for (let o = this.#verified.get(partition) ?? 0; o < end; o++) {
      if (!this.#sink.has(partition, String(o))) {
        this.violations.push(`commit ${partition}@${offset} is ahead of the sink: ${o} not written`);
        return;
      }
    }
    this.#verified.set(partition, Math.max(end, this.#verified.get(partition) ?? 0));
    this.commits.push({ partition, offset });
  }
}

/**
 * A client factory whose consumers report to `guard` and can be frozen: once frozen, batch handlers,
 * heartbeats and commits never return, so the member stops heartbeating (its fetch loop is stuck in a
 * handler, as in a hung process) and the group evicts it after the session timeout. `kill` releases the
 * stuck calls (handlers return without work, heartbeats and commits fail) so the consumer can be closed.
 */
export class GuardedClient {
  #frozen = false;
  #thaw!: () => void;
  readonly #thawed = new Promise<void>((resolve) => (this.#thaw = resolve));
  readonly #guard: CommitGuard;

  constructor(guard: CommitGuard) {
    this.#guard = guard;
  }

  freeze(): void {
    this.#frozen = true;
  }

  kill(): void {
    this.#thaw();
  }

  readonly factory = (connection: KafkaConnectionOptions): KafkaClient => {
    const inner = createKafkajsClient(connection);
    return {
      producer: (o) => inner.producer(o),
      admin: () => inner.admin(),
      groupConsumer: (o) => this.#wrap(inner.groupConsumer(o)),
    };
  };

  #wrap(consumer: GroupConsumer): GroupConsumer {
    const stuck = async (): Promise<never> => {
      await this.#thawed;
      throw new Error('this consumer was killed by the test');
    };
    return {
      connect: () => consumer.connect(),
      subscribe: (topics, fromBeginning) => consumer.subscribe(topics, fromBeginning),
      run: (handler: BatchHandler, concurrency) =>
        consumer.run(
          (batch, control) =>
            this.#frozen
              ? this.#thawed
              : handler(batch, { ...control, heartbeat: () => (this.#frozen ? stuck() : control.heartbeat()) }),
          concurrency,
        ),
      commit: (offsets) => {
        if (this.#frozen) return stuck();
        for (const { partition, offset } of offsets) this.#guard.check(partition, offset);
        return consumer.commit(offsets);
      },
      pause: (p) => consumer.pause(p),
      resume: (p) => consumer.resume(p),
      onEvent: (listener) => consumer.onEvent(listener),
      disconnect: () => consumer.disconnect(),
    };
  }
}
