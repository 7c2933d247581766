/**
 * Reads a dead-letter topic back (for `evroute dlq list` and `replay`): every record up to the end
 * offsets found when reading starts, oldest first within each partition, as the `DeadLetterRecord`s the
 * {@link KafkaDeadLetterSink} wrote. Reading commits nothing and changes nothing on the topic.
 */
import { randomUUID } from 'node:crypto';
import type { DeadLetterReader, DeadLetterRecord } from '@evroute/core';
import { abortable, pause } from './abortable.js';
import type { BatchControl, FetchedBatch, FetchedMessage, KafkaClient } from './client.js';
import { validateConnection, type KafkaConnectionOptions } from './connection.js';
import { readDeadLetterHeaders } from './dead-letter-headers.js';
import { kafkaError } from './errors.js';
import { createKafkajsClient } from './kafkajs-client.js';
import { decodeHeaders } from './source-record.js';

/** Options of the dead-letter reader. */
export interface KafkaDeadLetterReaderOptions extends KafkaConnectionOptions {
  /** The dead-letter topic. */
  readonly topic: string;
  /** Prefix of the reader's throw-away consumer group; default `evroute-dlq-reader`. */
  readonly groupIdPrefix?: string;
}

/** At most this many records wait for the caller; the fetch loop waits (heartbeating) past it. */
const BUFFER = 1_000;

/** A record of the dead-letter topic as a `DeadLetterRecord` (a foreign record gets `EVR_ERR_KAFKA_RECORD_INVALID`). */
export function deadLetterFromMessage(topic: string, partition: number, message: FetchedMessage): DeadLetterRecord {
  const headers = decodeHeaders(message.headers);
  const key = message.key === null ? null : Buffer.from(message.key).toString('utf8');
  const info = readDeadLetterHeaders(headers);
  if (info === null) {
    return {
      value: message.value,
      key,
      headers,
      code: 'EVR_ERR_KAFKA_RECORD_INVALID',
      message: `record ${topic}/${partition}@${message.offset} has no evroute.* headers: not written by a dead-letter sink`,
      topic,
      partition,
      offset: message.offset,
      timestamp: Number(message.timestamp),
      attempts: 0,
    };
  }
  const { originalHeaders, ...facts } = info;
  return { ...facts, value: message.value, key, headers: originalHeaders };
}

/** A {@link DeadLetterReader} over a Kafka dead-letter topic. */
export class KafkaDeadLetterReader implements DeadLetterReader {
  readonly topic: string;
  readonly #client: KafkaClient;
  readonly #groupIdPrefix: string;

  /** Validates the options (throws `EVR_ERR_KAFKA_OPTIONS_INVALID`); connects only when reading. */
  constructor(options: KafkaDeadLetterReaderOptions) {
    validateConnection(options, 'KafkaDeadLetterReader');
    if (typeof options.topic !== 'string' || options.topic === '') {
      throw kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', 'KafkaDeadLetterReader: `topic` must be the dead-letter topic name');
    }
    this.topic = options.topic;
    this.#groupIdPrefix = options.groupIdPrefix ?? 'evroute-dlq-reader';
    this.#client = (options.clientFactory ?? createKafkajsClient)(options);
  }

  /**
   * Yields every record present when reading starts, then ends. Stops early when `signal` aborts or the
   * caller stops iterating. Rejects with a classified `EVR_ERR_KAFKA_*` error when the topic cannot be read.
   */
  async *read(signal: AbortSignal): AsyncIterable<DeadLetterRecord> {
    const ends = new Map<number, bigint>();
    const admin = this.#client.admin();
    try {
      await abortable(admin.connect(), signal, 'connecting');
      for (const { partition, low, high } of await abortable(admin.topicOffsets(this.topic), signal, 'reading end offsets')) {
        if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
      }
    } finally {
      await admin.disconnect().catch(() => {});
    }
    if (ends.size === 0) return;

    const queue: DeadLetterRecord[] = [];
    const next = new Map<number, bigint>();
    // `wake`: the caller waits for records; `drained`: the fetch loop waits for room.
    const waiting: { wake: (() => void) | null; drained: (() => void) | null } = { wake: null, drained: null };
    const done = new AbortController();
    const onBatch = async ({ partition, messages }: FetchedBatch, control: BatchControl): Promise<void> => {
      const end = ends.get(partition);
      for (const message of messages) {
        const offset = BigInt(message.offset);
        // After a rejoin the client may fetch from the beginning again: skip what was handed out.
        if (end === undefined || offset >= end || offset < (next.get(partition) ?? 0n)) continue;
        queue.push(deadLetterFromMessage(this.topic, partition, message));
        next.set(partition, offset + 1n);
      }
      control.advance((messages[messages.length - 1] as FetchedMessage).offset);
      if (end !== undefined && (next.get(partition) ?? 0n) >= end) ends.delete(partition);
      waiting.wake?.();
      while (queue.length > BUFFER && !done.signal.aborted) {
        await Promise.race([new Promise<void>((resolve) => (waiting.drained = resolve)), pause(1_000, done.signal)]);
        await control.heartbeat().catch(() => {});
      }
    };

    const consumer = this.#client.groupConsumer({
      groupId: `${this.#groupIdPrefix}-${randomUUID()}`,
      sessionTimeoutMs: 30_000,
      rebalanceTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
      maxBytesPerPartition: 1_048_576,
      maxBytes: 10_485_760,
      maxWaitTimeMs: 200,
      allowAutoTopicCreation: false,
    });
    try {
      await abortable(consumer.connect(), signal, 'connecting');
      await abortable(consumer.subscribe([this.topic], true), signal, 'subscribing');
      await abortable(consumer.run(onBatch, 1), signal, 'joining');
      while (!signal.aborted) {
        const record = queue.shift();
        if (record !== undefined) {
          if (queue.length <= BUFFER) waiting.drained?.();
          yield record;
          continue;
        }
        if (ends.size === 0) return;
        await abortable(new Promise<void>((resolve) => (waiting.wake = resolve)), signal, 'reading').catch(() => {});
      }
    } finally {
      done.abort();
      await consumer.disconnect().catch(() => {});
    }
  }

  /** Nothing to release between reads; each read connects and disconnects its own consumer. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
