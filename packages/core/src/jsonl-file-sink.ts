/**
 * A sink that appends one JSON line per record (`{ output, target, key, headers, value }`) to a file
 * and fsyncs before `write` resolves. For trying pipelines out and for tests of the CLI; tables go to
 * the MySQL or SQLite sinks.
 */
import { DurableAppendFile } from './durable-append.js';
import type { Sink, SinkRecord } from './sink.js';

/** Appends outputs as JSON lines, durably (see the file comment). */
export class JsonlFileSink implements Sink {
  readonly name = 'jsonl-file';
  readonly #file: DurableAppendFile;

  constructor({ path }: { path: string }) {
    this.#file = new DurableAppendFile(path);
  }

  start(): Promise<void> {
    return this.#file.open();
  }

  write(records: readonly SinkRecord[]): Promise<void> {
    return this.#file.appendLines(records, (r) => JSON.stringify({ output: r.output, target: r.target, key: r.key, headers: r.headers, value: r.value }));
  }

  close(): Promise<void> {
    return this.#file.close();
  }
}
