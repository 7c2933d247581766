/**
 * Producer settings shared by {@link KafkaSink} and {@link KafkaDeadLetterSink}, with their defaults:
 * idempotent, acks = all, no compression.
 */
import type { ProducerOptions } from './client.js';
import { positive } from './connection.js';
import { kafkaError } from './errors.js';

/** How records are produced. */
export interface KafkaProducerSettings {
  /**
   * Idempotent producer (default true): broker-side de-duplication of retried requests, so a retry
   * inside the client never writes a record twice. Requires `acks: -1`.
   */
  readonly idempotent?: boolean;
  /** `-1` (default): every in-sync replica has the record; `1`: the leader has it. */
  readonly acks?: -1 | 1;
  /** Batch compression; default `none` (kafkajs has only gzip built in). */
  readonly compression?: 'none' | 'gzip';
  /** How long the broker may wait for the acks, ms; default 30000. */
  readonly ackTimeoutMs?: number;
  /** Let the broker create a missing target topic; default false. */
  readonly allowAutoTopicCreation?: boolean;
}

/** Applies defaults; throws `EVR_ERR_KAFKA_OPTIONS_INVALID` for contradictory settings. */
export function resolveProducerOptions(settings: KafkaProducerSettings, adapter: string): ProducerOptions {
  const idempotent = settings.idempotent ?? true;
  const acks = settings.acks ?? -1;
  const fail = (what: string): never => {
    throw kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', `${adapter}: ${what}`);
  };
  if (acks !== -1 && acks !== 1) fail('`acks` must be -1 (all) or 1 (leader)');
  if (idempotent && acks !== -1) fail('an idempotent producer needs `acks: -1`; set `idempotent: false` for `acks: 1`');
  const compression = settings.compression ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') fail('`compression` must be "none" or "gzip"');
  return {
    idempotent,
    acks,
    compression,
    ackTimeoutMs: positive(settings.ackTimeoutMs, 30_000, 'ackTimeoutMs', adapter),
    allowAutoTopicCreation: settings.allowAutoTopicCreation ?? false,
  };
}
