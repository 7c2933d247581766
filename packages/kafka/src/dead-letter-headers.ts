/**
 * What a dead-letter record carries besides the original key, value and headers: `evroute.*` headers
 * with the reason, where the record came from and which plugin and route failed on it.
 */
import type { DeadLetterRecord, ErrorCode, Headers } from '@evroute/core';

/** Header names of a dead-letter record. Values are UTF-8 strings; numbers are decimal. */
export const deadLetterHeaderNames = {
  code: 'evroute.code',
  message: 'evroute.message',
  stack: 'evroute.stack',
  plugin: 'evroute.plugin',
  pluginVersion: 'evroute.plugin-version',
  route: 'evroute.route',
  topic: 'evroute.topic',
  partition: 'evroute.partition',
  offset: 'evroute.offset',
  timestamp: 'evroute.timestamp',
  attempts: 'evroute.attempts',
  eventId: 'evroute.event-id',
  configVersion: 'evroute.config-version',
} as const;

/** Limits of the free-text headers, in UTF-8 bytes. */
export interface DeadLetterHeaderLimits {
  readonly maxMessageBytes: number;
  readonly maxStackBytes: number;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
  return Buffer.from(text).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD+$/u, '');
}

/**
 * The headers of the dead-letter record for `record`: its original headers, then the `evroute.*` ones
 * (which replace originals of the same name, e.g. when a dead-lettered record is replayed and fails again).
 */
export function deadLetterHeaders(record: DeadLetterRecord, limits: DeadLetterHeaderLimits): Record<string, string> {
  const h = deadLetterHeaderNames;
  const out: Record<string, string> = { ...record.headers };
  out[h.code] = record.code;
  out[h.message] = truncateUtf8(record.message, limits.maxMessageBytes);
  if (record.stack !== undefined) out[h.stack] = truncateUtf8(record.stack, limits.maxStackBytes);
  if (record.plugin !== undefined) out[h.plugin] = record.plugin;
  if (record.pluginVersion !== undefined) out[h.pluginVersion] = record.pluginVersion;
  if (record.route !== undefined) out[h.route] = record.route;
  out[h.topic] = record.topic;
  out[h.partition] = String(record.partition);
  out[h.offset] = record.offset;
  out[h.timestamp] = String(record.timestamp);
  out[h.attempts] = String(record.attempts);
  if (record.eventId !== undefined) out[h.eventId] = record.eventId;
  if (record.configVersion !== undefined) out[h.configVersion] = String(record.configVersion);
  return out;
}

/** The `evroute.*` facts read back from a dead-letter record's headers. */
export interface DeadLetterInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly stack?: string;
  readonly plugin?: string;
  readonly pluginVersion?: string;
  readonly route?: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
  readonly attempts: number;
  readonly eventId?: string;
  readonly configVersion?: number;
  /** The headers the original record had (everything not `evroute.*`). */
  readonly originalHeaders: Headers;
}

/** Parses the headers of a dead-letter record (e.g. for a replay tool); null when it is not one (no `evroute.code`, `.topic`, `.offset`). */
export function readDeadLetterHeaders(headers: Headers): DeadLetterInfo | null {
  const h = deadLetterHeaderNames;
  const code = headers[h.code];
  const topic = headers[h.topic];
  const offset = headers[h.offset];
  if (code?.startsWith('EVR_ERR_') !== true || topic === undefined || offset === undefined) return null;
  const originalHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith('evroute.')) originalHeaders[name] = value;
  const info: { -readonly [K in keyof DeadLetterInfo]: DeadLetterInfo[K] } = {
    code: code as ErrorCode,
    message: headers[h.message] ?? '',
    topic,
    partition: Number(headers[h.partition]),
    offset,
    timestamp: Number(headers[h.timestamp]),
    attempts: Number(headers[h.attempts]),
    originalHeaders,
  };
  const optional = { stack: h.stack, plugin: h.plugin, pluginVersion: h.pluginVersion, route: h.route, eventId: h.eventId } as const;
  for (const [field, name] of Object.entries(optional) as Array<[keyof typeof optional, string]>) {
    const value = headers[name];
    if (value !== undefined) info[field] = value;
  }
  const configVersion = headers[h.configVersion];
  if (configVersion !== undefined) info.configVersion = Number(configVersion);
  return info;
}
