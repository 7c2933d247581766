/**
 * Options of {@link KafkaSource}, their defaults and their validation.
 */
import type { KafkaClient } from './client.js';
import { positive, validateConnection, type KafkaConnectionOptions } from './connection.js';
import { kafkaError } from './errors.js';
import { createKafkajsClient } from './kafkajs-client.js';
import { silentLogger, type KafkaLogger } from './logger.js';

/** Options of the Kafka source. Times in ms. */
export interface KafkaSourceOptions extends KafkaConnectionOptions {
  /** The consumer group. Instances with the same group share the partitions. */
  readonly groupId: string;
  /** Topics to consume. Exactly one of `topics` and `topicPattern`. */
  readonly topics?: readonly string[];
  /** Consume every topic whose name matches; matched when the source starts (kafkajs does not re-match). */
  readonly topicPattern?: RegExp;
  /**
   * Where a partition starts when the group has no committed offset for it: `true` the earliest
   * record, `false` (default, Kafka's `latest`) only records produced from now on.
   */
  readonly fromBeginning?: boolean;
  /** Name in logs and metrics; default `kafka`. */
  readonly name?: string;
  /** How often acknowledged offsets are committed; default 1000. Also committed on rebalance and close. */
  readonly commitIntervalMs?: number;
  /** Partitions handled at once (kafkajs `partitionsConsumedConcurrently`); default 1. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Most records of one partition delivered but not yet committable (waiting for an ack, or acked
   * behind one that is not); past it the partition is paused until half of them are. Bounds memory.
   * Default 50 000.
   */
  readonly maxUncommittedPerPartition?: number;
  /**
   * Most records handed to the pipeline in one `deliver` call; a bigger fetched batch is delivered in
   * chunks, each accepted before the next. Smaller chunks mean less work to redo for a partition that
   * moves in a rebalance. Default 1000.
   */
  readonly maxRecordsPerDeliver?: number;
  /**
   * How long a batch handler waits for the pipeline to accept a batch before it pauses that partition
   * and lets the client go on with the others; default 1000. The partition resumes on acceptance.
   */
  readonly maxBlockMs?: number;
  /** On close, wait up to this long for delivered records to be acknowledged before the last commit; default 0. */
  readonly drainTimeoutMs?: number;
  /** Group session timeout; default 30000. */
  readonly sessionTimeoutMs?: number;
  /** How long the group waits for members to rejoin in a rebalance; default 60000. */
  readonly rebalanceTimeoutMs?: number;
  /** Heartbeat interval, also while a batch waits for acceptance; default 3000. */
  readonly heartbeatIntervalMs?: number;
  /** Fetch size cap per partition; default 1 MiB. */
  readonly maxBytesPerPartition?: number;
  /** Fetch size cap per request; default 10 MiB. */
  readonly maxBytes?: number;
  /** Broker long-poll wait when there is nothing to fetch; bounds how long `close` waits; default 500. */
  readonly maxWaitTimeMs?: number;
  /** Let the broker create missing subscribed topics; default false. */
  readonly allowAutoTopicCreation?: boolean;
}

/** Options after defaults and validation. */
export interface ResolvedSourceOptions {
  readonly name: string;
  readonly groupId: string;
  readonly topics: ReadonlyArray<string | RegExp>;
  readonly fromBeginning: boolean;
  readonly commitIntervalMs: number;
  readonly concurrency: number;
  readonly maxUncommitted: number;
  readonly maxBlockMs: number;
  readonly maxRecordsPerDeliver: number;
  readonly drainTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxBytesPerPartition: number;
  readonly maxBytes: number;
  readonly maxWaitTimeMs: number;
  readonly allowAutoTopicCreation: boolean;
  readonly logger: KafkaLogger;
  readonly client: KafkaClient;
}

/** Applies defaults; throws `EVR_ERR_KAFKA_OPTIONS_INVALID` naming the first bad option. */
export function resolveSourceOptions(options: KafkaSourceOptions): ResolvedSourceOptions {
  const adapter = 'KafkaSource';
  const fail = (what: string): never => {
    throw kafkaError('EVR_ERR_KAFKA_OPTIONS_INVALID', `${adapter}: ${what}`);
  };
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  validateConnection(options, adapter);
  if (typeof options.groupId !== 'string' || options.groupId === '') fail('`groupId` must be a non-empty string');
  const { topics, topicPattern } = options;
  if ((topics === undefined) === (topicPattern === undefined)) fail('give exactly one of `topics` and `topicPattern`');
  if (topics !== undefined && (!Array.isArray(topics) || topics.length === 0 || topics.some((t) => typeof t !== 'string' || t === ''))) {
    fail('`topics` must be a non-empty array of topic names');
  }
  if (topicPattern !== undefined && !(topicPattern instanceof RegExp)) fail('`topicPattern` must be a RegExp');
  const num = (value: number | undefined, fallback: number, name: string): number => positive(value, fallback, name, adapter);
  const concurrency = num(options.partitionsConsumedConcurrently, 1, 'partitionsConsumedConcurrently');
  if (!Number.isInteger(concurrency)) fail('`partitionsConsumedConcurrently` must be an integer');
  const drainTimeoutMs = options.drainTimeoutMs ?? 0;
  if (!(Number.isFinite(drainTimeoutMs) && drainTimeoutMs >= 0)) fail('`drainTimeoutMs` must be a number >= 0');
  return {
    name: options.name ?? 'kafka',
    groupId: options.groupId,
    topics: topics ?? [topicPattern as RegExp],
    fromBeginning: options.fromBeginning ?? false,
    commitIntervalMs: num(options.commitIntervalMs, 1_000, 'commitIntervalMs'),
    concurrency,
    maxUncommitted: num(options.maxUncommittedPerPartition, 50_000, 'maxUncommittedPerPartition'),
    maxBlockMs: num(options.maxBlockMs, 1_000, 'maxBlockMs'),
    maxRecordsPerDeliver: Math.max(1, Math.floor(num(options.maxRecordsPerDeliver, 1_000, 'maxRecordsPerDeliver'))),
    drainTimeoutMs,
    sessionTimeoutMs: num(options.sessionTimeoutMs, 30_000, 'sessionTimeoutMs'),
    rebalanceTimeoutMs: num(options.rebalanceTimeoutMs, 60_000, 'rebalanceTimeoutMs'),
    heartbeatIntervalMs: num(options.heartbeatIntervalMs, 3_000, 'heartbeatIntervalMs'),
    maxBytesPerPartition: num(options.maxBytesPerPartition, 1_048_576, 'maxBytesPerPartition'),
    maxBytes: num(options.maxBytes, 10_485_760, 'maxBytes'),
    maxWaitTimeMs: num(options.maxWaitTimeMs, 500, 'maxWaitTimeMs'),
    allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
    logger: options.logger ?? silentLogger,
    client: (options.clientFactory ?? createKafkajsClient)(options),
  };
}
