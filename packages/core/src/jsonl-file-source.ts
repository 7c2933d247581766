/**
 * A source over a JSONL file: one event per line, delivered in order as partition 0 with the line
 * number as offset. Acknowledged lines are counted; `done()` resolves once every line is acknowledged.
 * Used by the embedded demo and by tests that replay recorded events.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SourceRecord } from './event.js';
import type { Source, SourceHandler } from './source.js';

/** Settings of a {@link JsonlFileSource}. */
export interface JsonlFileSourceOptions {
  readonly path: string;
  /** Lines per delivered batch (default 500). */
  readonly batchSize?: number;
  /** Called after each delivered batch with the number of lines delivered so far. */
  readonly onProgress?: (delivered: number) => void;
}

export class JsonlFileSource implements Source {
  readonly name = 'jsonl-file';
  readonly #options: JsonlFileSourceOptions;
  #delivered = 0;
  #acked = 0;
  #ended = false;
  #closed = false;
  #reading: Promise<void> | undefined;
  #waiters: (() => void)[] = [];

  constructor(options: JsonlFileSourceOptions) {
    this.#options = options;
  }

  /** Lines acknowledged so far. */
  get acknowledged(): number {
    return this.#acked;
  }

  start(handler: SourceHandler): Promise<void> {
    this.#reading = this.#read(handler);
    return Promise.resolve();
  }

  ack(records: readonly SourceRecord[]): void {
    this.#acked += records.length;
    this.#wake();
  }

  /** Resolves when the whole file is delivered and acknowledged. */
  async done(): Promise<void> {
    while (!(this.#ended && this.#acked >= this.#delivered) && !this.#closed) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake();
    await this.#reading;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  async #read(handler: SourceHandler): Promise<void> {
    const lines = createInterface({ input: createReadStream(this.#options.path, 'utf8'), crlfDelay: Infinity });
    const size = this.#options.batchSize ?? 500;
    let batch: SourceRecord[] = [];
    let n = 0;
    const flush = async (): Promise<void> => {
      const out = batch;
      batch = [];
      this.#delivered += out.length;
      await handler.deliver(out);
      this.#options.onProgress?.(this.#delivered);
    };
    try {
      for await (const line of lines) {
        if (this.#closed) break;
        n++;
        if (line.trim() === '') continue;
        batch.push({ value: line, key: null, headers: {}, topic: this.#options.path, partition: 0, offset: String(n - 1) });
        if (batch.length >= size) await flush();
      }
      if (batch.length > 0 && !this.#closed) await flush();
    } catch {
      // The pipeline stopped: stop reading.
    } finally {
      lines.close();
      this.#ended = true;
      this.#wake();
    }
  }
}
