/** Building dead-letter records, and the default dead-letter sink that only logs. */
import type { Logger } from 'pino';
import type { EvrouteError } from './errors.js';
import type { SourceRecord } from './event.js';
import type { DeadLetterRecord, DeadLetterSink } from './sink.js';

const MAX_STACK = 2_000;

/** Where in the routing an event failed, for the dead-letter record. */
export interface FailureSite {
  readonly eventId?: string;
  readonly route?: string;
  readonly plugin?: string;
  readonly pluginVersion?: string;
  readonly configVersion?: number;
  readonly attempts?: number;
}

/** A dead-letter record of the original record, the coded error and where it happened. */
export function deadLetterOf(record: SourceRecord, error: EvrouteError, site: FailureSite = {}): DeadLetterRecord {
  const stack = error.cause instanceof Error ? error.cause.stack : error.stack;
  return {
    value: record.value,
    key: record.key,
    headers: record.headers,
    code: error.code,
    message: error.message,
    ...(stack === undefined ? {} : { stack: stack.slice(0, MAX_STACK) }),
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: Date.now(),
    attempts: site.attempts ?? 1,
    ...(site.eventId === undefined ? {} : { eventId: site.eventId }),
    ...(site.route === undefined ? {} : { route: site.route }),
    ...(site.plugin === undefined ? {} : { plugin: site.plugin }),
    ...(site.pluginVersion === undefined ? {} : { pluginVersion: site.pluginVersion }),
    ...(site.configVersion === undefined ? {} : { configVersion: site.configVersion }),
  };
}

/**
 * The dead-letter sink used when none is configured: each record is logged at error level with its
 * original value. It is not durable storage; the router warns about it at start.
 */
export function logDeadLetterSink(logger: Logger): DeadLetterSink {
  return {
    name: 'log',
    write(records) {
      for (const r of records) {
        const value = r.value instanceof Uint8Array ? Buffer.from(r.value).toString('base64') : r.value;
        logger.error({ deadLetter: { ...r, value } }, `dead letter ${r.code}: ${r.message}`);
      }
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
