/**
 * The Kafka dead-letter sink: one topic holding every event that could not be processed, byte for byte,
 * with the reason and origin in `evroute.*` headers (see `dead-letter-headers.ts`).
 */
import { inspect } from 'node:util';
import type { DeadLetterRecord, DeadLetterSink } from '@evroute/core';
import type { OutgoingMessage } from './client.js';
import { describeConnection, positive, validateConnection, type KafkaConnectionOptions } from './connection.js';
import { deadLetterHeaders, type DeadLetterHeaderLimits } from './dead-letter-headers.js';
import { kafkaError } from './errors.js';
import { SerialProducer } from './internal/serial-producer.js';
import { createKafkajsClient } from './kafkajs-client.js';
import { silentLogger } from './logger.js';
import { resolveProducerOptions, type KafkaProducerSettings } from './producer-options.js';

/** Options of the Kafka dead-letter sink. */
export interface KafkaDeadLetterSinkOptions extends KafkaConnectionOptions, KafkaProducerSettings {
  /** The dead-letter topic, e.g. `wrongbook-events-dlq`. */
  readonly topic: string;
  /** Name in logs; default `kafka-dead-letter`. */
  readonly name?: string;
  /** Cap of the `evroute.message` header, UTF-8 bytes; default 2048. */
  readonly maxMessageBytes?: number;
  /** Cap of the `evroute.stack` header, UTF-8 bytes; default 4096. */
  readonly maxStackBytes?: number;
}

/** The value bytes of the dead-letter record: the original bytes or text as is; an object as JSON. */
function originalValue(value: DeadLetterRecord['value']): string | Uint8Array | null {
  if (value === null || typeof value === 'string' || value instanceof Uint8Array) return value;
  try {
    return JSON.stringify(value) ?? inspect(value);
  } catch {
    // A cycle or a BigInt: nothing byte-exact exists for it; keep a readable rendering.
    return inspect(value, { depth: 6, breakLength: Infinity });
  }
}

/**
 * A {@link DeadLetterSink} producing to one topic: value = the original value bytes (untouched), key =
 * the original key (so a dead-lettered record lands on the partition its key maps to), headers = the
 * original headers plus `evroute.code`, `.message`, `.stack` (truncated), `.plugin`, `.plugin-version`,
 * `.route`, `.topic`, `.partition`, `.offset`, `.timestamp`, `.attempts`, `.event-id`, `.config-version`.
 *
 * `write` resolves when every record is acknowledged (idempotent producer, acks = all); it throws a
 * classified `EVR_ERR_KAFKA_*` error otherwise, and the pipeline retries it until it succeeds.
 */
export class KafkaDeadLetterSink implements DeadLetterSink {
  readonly name: string;
  readonly topic: string;
  readonly #producer: SerialProducer;
  readonly #limits: DeadLetterHeaderLimits;

  /** Validates the options (throws `EVR_ERR_KAFKA_OPTIONS_INVALID`); connects on `start` or the first write. */
  constructor(options: KafkaDeadLetterSinkOptions) {
    const adapter = 'KafkaDeadLetterSink';
    validateConnection(options, adapter);
    if (typeof options.topic !== 'string' || options.topic === '') {
      throw kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', `${adapter}: \`topic\` must be the dead-letter topic name`);
    }
    this.name = options.name ?? 'kafka-dead-letter';
    this.topic = options.topic;
    this.#limits = {
      maxMessageBytes: positive(options.maxMessageBytes, 2_048, 'maxMessageBytes', adapter),
      maxStackBytes: positive(options.maxStackBytes, 4_096, 'maxStackBytes', adapter),
    };
    const client = (options.clientFactory ?? createKafkajsClient)(options);
    this.#producer = new SerialProducer(client, resolveProducerOptions(options, adapter), `${adapter} ${this.name}`);
    (options.logger ?? silentLogger).debug({ sink: this.name, topic: this.topic, ...describeConnection(options) }, 'kafka dead-letter sink created');
  }

  /** Connects the producer; rejects with a coded error (`EVR_ERR_KAFKA_CONNECT`, `_AUTH`, …). */
  start(signal: AbortSignal): Promise<void> {
    return this.#producer.connect(signal);
  }

  /** Produces the dead-letter records; resolves when all are acknowledged. */
  async write(records: readonly DeadLetterRecord[], signal: AbortSignal): Promise<void> {
    if (records.length === 0) return;
    const messages: OutgoingMessage[] = records.map((record) => ({
      key: record.key,
      value: originalValue(record.value),
      headers: deadLetterHeaders(record, this.#limits),
      timestamp: String(record.timestamp),
    }));
    await this.#producer.send([{ topic: this.topic, messages }], signal);
  }

  /** Flushes writes in flight and disconnects. Idempotent. */
  close(signal: AbortSignal): Promise<void> {
    return this.#producer.close(signal);
  }

  /** True once connected and until closed. */
  healthy(): boolean {
    return this.#producer.healthy();
  }
}
