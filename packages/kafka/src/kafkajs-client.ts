/**
 * The kafkajs 2.2.4 implementation of the client seam (`client.ts`). This is the only file that imports
 * kafkajs; replacing the client means writing another file like this one.
 */
import kafkajs from 'kafkajs';
import type {
  Admin,
  Consumer,
  EachBatchPayload,
  IHeaders,
  KafkaConfig,
  LogEntry,
  logCreator as LogCreator,
  logLevel as LogLevel,
  Message,
  Producer,
  ProducerConfig,
  SASLOptions,
} from 'kafkajs';
import type {
  BatchHandler,
  GroupConsumer,
  GroupConsumerOptions,
  GroupEvent,
  KafkaAdmin,
  KafkaClient,
  KafkaProducer,
  OutgoingMessage,
  PartitionOffsets,
  ProducerOptions,
  TopicMessages,
  TopicPartition,
  TopicPartitionOffset,
  TopicSpec,
} from './client.js';
import type { ClientLogLevel, KafkaConnectionOptions } from './connection.js';
import { silentLogger, type KafkaLogger } from './logger.js';

const { Kafka, Partitioners, CompressionTypes, logLevel: LEVEL } = kafkajs;

const clientLevels: Record<ClientLogLevel, LogLevel> = {
  nothing: LEVEL.NOTHING,
  error: LEVEL.ERROR,
  warn: LEVEL.WARN,
  info: LEVEL.INFO,
  debug: LEVEL.DEBUG,
};

/** Routes kafkajs's own log lines to our logger (kafkajs would write to the console otherwise). */
function logCreator(logger: KafkaLogger): LogCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
      const fields = { client: 'kafkajs', namespace, ...extra };
      if (level === LEVEL.ERROR) logger.error(fields, message);
      else if (level === LEVEL.WARN) logger.warn(fields, message);
      else if (level === LEVEL.INFO) logger.info(fields, message);
      else if (logger.isLevelEnabled('debug')) logger.debug(fields, message);
    };
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function toMessage(message: OutgoingMessage): Message {
  const { key, value, headers, timestamp } = message;
  const out: Message = {
    key: key === null || typeof key === 'string' ? key : asBuffer(key),
    value: value === null || typeof value === 'string' ? value : asBuffer(value),
  };
  if (headers !== undefined) {
    const converted: IHeaders = {};
    for (const [name, header] of Object.entries(headers)) {
      converted[name] = typeof header === 'string' ? header : asBuffer(header);
    }
    out.headers = converted;
  }
  if (timestamp !== undefined) out.timestamp = timestamp;
  return out;
}

class KafkajsGroupConsumer implements GroupConsumer {
  readonly #consumer: Consumer;
  readonly #paused = new Map<string, TopicPartition>();

  constructor(consumer: Consumer) {
    this.#consumer = consumer;
    // Registered first, so pauses are back in place before anyone hears of the new assignment.
    consumer.on(consumer.events.GROUP_JOIN, () => this.#apply('pause', [...this.#paused.values()]));
  }

  connect(): Promise<void> {
    return this.#consumer.connect();
  }

  subscribe(topics: ReadonlyArray<string | RegExp>, fromBeginning: boolean): Promise<void> {
    return this.#consumer.subscribe({ topics: [...topics], fromBeginning });
  }

  run(handler: BatchHandler, concurrency: number): Promise<void> {
    return this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: (payload: EachBatchPayload) =>
        // kafkajs's Batch and KafkaMessage already have the shape of FetchedBatch: handed over as is, no copy.
        handler(payload.batch, {
          advance: (offset) => payload.resolveOffset(offset),
          heartbeat: () => payload.heartbeat(),
          isRunning: () => payload.isRunning(),
          isStale: () => payload.isStale(),
        }),
    });
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    // kafkajs silently skips a commit while its runner is stopped (crashed, restarting, disconnecting);
    // the COMMIT_OFFSETS event, emitted synchronously after the broker accepted, tells the two apart.
    let accepted = false;
    const off = this.#consumer.on(this.#consumer.events.COMMIT_OFFSETS, () => {
      accepted = true;
    });
    try {
      await this.#consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
    } finally {
      off();
    }
    if (!accepted) {
      throw Object.assign(new Error('the consumer is not running (stopped or restarting); nothing was committed'), {
        retriable: true,
      });
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.#paused.set(`${partition}\u0000${topic}`, { topic, partition });
    this.#apply('pause', partitions);
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.#paused.delete(`${partition}\u0000${topic}`);
    this.#apply('resume', partitions);
  }

  /**
   * kafkajs keeps pauses in its consumer group object, which it replaces when it restarts after a crash
   * (and throws while there is none): the wanted pauses are kept here and re-applied on every join.
   */
  #apply(action: 'pause' | 'resume', partitions: readonly TopicPartition[]): void {
    if (partitions.length === 0) return;
    try {
      this.#consumer[action](partitions.map(({ topic, partition }) => ({ topic, partitions: [partition] })));
    } catch {
      // Not running (stopped or between a crash and its restart): applied again on the next join.
    }
  }

  onEvent(listener: (event: GroupEvent) => void): () => void {
    const { GROUP_JOIN, REBALANCING, CRASH } = this.#consumer.events;
    const off = [
      this.#consumer.on(GROUP_JOIN, ({ payload }) => {
        const assignment = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((partition) => ({ topic, partition })),
        );
        listener({ type: 'assigned', assignment });
      }),
      this.#consumer.on(REBALANCING, () => listener({ type: 'rebalancing' })),
      this.#consumer.on(CRASH, ({ payload }) =>
        listener({ type: 'crash', error: payload.error, restart: payload.restart }),
      ),
    ];
    return () => {
      for (const remove of off) remove();
    };
  }

  disconnect(): Promise<void> {
    return this.#consumer.disconnect();
  }
}

class KafkajsProducer implements KafkaProducer {
  readonly #producer: Producer;
  readonly #options: ProducerOptions;

  constructor(producer: Producer, options: ProducerOptions) {
    this.#producer = producer;
    this.#options = options;
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  async send(batches: readonly TopicMessages[]): Promise<void> {
    await this.#producer.sendBatch({
      acks: this.#options.acks,
      timeout: this.#options.ackTimeoutMs,
      compression: this.#options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: batches.map(({ topic, messages }) => ({ topic, messages: messages.map(toMessage) })),
    });
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }
}

class KafkajsAdmin implements KafkaAdmin {
  readonly #admin: Admin;

  constructor(admin: Admin) {
    this.#admin = admin;
  }

  connect(): Promise<void> {
    return this.#admin.connect();
  }

  async topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return offsets.map(({ partition, low, high }) => ({ partition, low, high }));
  }

  async groupOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    const topics = await this.#admin.fetchOffsets({ groupId, topics: [topic] });
    return topics.flatMap((entry) =>
      entry.partitions.map(({ partition, offset }) => ({ topic: entry.topic, partition, offset })),
    );
  }

  createTopic(spec: TopicSpec): Promise<boolean> {
    return this.#admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor ?? -1,
          configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  }

  disconnect(): Promise<void> {
    return this.#admin.disconnect();
  }
}

/**
 * The default {@link KafkaClient}: kafkajs 2.2.4. Consumers run `eachBatch` with `autoCommit: false` and
 * `eachBatchAutoResolve: false`, so offsets move only through `commit`; producers use the Java-compatible
 * murmur2 partitioner and, when idempotent, one request in flight per broker (kafkajs assigns sequence
 * numbers per request and does not support more).
 */
export function createKafkajsClient(connection: KafkaConnectionOptions): KafkaClient {
  const logger = connection.logger ?? silentLogger;
  const config: KafkaConfig = {
    brokers: [...connection.brokers],
    clientId: connection.clientId ?? 'evroute',
    connectionTimeout: connection.connectionTimeoutMs ?? 3_000,
    requestTimeout: connection.requestTimeoutMs ?? 30_000,
    logLevel: clientLevels[connection.clientLogLevel ?? 'warn'],
    logCreator: logCreator(logger),
  };
  if (connection.ssl !== undefined) config.ssl = connection.ssl;
  if (connection.sasl !== undefined) config.sasl = { ...connection.sasl } as SASLOptions;
  const kafka = new Kafka(config);
  return {
    groupConsumer: (options: GroupConsumerOptions) =>
      new KafkajsGroupConsumer(
        kafka.consumer({
          groupId: options.groupId,
          sessionTimeout: options.sessionTimeoutMs,
          rebalanceTimeout: options.rebalanceTimeoutMs,
          heartbeatInterval: options.heartbeatIntervalMs,
          maxBytesPerPartition: options.maxBytesPerPartition,
          maxBytes: options.maxBytes,
          maxWaitTimeInMs: options.maxWaitTimeMs,
          allowAutoTopicCreation: options.allowAutoTopicCreation,
        }),
      ),
    producer: (options: ProducerOptions) => {
      const producerConfig: ProducerConfig = {
        idempotent: options.idempotent,
        allowAutoTopicCreation: options.allowAutoTopicCreation,
        createPartitioner: Partitioners.DefaultPartitioner,
      };
      if (options.idempotent) producerConfig.maxInFlightRequests = 1;
      return new KafkajsProducer(kafka.producer(producerConfig), options);
    },
    admin: () => new KafkajsAdmin(kafka.admin()),
  };
}
