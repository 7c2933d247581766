/**
 * A dead-letter sink that appends one JSON line per record to a file and fsyncs before `write`
 * resolves, so a dead letter is durable before its event is acknowledged. The original value is kept
 * as UTF-8 text when it is valid UTF-8, else as base64 (`valueEncoding` says which). For embedded use
 * and the demo; production uses the Kafka topic or the MySQL table.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DurableAppendFile } from './durable-append.js';
import type { DeadLetterReader, DeadLetterRecord, DeadLetterSink } from './sink.js';

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

/** The inverse of {@link deadLetterToJson}: the original value comes back as bytes, text or object as stored. */
export function deadLetterFromJson(json: Record<string, unknown>): DeadLetterRecord {
  const { valueEncoding, value, ...rest } = json;
  const restored =
    valueEncoding === 'base64' ? Buffer.from(String(value), 'base64') : valueEncoding === 'utf8' ? Buffer.from(String(value), 'utf8') : (value as object | null);
  return { ...(rest as unknown as DeadLetterRecord), value: restored };
}

/** Reads the records a {@link JsonlDeadLetterSink} wrote. */
export class JsonlDeadLetterReader implements DeadLetterReader {
  readonly #path: string;

  constructor({ path }: { path: string }) {
    this.#path = path;
  }

  async *read(signal: AbortSignal): AsyncIterable<DeadLetterRecord> {
    const lines = createInterface({ input: createReadStream(this.#path, 'utf8'), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (signal.aborted) return;
        if (line.trim() !== '') yield deadLetterFromJson(JSON.parse(line) as Record<string, unknown>);
      }
    } finally {
      lines.close();
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Appends dead-letter records as JSON lines, durably, keeping the original value (see deadLetterToJson). */
export class JsonlDeadLetterSink implements DeadLetterSink {
  readonly name = 'jsonl-file';
  readonly #file: DurableAppendFile;

  constructor({ path }: { path: string }) {
    this.#file = new DurableAppendFile(path);
  }

  start(): Promise<void> {
    return this.#file.open();
  }

  write(records: readonly DeadLetterRecord[]): Promise<void> {
    return this.#file.appendLines(records, (r) => JSON.stringify(deadLetterToJson(r)));
  }

  close(): Promise<void> {
    return this.#file.close();
  }
}
