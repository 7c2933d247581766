/**
 * The routing config as a compacted Kafka topic (the push path that reaches every instance at once).
 * Each instance reads the whole topic from the beginning with a consumer group of its own, so every
 * instance sees every change; it never commits.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ConfigSnapshot, ConfigSource, ConfigSourceHandler, RouteRow } from '@evroute/core';
import { abortable } from './abortable.js';
import type { BatchControl, FetchedBatch, FetchedMessage, GroupConsumer, KafkaClient } from './client.js';
import { describeConnection, positive, validateConnection, type KafkaConnectionOptions } from './connection.js';
import { kafkaError, toKafkaError } from './errors.js';
import { createKafkajsClient } from './kafkajs-client.js';
import { silentLogger, type KafkaLogger } from './logger.js';
import { parseRouteRecord } from './route-record.js';

/** Options of the Kafka config source. Times in ms. */
export interface KafkaConfigSourceOptions extends KafkaConnectionOptions {
  /** The compacted config topic (see `createConfigTopic`). */
  readonly topic: string;
  /** Name in logs; default `kafka-config`. */
  readonly name?: string;
  /** Prefix of this instance's own consumer group (`<prefix>-<host>-<pid>-<random>`); default `evroute-config`. */
  readonly groupIdPrefix?: string;
  /** How long `start` may take to read the topic to its end; default 30000. */
  readonly startTimeoutMs?: number;
  /** Broker long-poll wait when there is no change; bounds how long `close` takes; default 500. */
  readonly maxWaitTimeMs?: number;
}

/**
 * A {@link ConfigSource} reading the config topic (see `route-record.ts` for the record format).
 *
 * `start` reads from the beginning up to the end offsets it found when starting, emits that table as
 * the first snapshot and resolves; afterwards every fetched batch with changes emits a new full snapshot
 * (changes fetched together are folded into one) with a higher `version`. A record that is not a valid
 * route row is left out of `routes` and listed in `invalid`; a later valid record for the same key
 * replaces it. A tombstone deletes the route.
 */
export class KafkaConfigSource implements ConfigSource {
  readonly name: string;
  readonly topic: string;
  readonly #client: KafkaClient;
  readonly #logger: KafkaLogger;
  readonly #groupId: string;
  readonly #startTimeoutMs: number;
  readonly #maxWaitTimeMs: number;
  readonly #routes = new Map<string, RouteRow>();
  readonly #invalid = new Map<string, string>();
  /** Partition → end offset to reach before the first snapshot; emptied as partitions catch up. */
  readonly #behind = new Map<number, bigint>();
  /** Partition → next offset to apply. */
  readonly #next = new Map<number, bigint>();
  #caughtUp: (() => void) | null = null;
  #handler: ConfigSourceHandler | null = null;
  #consumer: GroupConsumer | null = null;
  #version = 0;
  #running = false;
  #closed = false;
  #joined = false;

  /** Validates the options (throws `EVR_ERR_KAFKA_OPTIONS_INVALID`); connects nothing until `start`. */
  constructor(options: KafkaConfigSourceOptions) {
    const adapter = 'KafkaConfigSource';
    validateConnection(options, adapter);
    if (typeof options.topic !== 'string' || options.topic === '') {
      throw kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', `${adapter}: \`topic\` must be the config topic name`);
    }
    this.name = options.name ?? 'kafka-config';
    this.topic = options.topic;
    this.#logger = options.logger ?? silentLogger;
    this.#startTimeoutMs = positive(options.startTimeoutMs, 30_000, 'startTimeoutMs', adapter);
    this.#maxWaitTimeMs = positive(options.maxWaitTimeMs, 500, 'maxWaitTimeMs', adapter);
    const host = hostname().replace(/[^A-Za-z0-9._-]/g, '_');
    this.#groupId = `${options.groupIdPrefix ?? 'evroute-config'}-${host}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#client = (options.clientFactory ?? createKafkajsClient)(options);
    this.#logger.debug({ source: this.name, topic: this.topic, ...describeConnection(options) }, 'kafka config source created');
  }

  /**
   * Reads the topic to its current end, emits the first snapshot, then keeps following it. Rejects with
   * `EVR_ERR_KAFKA_CONFIG_READ_FAILED` (retriable; the cause says why: no broker, no topic, timeout) or
   * `EVR_ERR_KAFKA_ABORTED`. Call once.
   */
  async start(handler: ConfigSourceHandler, signal: AbortSignal): Promise<void> {
    if (this.#handler !== null || this.#closed) throw kafkaError('EVR_ERR_KAFKA_CLOSED', `${this.name}: start() may be called once`);
    this.#handler = handler;
    const caughtUp = new Promise<void>((resolve) => (this.#caughtUp = resolve));
    const consumer = this.#client.groupConsumer({
      groupId: this.#groupId,
      sessionTimeoutMs: 30_000,
      rebalanceTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
      maxBytesPerPartition: 1_048_576,
      maxBytes: 10_485_760,
      maxWaitTimeMs: this.#maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
    this.#consumer = consumer;
    consumer.onEvent((event) => {
      if (event.type === 'assigned') this.#joined = true;
      else if (event.type === 'crash') {
        this.#joined = false;
        this.#logger.error({ source: this.name, err: event.error, restart: event.restart }, 'kafka config consumer crashed');
        if (this.#running) this.#handler?.error(toKafkaError(event.error, 'EVR_ERR_KAFKA_CONSUMER_CRASHED', { topic: this.topic }));
      }
    });
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.#startTimeoutMs)]);
    let step = 'reading end offsets';
    try {
      await this.#readEnds(deadline);
      step = 'connecting';
      await abortable(consumer.connect(), deadline, step);
      step = 'subscribing';
      await abortable(consumer.subscribe([this.topic], true), deadline, step);
      this.#running = true;
      step = 'joining its consumer group';
      await abortable(consumer.run((batch, control) => this.#onBatch(batch, control), 1), deadline, step);
      this.#checkCaughtUp();
      step = 'reading the topic to its end';
      await abortable(caughtUp, deadline, step);
    } catch (error) {
      this.#running = false;
      await consumer.disconnect().catch(() => {});
      if (signal.aborted) throw toKafkaError(error, 'EVR_ERR_KAFKA_ABORTED', { topic: this.topic });
      const cause = deadline.aborted
        ? kafkaError('EVR_ERR_KAFKA_TIMEOUT', `timed out after startTimeoutMs (${this.#startTimeoutMs} ms) while ${step}`, { cause: error })
        : toKafkaError(error, 'EVR_ERR_KAFKA_CONNECT', { topic: this.topic });
      throw kafkaError('EVR_ERR_KAFKA_CONFIG_READ_FAILED', `${this.name}: could not read ${this.topic} to its end: ${cause.message}`, {
        cause,
        context: { topic: this.topic },
      });
    }
    this.#logger.info({ source: this.name, topic: this.topic, routes: this.#routes.size, version: this.#version }, 'routing config loaded');
  }

  async #readEnds(signal: AbortSignal): Promise<void> {
    const admin = this.#client.admin();
    try {
      await abortable(admin.connect(), signal, 'connecting the admin client');
      for (const { partition, low, high } of await abortable(admin.topicOffsets(this.topic), signal, 'reading end offsets')) {
        if (BigInt(high) > BigInt(low)) this.#behind.set(partition, BigInt(high));
      }
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  async #onBatch(batch: FetchedBatch, control: BatchControl): Promise<void> {
    if (!this.#running) return;
    const { partition, messages } = batch;
    const last = (messages[messages.length - 1] as { offset: string }).offset;
    // After a consumer restart the client reads from the beginning again (this group never commits):
    // skip what was applied, so an old intermediate table is never emitted as a new version.
    const from = this.#next.get(partition) ?? 0n;
    let changed = false;
    for (const message of messages) {
      if (BigInt(message.offset) < from) continue;
      this.#apply(partition, message);
      changed = true;
    }
    control.advance(last);
    const next = BigInt(last) + 1n;
    if (next > from) this.#next.set(partition, next);
    const target = this.#behind.get(partition);
    if (target !== undefined && next >= target) this.#behind.delete(partition);
    if (this.#caughtUp !== null) this.#checkCaughtUp();
    else if (changed) this.#emit();
  }

  /** Applies one config record to the table: upsert, tombstone delete, or an invalid entry. */
  #apply(partition: number, message: FetchedMessage): void {
    const id = message.key === null ? null : Buffer.from(message.key).toString('utf8');
    if (id === null || id === '') {
      this.#invalid.set(`${partition}@${message.offset}`, `record at ${partition}@${message.offset} has no key (the route id)`);
    } else if (message.value === null) {
      this.#routes.delete(id);
      this.#invalid.delete(id);
    } else {
      const parsed = parseRouteRecord(id, message.value);
      if (parsed.ok) {
        this.#routes.set(id, parsed.route);
        this.#invalid.delete(id);
      } else {
        this.#routes.delete(id);
        this.#invalid.set(id, parsed.reason);
        const err = kafkaError('EVR_ERR_KAFKA_CONFIG_RECORD_INVALID', parsed.reason, { context: { topic: this.topic, route: id } });
        this.#logger.warn({ source: this.name, err, offset: message.offset }, 'unreadable routing config record; the route is left out');
      }
    }
  }

  /** Emits the first snapshot and lets `start` resolve once every partition reached its start-time end. */
  #checkCaughtUp(): void {
    const resolve = this.#caughtUp;
    if (resolve === null || this.#behind.size > 0) return;
    this.#caughtUp = null;
    this.#emit();
    resolve();
  }

  #emit(): void {
    const snapshot: ConfigSnapshot = {
      version: ++this.#version,
      routes: [...this.#routes.values()],
      invalid: [...this.#invalid].map(([id, reason]) => ({ id, reason })),
    };
    try {
      this.#handler?.snapshot(snapshot);
    } catch (error) {
      this.#logger.error({ source: this.name, err: error, version: snapshot.version }, 'config snapshot handler threw');
    }
  }

  /** Emits the current table again as a new version (the admin "reload"); the topic is always followed live. */
  refresh(): Promise<void> {
    if (this.#running && this.#caughtUp === null) this.#emit();
    return Promise.resolve();
  }

  /** True while following the topic: started, caught up, in its group. */
  healthy(): boolean {
    return this.#running && this.#caughtUp === null && this.#joined;
  }

  /** The version of the last emitted snapshot (0 before the first). */
  get version(): number {
    return this.#version;
  }

  /** Stops following the topic, leaves its group and disconnects. Idempotent. */
  async close(signal: AbortSignal): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#running = false;
    if (this.#consumer !== null) {
      await abortable(this.#consumer.disconnect(), signal, 'disconnecting').catch(() => {});
    }
  }
}
