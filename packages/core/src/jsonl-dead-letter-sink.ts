/**
 * A dead-letter sink that appends one JSON line per record to a file and fsyncs before `write`
 * resolves, so a dead letter is durable before its event is acknowledged. The original value is kept
 * as UTF-8 text when it is valid UTF-8, else as base64 (`valueEncoding` says which). For embedded use
 * and the demo; production uses the Kafka topic or the MySQL table.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { DeadLetterRecord, DeadLetterSink } from './sink.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A dead-letter record as one JSON-safe object. */
export function deadLetterToJson(record: DeadLetterRecord): Record<string, unknown> {
  let value: unknown = record.value;
  let valueEncoding = 'json';
  if (record.value instanceof Uint8Array) {
    try {
      value = utf8.decode(record.value);
      valueEncoding = 'utf8';
    } catch {
      value = Buffer.from(record.value).toString('base64');
      valueEncoding = 'base64';
    }
  } else if (typeof record.value === 'string') valueEncoding = 'utf8';
  return { ...record, value, valueEncoding };
}

export class JsonlDeadLetterSink implements DeadLetterSink {
  readonly name = 'jsonl-file';
  readonly #path: string;
  #file: FileHandle | undefined;

  constructor({ path }: { path: string }) {
    this.#path = path;
  }

  async start(): Promise<void> {
    this.#file ??= await open(this.#path, 'a');
  }

  async write(records: readonly DeadLetterRecord[]): Promise<void> {
    await this.start();
    const text = records.map((r) => `${JSON.stringify(deadLetterToJson(r))}\n`).join('');
    await this.#file!.appendFile(text, 'utf8');
    await this.#file!.sync();
  }

  async close(): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
  }
}
