/**
 * Turns fetched Kafka records into the `SourceRecord`s the pipeline takes: the value bytes as they are
 * (no copy), the key and header values decoded as UTF-8, the timestamp as epoch ms.
 */
import type { Headers, SourceRecord } from '@evroute/core';
import type { FetchedMessage, RawHeaders } from './client.js';

const EMPTY: Headers = Object.freeze({});

function text(bytes: Uint8Array | string): string {
  if (typeof bytes === 'string') return bytes;
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('utf8');
}

/** Header values as UTF-8 strings; for a key repeated on the record, the last value wins. */
export function decodeHeaders(raw: RawHeaders | undefined): Headers {
  if (raw === undefined) return EMPTY;
  let out: Record<string, string> | undefined;
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    const last = Array.isArray(value) ? (value as ReadonlyArray<Uint8Array | string>).at(-1) : (value as Uint8Array | string);
    if (last === undefined) continue;
    (out ??= {})[name] = text(last);
  }
  return out ?? EMPTY;
}

/** One fetched message as a `SourceRecord` of `topic`/`partition`. */
export function toSourceRecord(topic: string, partition: number, message: FetchedMessage): SourceRecord {
  const timestamp = Number(message.timestamp);
  const record: { -readonly [K in keyof SourceRecord]: SourceRecord[K] } = {
    value: message.value,
    key: message.key === null ? null : text(message.key),
    headers: decodeHeaders(message.headers),
    topic,
    partition,
    offset: message.offset,
  };
  if (Number.isFinite(timestamp) && timestamp >= 0) record.timestamp = timestamp;
  return record;
}
