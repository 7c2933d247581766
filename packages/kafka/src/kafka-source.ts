/**
 * The Kafka source: a consumer-group member that delivers batches to the pipeline and commits, per
 * partition, only offsets under the contiguous-ack watermark (commit-after-write). See
 * docs/reference/kafka.md for the commit and rebalance semantics.
 */
import type { SourceHandler, SourceRecord, Source } from '@evroute/core';
import { abortable, pause } from './abortable.js';
import { awaitAcceptance, watchAcceptance, type Acceptance } from './acceptance.js';
import { AckTracker, type PartitionPosition } from './ack-tracker.js';
import type { BatchControl, FetchedBatch, FetchedMessage, GroupConsumer, GroupEvent, TopicPartition, TopicPartitionOffset } from './client.js';
import { OffsetCommitter } from './offset-committer.js';
import { describeConnection } from './connection.js';
import { kafkaError, toKafkaError } from './errors.js';
import { resolveSourceOptions, type KafkaSourceOptions, type ResolvedSourceOptions } from './kafka-source-options.js';
import type { PartitionWatermark } from './offset-watermark.js';
import { PartitionPauses } from './partition-pauses.js';
import { toSourceRecord } from './source-record.js';

type State = 'new' | 'starting' | 'running' | 'closing' | 'closed';

/**
 * A {@link Source} reading a Kafka consumer group through the client seam (kafkajs by default).
 *
 * - Delivers each fetched batch with `handler.deliver` and waits for acceptance, heartbeating; after
 *   `maxBlockMs` it pauses that partition instead and resumes it on acceptance.
 * - Commits `last contiguous acked offset + 1` per partition every `commitIntervalMs`, when the group
 *   starts rebalancing, and on `close`. Never commits an offset whose record (or an earlier delivered
 *   one) is unacknowledged.
 * - On a new assignment, forgets revoked partitions: their late acks are ignored and never committed.
 */
export class KafkaSource implements Source {
  readonly name: string;
  readonly #options: ResolvedSourceOptions;
  readonly #tracker = new AckTracker();
  readonly #stopping = new AbortController();
  #state: State = 'new';
  #consumer: GroupConsumer | null = null;
  #pauses: PartitionPauses | null = null;
  #handler: SourceHandler | null = null;
  #assignment: readonly TopicPartition[] = [];
  #joined = false;
  #halted = false;
  #crash: { error: unknown; restart: boolean } | null = null;
  #offEvents: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  #committer: OffsetCommitter | null = null;
  #startPromise: Promise<void> | null = null;
  #closePromise: Promise<void> | null = null;

  /** Validates the options (throws `EVR_ERR_KAFKA_OPTIONS_INVALID`); connects nothing until `start`. */
  constructor(options: KafkaSourceOptions) {
    this.#options = resolveSourceOptions(options);
    this.name = this.#options.name;
    this.#options.logger.debug({ source: this.name, ...describeConnection(options) }, 'kafka source created');
  }

  /**
   * Connects, subscribes and joins the group; resolves once consuming has begun. Rejects with a coded
   * error (`EVR_ERR_KAFKA_CONNECT`, `_AUTH`, …; `retriable` as classified) when it cannot, or with
   * `EVR_ERR_KAFKA_ABORTED` when `signal` aborts first. Call once.
   */
  start(handler: SourceHandler, signal: AbortSignal): Promise<void> {
    if (this.#state !== 'new') {
      return Promise.reject(kafkaError('EVR_ERR_KAFKA_CLOSED', `KafkaSource ${this.name}: start() may be called once`));
    }
    this.#state = 'starting';
    this.#handler = handler;
    this.#startPromise = this.#start(signal);
    return this.#startPromise;
  }

  async #start(signal: AbortSignal): Promise<void> {
    const o = this.#options;
    const consumer = o.client.groupConsumer({
      groupId: o.groupId,
      sessionTimeoutMs: o.sessionTimeoutMs,
      rebalanceTimeoutMs: o.rebalanceTimeoutMs,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      maxBytesPerPartition: o.maxBytesPerPartition,
      maxBytes: o.maxBytes,
      maxWaitTimeMs: o.maxWaitTimeMs,
      allowAutoTopicCreation: o.allowAutoTopicCreation,
    });
    this.#consumer = consumer;
    this.#pauses = new PartitionPauses(consumer);
    this.#committer = new OffsetCommitter(this.#tracker, consumer, o.logger, { source: this.name, groupId: o.groupId });
    this.#offEvents = consumer.onEvent((event) => this.#onGroupEvent(event));
    const context = { groupId: o.groupId, topic: o.topics.map(String).join(',') };
    try {
      await abortable(consumer.connect(), signal, 'connecting the Kafka consumer');
      await abortable(consumer.subscribe(o.topics, o.fromBeginning), signal, 'subscribing');
      if (this.#state === 'starting') this.#state = 'running';
      await abortable(consumer.run((batch, control) => this.#onBatch(batch, control), o.concurrency), signal, 'joining the group');
      if (this.#crash !== null && !this.#crash.restart) throw this.#crash.error;
    } catch (error) {
      this.#state = 'closed';
      this.#offEvents();
      await consumer.disconnect().catch(() => {});
      throw toKafkaError(error, 'EVR_ERR_KAFKA_CONNECT', context);
    }
    if (this.#state !== 'running') return; // closed while starting
    this.#timer = setInterval(() => void this.commit(), o.commitIntervalMs);
    this.#timer.unref();
    o.logger.info({ source: this.name, ...context }, 'kafka source started');
  }

  /**
   * Delivers a fetched batch in chunks of `maxRecordsPerDeliver`, each accepted before the next, so a
   * rebalance or a full window mid-batch leaves the rest undelivered (fetched again later) instead of
   * queued in the pipeline for a partition that may move.
   */
  async #onBatch(batch: FetchedBatch, control: BatchControl): Promise<void> {
    const { topic, partition, messages } = batch;
    if (!this.#mayDeliver(topic, partition, control)) return;
    const watermark = this.#tracker.ensure(topic, partition);
    watermark.observeHigh(batch.highWatermark);
    const size = this.#options.maxRecordsPerDeliver;
    for (let start = 0; start < messages.length; start += size) {
      // Not ours any more, stopping, or paused meanwhile: do not advance; the rest is fetched again later.
      if (start > 0 && !this.#mayDeliver(topic, partition, control)) return;
      const chunk = messages.slice(start, start + size);
      const skip = watermark.track(chunk);
      control.advance((chunk[chunk.length - 1] as FetchedMessage).offset);
      if (skip === chunk.length) continue;
      const records: SourceRecord[] = [];
      for (let i = skip; i < chunk.length; i++) records.push(toSourceRecord(topic, partition, chunk[i] as FetchedMessage));
      const acceptance = watchAcceptance((this.#handler as SourceHandler).deliver(records), (error) => this.#halt(error));
      if (watermark.window >= this.#options.maxUncommitted) this.#pauses?.hold(topic, partition, 'window');
      if (!(await this.#accepted(acceptance, topic, partition, control))) return;
    }
  }

  #mayDeliver(topic: string, partition: number, control: BatchControl): boolean {
    const pauses = this.#pauses as PartitionPauses;
    return (
      this.#state === 'running' &&
      !this.#halted &&
      control.isRunning() &&
      !control.isStale() &&
      this.#tracker.isAssigned(topic, partition) &&
      !pauses.has(topic, partition, 'accepting') &&
      !pauses.has(topic, partition, 'window')
    );
  }

  /** Waits for acceptance (see `acceptance.ts`); true once accepted, false when the partition was paused instead. */
  async #accepted(acceptance: Acceptance, topic: string, partition: number, control: BatchControl): Promise<boolean> {
    const o = this.#options;
    const wait = { maxBlockMs: o.maxBlockMs, heartbeatIntervalMs: o.heartbeatIntervalMs, stopping: this.#stopping.signal };
    let outcome: 'accepted' | 'gave-up';
    try {
      outcome = await awaitAcceptance(acceptance, control, wait);
    } catch (error) {
      // A heartbeat says the group is rebalancing: let the client rejoin now; the partition waits paused.
      this.#holdUntilAccepted(acceptance, topic, partition);
      throw error;
    }
    if (outcome === 'gave-up') this.#holdUntilAccepted(acceptance, topic, partition);
    return outcome === 'accepted' && !this.#halted;
  }

  #holdUntilAccepted(acceptance: Acceptance, topic: string, partition: number): void {
    const pauses = this.#pauses as PartitionPauses;
    pauses.hold(topic, partition, 'accepting');
    void acceptance.promise.then(() => pauses.release(topic, partition, 'accepting'));
  }

  /** The pipeline refused a batch: stop delivering (records stay uncommitted and are redelivered later). */
  #halt(error: unknown): void {
    if (this.#halted) return;
    this.#halted = true;
    const code = (error as { code?: unknown } | null)?.code;
    const log = this.#options.logger;
    if (code === 'EVR_ERR_PIPELINE_STOPPED') log.info({ source: this.name }, 'pipeline stopped; kafka source stops delivering');
    else log.error({ source: this.name, err: error }, 'pipeline refused a batch; kafka source stops delivering');
    this.#holdAll();
  }

  #holdAll(): void {
    for (const { topic, partition } of this.#assignment) this.#pauses?.hold(topic, partition, 'stopped');
  }

  #onGroupEvent(event: GroupEvent): void {
    const log = this.#options.logger;
    switch (event.type) {
      case 'assigned': {
        this.#assignment = event.assignment;
        this.#joined = true;
        this.#crash = null;
        const dropped = this.#tracker.assign(event.assignment);
        for (const w of dropped) this.#pauses?.release(w.topic, w.partition, 'window');
        if (this.#halted || this.#state === 'closing') this.#holdAll();
        log.info(
          { source: this.name, assignment: event.assignment, revoked: dropped.map((w) => `${w.topic}/${w.partition}`) },
          'kafka source assignment',
        );
        return;
      }
      case 'rebalancing':
        log.info({ source: this.name }, 'consumer group rebalancing; committing acknowledged offsets');
        void this.commit();
        return;
      case 'crash':
        this.#crash = { error: event.error, restart: event.restart };
        this.#joined = false;
        log.error({ source: this.name, err: event.error, restart: event.restart }, 'kafka consumer crashed');
        return;
    }
  }

  /**
   * The pipeline is done with these records. Cheap and synchronous; acks for partitions this member no
   * longer owns, for unknown offsets and duplicates are ignored. Any order.
   */
  ack(records: readonly SourceRecord[]): void {
    let watermark: PartitionWatermark | undefined;
    for (const record of records) {
      if (watermark === undefined || watermark.partition !== record.partition || watermark.topic !== record.topic) {
        if (watermark !== undefined) this.#afterAcks(watermark);
        watermark = this.#tracker.get(record.topic, record.partition);
        if (watermark === undefined) continue;
      }
      watermark.ack(record.offset);
    }
    if (watermark !== undefined) this.#afterAcks(watermark);
  }

  #afterAcks(watermark: PartitionWatermark): void {
    if (watermark.window <= this.#options.maxUncommitted / 2) this.#pauses?.release(watermark.topic, watermark.partition, 'window');
  }

  /**
   * Commits acknowledged offsets now (also done every `commitIntervalMs`, on rebalance and on close).
   * Never rejects: a failed commit is logged and the next one covers it.
   */
  commit(): Promise<void> {
    return this.#committer?.commit() ?? Promise.resolve();
  }

  /** Offsets this member committed, per partition it tracks (revoked partitions are not listed). */
  committed(): TopicPartitionOffset[] {
    return this.positions().flatMap(({ topic, partition, committed }) =>
      committed === null ? [] : [{ topic, partition, offset: committed }],
    );
  }

  /** Per tracked partition: committed and acknowledged offsets, uncommitted window and lag. */
  positions(): PartitionPosition[] {
    return this.#tracker.positions();
  }

  /** True while consuming: started, in the group (not between a crash and the rejoin), not stopped by the pipeline. */
  healthy(): boolean {
    return this.#state === 'running' && this.#joined && !this.#halted;
  }

  /**
   * Stops delivering, waits up to `drainTimeoutMs` for outstanding acks, commits what is acknowledged,
   * leaves the group and disconnects. Idempotent. When `signal` aborts, stops waiting and disconnects.
   */
  close(signal: AbortSignal): Promise<void> {
    this.#closePromise ??= this.#close(signal);
    return this.#closePromise;
  }

  async #close(signal: AbortSignal): Promise<void> {
    if (this.#state === 'new' || this.#state === 'closed') {
      this.#state = 'closed';
      return;
    }
    if (this.#startPromise !== null) await abortable(this.#startPromise, signal, 'waiting for start').catch(() => {});
    if ((this.#state as State) === 'closed') return;
    this.#state = 'closing';
    this.#stopping.abort();
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#holdAll();
    const deadline = Date.now() + this.#options.drainTimeoutMs;
    while (this.#tracker.unacked() > 0 && Date.now() < deadline && !signal.aborted) await pause(10, signal);
    await abortable(this.commit(), signal, 'the final commit').catch(() => {});
    const consumer = this.#consumer as GroupConsumer;
    await abortable(consumer.disconnect(), signal, 'disconnecting').catch((error: unknown) => {
      this.#options.logger.warn({ source: this.name, err: error }, 'kafka consumer disconnect failed');
    });
    this.#offEvents?.();
    this.#state = 'closed';
    this.#options.logger.info({ source: this.name, committed: this.committed() }, 'kafka source closed');
  }
}
