/**
 * The seam between the evroute Kafka adapters and a Kafka client library. The adapters use nothing of
 * the client but these interfaces; `kafkajs-client.ts` implements them on kafkajs 2.2.4 and is the only
 * file that imports kafkajs. To swap the client, implement {@link KafkaClient} and pass a factory as the
 * adapters' `clientFactory` option (see docs/reference/kafka.md, "Replacing the client").
 *
 * Errors: implementations may throw their own errors; the adapters classify them with the table in
 * `errors.ts` by the fields `type` (a Kafka protocol error name such as `REBALANCE_IN_PROGRESS`), `name`
 * and `retriable`. A new client either sets those fields or throws coded `EVR_ERR_KAFKA_*` errors.
 */

/** A partition of a topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A position in a partition; Kafka offsets are decimal strings (they exceed 2^53). */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: string;
}

/** Header values as the wire has them: bytes, text, or several values for a repeated key. */
export type RawHeaders = Readonly<Record<string, Uint8Array | string | ReadonlyArray<Uint8Array | string> | undefined>>;

/** One fetched record. */
export interface FetchedMessage {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: RawHeaders;
  readonly offset: string;
  /** Epoch ms as a decimal string. */
  readonly timestamp: string;
}

/** The records of one partition from one fetch, in offset order. */
export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  /** The partition's end offset when fetched (the offset the next produced record gets). */
  readonly highWatermark: string;
  /** Never empty: a client does not call the handler for a batch without records. */
  readonly messages: readonly FetchedMessage[];
}

/** What a batch handler may do while it holds a batch. */
export interface BatchControl {
  /**
   * Moves this member's fetch position past `offset` (an offset of the batch). Not a commit: after a
   * restart or rebalance the group resumes from its committed offsets.
   */
  advance(offset: string): void;
  /** Tells the group coordinator this member is alive. Rejects when the group is rebalancing. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping; the handler should return. */
  isRunning(): boolean;
  /** True when a seek made this batch obsolete; the handler should return without processing. */
  isStale(): boolean;
}

/** Handles one batch. The client fetches nothing more for that partition until the promise settles. */
export type BatchHandler = (batch: FetchedBatch, control: BatchControl) => Promise<void>;

/** What a group consumer reports about its membership. */
export type GroupEvent =
  /** Joined (or re-joined) the group with this assignment; earlier partitions not listed are revoked. */
  | { readonly type: 'assigned'; readonly assignment: readonly TopicPartition[] }
  /** The group started rebalancing; an assignment follows. Commit what is done now. */
  | { readonly type: 'rebalancing' }
  /** The consumer failed; with `restart` it reconnects and rejoins by itself. */
  | { readonly type: 'crash'; readonly error: unknown; readonly restart: boolean };

/** Options of {@link KafkaClient.groupConsumer}. Times in ms. */
export interface GroupConsumerOptions {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxBytesPerPartition: number;
  readonly maxBytes: number;
  readonly maxWaitTimeMs: number;
  /** Create subscribed topics that do not exist (broker permitting); default false. */
  readonly allowAutoTopicCreation: boolean;
}

/** A member of a consumer group that fetches batches. Offsets are committed only by {@link commit}. */
export interface GroupConsumer {
  connect(): Promise<void>;
  /** Topics by name or pattern; `fromBeginning` applies to partitions the group has no offset for. */
  subscribe(topics: ReadonlyArray<string | RegExp>, fromBeginning: boolean): Promise<void>;
  /**
   * Joins the group and starts fetching; resolves once started. Up to `concurrency` partitions are
   * handled at once; batches of one partition never overlap.
   */
  run(handler: BatchHandler, concurrency: number): Promise<void>;
  /** Commits next-to-consume offsets for the current generation. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /**
   * Stops fetching these partitions until {@link resume}. Callable at any time; the pause survives
   * rebalances and client restarts (a partition paused while not assigned stays paused if it comes back).
   */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Subscribes to membership events; returns the unsubscribe function. */
  onEvent(listener: (event: GroupEvent) => void): () => void;
  /** Waits for running handlers, leaves the group (no commit) and closes connections. */
  disconnect(): Promise<void>;
}

/** One record to produce. */
export interface OutgoingMessage {
  readonly key: string | Uint8Array | null;
  readonly value: string | Uint8Array | null;
  readonly headers?: Readonly<Record<string, string | Uint8Array>>;
  /** Epoch ms as a decimal string; default: now. */
  readonly timestamp?: string;
}

/** Records for one topic. */
export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
}

/** Options of {@link KafkaClient.producer}. */
export interface ProducerOptions {
  /** Idempotent producer: acks=all, sequence numbers, one request in flight per broker. */
  readonly idempotent: boolean;
  /** `-1` (all in-sync replicas) or `1` (leader only); idempotence requires -1. */
  readonly acks: -1 | 1;
  readonly compression: 'none' | 'gzip';
  /** Broker-side timeout waiting for acks, ms. */
  readonly ackTimeoutMs: number;
  readonly allowAutoTopicCreation: boolean;
}

/** A producer. `send` resolves when the broker acknowledged every record per `acks`. */
export interface KafkaProducer {
  connect(): Promise<void>;
  send(batches: readonly TopicMessages[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** A partition's earliest and end offsets. */
export interface PartitionOffsets {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

/** A topic to create. */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor?: number;
  readonly config?: Readonly<Record<string, string>>;
}

/** Cluster administration the adapters and their helpers need. */
export interface KafkaAdmin {
  connect(): Promise<void>;
  /** Earliest and end offsets of every partition of `topic`. */
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** The group's committed offsets for `topic` (`-1` where none). */
  groupOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;
  /** Creates the topic; resolves false when it already exists. */
  createTopic(spec: TopicSpec): Promise<boolean>;
  disconnect(): Promise<void>;
}

/** A Kafka client: makes the consumers, producers and admins the adapters use. */
export interface KafkaClient {
  groupConsumer(options: GroupConsumerOptions): GroupConsumer;
  producer(options: ProducerOptions): KafkaProducer;
  admin(): KafkaAdmin;
}
