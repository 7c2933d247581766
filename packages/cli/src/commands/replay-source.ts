/**
 * The source of `evroute dlq replay`: dead-letter records fed back as the records they were, with their
 * original topic, partition, offset, key, headers and value bytes.
 */
import type { DeadLetterRecord, Source, SourceHandler, SourceRecord } from '@evroute/core';

export class ReplaySource implements Source {
  readonly name = 'dead-letter-replay';
  readonly #records: readonly SourceRecord[];
  readonly #onProgress: (acked: number, total: number) => void;
  #acked = 0;
  #done!: () => void;
  readonly #finished = new Promise<void>((resolve) => (this.#done = resolve));

  constructor(deadLetters: readonly DeadLetterRecord[], onProgress: (acked: number, total: number) => void = () => undefined) {
    this.#records = deadLetters.map((d) => ({ value: d.value, key: d.key, headers: d.headers, topic: d.topic, partition: d.partition, offset: d.offset }));
    this.#onProgress = onProgress;
    if (this.#records.length === 0) this.#done();
  }

  async start(handler: SourceHandler): Promise<void> {
    void (async () => {
      for (let i = 0; i < this.#records.length; i += 100) await handler.deliver(this.#records.slice(i, i + 100));
    })().catch(() => undefined);
    return Promise.resolve();
  }

  ack(records: readonly SourceRecord[]): void {
    this.#acked += records.length;
    this.#onProgress(this.#acked, this.#records.length);
    if (this.#acked >= this.#records.length) this.#done();
  }

  done(): Promise<void> {
    return this.#finished;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
