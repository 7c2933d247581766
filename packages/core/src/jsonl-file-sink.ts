/**
 * A sink that appends one JSON line per record (`{ output, target, key, headers, value }`) to a file
 * and fsyncs before `write` resolves. For trying pipelines out and for tests of the CLI; tables go to
 * the MySQL or SQLite sinks.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Sink, SinkRecord } from './sink.js';

export class JsonlFileSink implements Sink {
  readonly name = 'jsonl-file';
  readonly #path: string;
  #file: FileHandle | undefined;

  constructor({ path }: { path: string }) {
    this.#path = path;
  }

  async start(): Promise<void> {
    this.#file ??= await open(this.#path, 'a');
  }

  async write(records: readonly SinkRecord[]): Promise<void> {
    await this.start();
    const text = records.map((r) => `${JSON.stringify({ output: r.output, target: r.target, key: r.key, headers: r.headers, value: r.value })}\n`).join('');
    await this.#file!.appendFile(text, 'utf8');
    await this.#file!.sync();
  }

  async close(): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
  }
}
