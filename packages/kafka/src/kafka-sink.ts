/**
 * The Kafka sink: writes processor outputs to topics (for the wrongbook plugins
 * `wrongbook-wide-table-output`, `wrongbook-metrics`, `wrongbook-audit`) with an idempotent producer.
 */
import type { Sink, SinkRecord, WriteResult } from '@evroute/core';
import type { EvrouteError } from '@evroute/core';
import type { OutgoingMessage } from './client.js';
import { describeConnection, positive, validateConnection, type KafkaConnectionOptions } from './connection.js';
import { kafkaError } from './errors.js';
import { SerialProducer } from './internal/serial-producer.js';
import { createKafkajsClient } from './kafkajs-client.js';
import { silentLogger, type KafkaLogger } from './logger.js';
import { resolveProducerOptions, type KafkaProducerSettings } from './producer-options.js';

/** Options of the Kafka sink. */
export interface KafkaSinkOptions extends KafkaConnectionOptions, KafkaProducerSettings {
  /** Name the router binds outputs to; default `kafka`. */
  readonly name?: string;
  /**
   * Largest serialised value accepted, bytes; a bigger record is rejected on its own
   * (`EVR_ERR_KAFKA_MESSAGE_TOO_LARGE`) instead of failing the batch. Default 1 000 000 (the broker's
   * default `message.max.bytes` less room for key and headers).
   */
  readonly maxMessageBytes?: number;
}

/**
 * A {@link Sink} producing each record to its `target` topic: key = `record.key`, headers =
 * `record.headers`, value = JSON of `record.value`. One `write` is one produce request per broker;
 * it resolves when every record is acknowledged by all in-sync replicas (acks = all).
 *
 * Errors: a value that cannot be serialised, or is too large, is rejected per record (non-retriable);
 * a failed produce throws a classified `EVR_ERR_KAFKA_*` error (retriable unless it cannot succeed,
 * e.g. authorization). Topic outputs are at-least-once: a retried batch may repeat records.
 */
export class KafkaSink implements Sink {
  readonly name: string;
  readonly #producer: SerialProducer;
  readonly #maxMessageBytes: number;
  readonly #logger: KafkaLogger;

  /** Validates the options (throws `EVR_ERR_KAFKA_OPTIONS_INVALID`); connects on `start` or the first write. */
  constructor(options: KafkaSinkOptions) {
    validateConnection(options, 'KafkaSink');
    this.name = options.name ?? 'kafka';
    this.#maxMessageBytes = positive(options.maxMessageBytes, 1_000_000, 'maxMessageBytes', 'KafkaSink');
    this.#logger = options.logger ?? silentLogger;
    const client = (options.clientFactory ?? createKafkajsClient)(options);
    this.#producer = new SerialProducer(client, resolveProducerOptions(options, 'KafkaSink'), `KafkaSink ${this.name}`);
    this.#logger.debug({ sink: this.name, ...describeConnection(options) }, 'kafka sink created');
  }

  /** Connects the producer; rejects with a coded error (`EVR_ERR_KAFKA_CONNECT`, `_AUTH`, …). */
  start(signal: AbortSignal): Promise<void> {
    return this.#producer.connect(signal);
  }

  /** Produces the batch grouped by target topic; see the class comment for what errors mean. */
  async write(records: readonly SinkRecord[], signal: AbortSignal): Promise<WriteResult | void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    const rejected: Array<{ index: number; error: EvrouteError }> = [];
    const max = this.#maxMessageBytes;
    records.forEach((record, index) => {
      let value: string | undefined;
      try {
        value = JSON.stringify(record.value);
      } catch (cause) {
        value = undefined;
        rejected.push({ index, error: this.#reject('EVR_ERR_KAFKA_VALUE_ENCODE', record, cause) });
        return;
      }
      if (value === undefined) {
        rejected.push({ index, error: this.#reject('EVR_ERR_KAFKA_VALUE_ENCODE', record, undefined) });
        return;
      }
      // byteLength only when the UTF-16 length says the value might be too large (at most 3 bytes a unit).
      if (value.length > max || (value.length * 3 > max && Buffer.byteLength(value) > max)) {
        rejected.push({ index, error: this.#reject('EVR_ERR_KAFKA_MESSAGE_TOO_LARGE', record, undefined) });
        return;
      }
      let messages = byTopic.get(record.target);
      if (messages === undefined) byTopic.set(record.target, (messages = []));
      messages.push({ key: record.key, value, headers: record.headers });
    });
    if (byTopic.size > 0) {
      await this.#producer.send([...byTopic].map(([topic, messages]) => ({ topic, messages })), signal);
    }
    return rejected.length > 0 ? { rejected } : undefined;
  }

  #reject(code: 'EVR_ERR_KAFKA_VALUE_ENCODE' | 'EVR_ERR_KAFKA_MESSAGE_TOO_LARGE', record: SinkRecord, cause: unknown): EvrouteError {
    const why =
      code === 'EVR_ERR_KAFKA_VALUE_ENCODE'
        ? 'its value cannot be serialised to JSON (a BigInt, a cycle, or not an object); fix the processor output'
        : `its JSON value exceeds maxMessageBytes (${this.#maxMessageBytes}); shrink it or raise maxMessageBytes and the topic's max.message.bytes`;
    return kafkaError(code, `KafkaSink ${this.name}: record for output "${record.output}" (topic ${record.target}) refused: ${why}`, {
      cause,
      context: { output: record.output, topic: record.target },
    });
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
