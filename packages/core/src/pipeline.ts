/**
 * The pipeline: source batches → decode → route → process → sinks → acknowledge. Records of one
 * partition (a lane) are processed in order; writes of a batch overlap with processing of the next.
 * The ack rule: a record is acknowledged to its source only after every output of it is durably written
 * or it is durably in the dead-letter output. In-flight records are capped; when the cap is reached,
 * `deliver` does not resolve until room frees up, which pauses the source (backpressure).
 */
import type { Logger } from 'pino';
import type { Batcher } from './batcher.js';
import type { ConfigRouter } from './config-router.js';
import { deadLetterOf } from './dead-letter.js';
import { decodeRecord } from './decode.js';
import type { RouteRunner } from './dispatch.js';
import { EvrouteError, isEvrouteError } from './errors.js';
import type { SourceRecord } from './event.js';
import { publish } from './instrumentation.js';
import type { RouterMetrics } from './metrics.js';
import type { Parking } from './parking.js';
import type { DeadLetterRecord, SinkRecord } from './sink.js';
import type { SourceHandler, Source } from './source.js';
import { countDeadLetters, type RouterStats } from './stats.js';

/** What to do with an event no enabled route matches. */
export type UnmatchedPolicy = 'dead-letter' | 'drop';

/** Settings and parts of a pipeline. */
export interface PipelineOptions {
  readonly source: Source;
  readonly config: ConfigRouter;
  readonly run: RouteRunner;
  readonly parking: Parking;
  readonly sinks: ReadonlyMap<string, Batcher<SinkRecord>>;
  readonly deadLetter: Batcher<DeadLetterRecord>;
  readonly stats: RouterStats;
  readonly logger: Logger;
  readonly unmatched: UnmatchedPolicy;
  /** Most records accepted and not yet acknowledged (default 10 000). */
  readonly maxInFlight: number;
  readonly maxEventBytes: number;
  readonly metrics: RouterMetrics;
}

/** One partition's processing chain: batches of a lane are processed strictly in order. */
interface Lane {
  tail: Promise<void>;
}

/** Outputs and dead letters of one lane batch, grouped for the batchers. */
interface BatchWork {
  readonly records: readonly SourceRecord[];
  readonly bySink: Map<string, { items: SinkRecord[]; owners: number[] }>;
  readonly deadLetters: DeadLetterRecord[];
  /** Parked events of this batch: each settles when the event is written or dead-lettered. */
  readonly parked: Promise<void>[];
  /** Event times of the decoded events, kept only when an end-to-end latency hook is set. */
  readonly eventTimes: number[] | undefined;
}

export class Pipeline implements SourceHandler {
  readonly #o: PipelineOptions;
  readonly #lanes = new Map<string, Map<number, Lane>>();
  readonly #completions = new Set<Promise<void>>();
  #waiters: (() => void)[] = [];
  #stopped = false;

  constructor(options: PipelineOptions) {
    this.#o = options;
  }

  /** Accepts a batch; resolves when there is room for more (see the module comment). */
  async deliver(records: readonly SourceRecord[]): Promise<void> {
    if (this.#stopped) throw new EvrouteError('EVR_ERR_PIPELINE_STOPPED', 'the pipeline is stopping and takes no more records');
    if (records.length === 0) return;
    const stats = this.#o.stats;
    stats.received += records.length;
    stats.inFlight += records.length;
    // Group by lane (topic, partition) keeping order. Records usually come in runs of one partition, so
    // the lane is looked up only when the partition changes, and no key string is built per record.
    const lanes = new Map<Lane, SourceRecord[]>();
    let last: SourceRecord | undefined;
    let list: SourceRecord[] = [];
    for (const record of records) {
      if (last === undefined || record.partition !== last.partition || record.topic !== last.topic) {
        const lane = this.#lane(record.topic, record.partition);
        let existing = lanes.get(lane);
        if (!existing) lanes.set(lane, (existing = []));
        list = existing;
      }
      list.push(record);
      last = record;
    }
    for (const [lane, laneRecords] of lanes) {
      const previous = lane.tail;
      const next = previous
        .then(() => this.#process(laneRecords))
        .catch((error: unknown) => {
          // A bug in processing must not stall the lane: the batch stays unacknowledged and is redelivered.
          this.#o.logger.error({ err: error, records: laneRecords.length }, 'lane batch failed; not acknowledged');
          this.#release(laneRecords.length);
        });
      lane.tail = next;
    }
    if (stats.inFlight > this.#o.maxInFlight) {
      publish('pipeline:backpressure', { inFlight: stats.inFlight, limit: this.#o.maxInFlight });
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #lane(topic: string, partition: number): Lane {
    let partitions = this.#lanes.get(topic);
    if (!partitions) this.#lanes.set(topic, (partitions = new Map()));
    let lane = partitions.get(partition);
    if (!lane) partitions.set(partition, (lane = { tail: Promise.resolve() }));
    return lane;
  }

  /** Stops accepting records; `deliver` rejects from now on. */
  stopAccepting(): void {
    this.#stopped = true;
  }

  /** Resolves when every accepted record is acknowledged (or rejects when `signal` aborts first). */
  async drain(signal: AbortSignal): Promise<void> {
    while (this.#o.stats.inFlight > 0) {
      if (signal.aborted) throw signal.reason as Error;
      for (const batcher of this.#o.sinks.values()) batcher.flushNow();
      this.#o.deadLetter.flushNow();
      await Promise.race([
        Promise.allSettled([...[...this.#lanes.values()].flatMap((p) => [...p.values()].map((l) => l.tail)), ...this.#completions]),
        new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })),
      ]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Routes and processes one lane batch in order, then starts its completion (write, then ack). */
  async #process(records: readonly SourceRecord[]): Promise<void> {
    const { config, run, stats, parking, metrics } = this.#o;
    const work: BatchWork = { records, bySink: new Map(), deadLetters: [], parked: [], eventTimes: metrics.endToEnd ? [] : undefined };
    const timed = metrics.routeRun?.bind(metrics);
    let owner = 0;
    const emit = (sink: string, record: SinkRecord): void => {
      let group = work.bySink.get(sink);
      if (!group) work.bySink.set(sink, (group = { items: [], owners: [] }));
      group.items.push(record);
      group.owners.push(owner);
    };
    for (let i = 0; i < records.length; i++) {
      owner = i;
      const record = records[i]!;
      const decoded = decodeRecord(record, { maxBytes: this.#o.maxEventBytes });
      if (!decoded.ok) {
        work.deadLetters.push(deadLetterOf(record, decoded.error));
        continue;
      }
      const event = decoded.event;
      work.eventTimes?.push(event.timestamp);
      const table = config.table; // one table for the whole event
      const routes = table.lookup(event.domain, event.type);
      if (routes.length === 0) {
        stats.unmatched++;
        const key = `${event.domain}:${event.type}`;
        publish('event:unmatched', { key, policy: this.#o.unmatched });
        if (this.#o.unmatched === 'dead-letter') {
          const error = new EvrouteError('EVR_ERR_ROUTE_UNMATCHED', `no enabled route for ${key} in table version ${table.version}`);
          work.deadLetters.push(deadLetterOf(record, error, { eventId: event.eventId, configVersion: table.version }));
        } else stats.dropped++;
        continue;
      }
      for (const route of routes) {
        // Behind parked events of the same instance, an event waits its turn to keep per-route order.
        if (parking.isParking(route)) {
          work.parked.push(parking.park(record, event, route, table));
          continue;
        }
        const started = timed ? performance.now() : 0;
        let failure = run(event, route, table, emit);
        if (failure instanceof Promise) failure = await failure;
        if (timed) timed(route.id, route.handle?.registered.id ?? route.row.processor, (performance.now() - started) / 1000, !failure);
        const counter = stats.route(route.id);
        if (failure?.park) {
          work.parked.push(parking.park(record, event, route, table));
        } else if (failure) {
          counter.failed++;
          work.deadLetters.push(deadLetterOf(record, failure.error, failure.site));
        } else counter.processed++;
      }
    }
    const completion = this.#complete(work).finally(() => this.#completions.delete(completion));
    this.#completions.add(completion);
  }

  /** Writes a batch's outputs, dead-letters what sinks refused, then acknowledges the whole batch. */
  async #complete(work: BatchWork): Promise<void> {
    const { records } = work;
    try {
      const writes = [...work.bySink].map(async ([sinkName, group]) => {
        const batcher = this.#o.sinks.get(sinkName)!;
        const refused = await batcher.add(group.items);
        this.#o.stats.outputs += group.items.length - refused.length;
        if (refused.length === 0) return;
        const refusedItems = new Map(refused.map((r) => [r.item, r.error]));
        for (let j = 0; j < group.items.length; j++) {
          const error = refusedItems.get(group.items[j]!);
          if (error) work.deadLetters.push(deadLetterOf(records[group.owners[j]!]!, error));
        }
      });
      await Promise.all(writes);
      if (work.parked.length > 0) await Promise.all(work.parked);
      if (work.deadLetters.length > 0) {
        const refused = await this.#o.deadLetter.add(work.deadLetters);
        if (refused.length > 0) throw refused[0]!.error; // a dead-letter sink may not refuse: do not ack
        countDeadLetters(this.#o.stats, work.deadLetters);
      }
      this.#o.source.ack(records);
      this.#o.stats.acknowledged += records.length;
      if (work.eventTimes && work.eventTimes.length > 0) {
        const now = Date.now();
        this.#o.metrics.endToEnd?.(work.eventTimes.map((t) => (now - t) / 1000));
      }
    } catch (error) {
      if (!(isEvrouteError(error) && error.code === 'EVR_ERR_PIPELINE_STOPPED')) {
        this.#o.logger.error({ err: error, records: records.length }, 'batch not acknowledged: it will be redelivered');
      }
    } finally {
      this.#release(records.length);
    }
  }

  #release(count: number): void {
    const stats = this.#o.stats;
    stats.inFlight -= count;
    if (stats.inFlight <= this.#o.maxInFlight && this.#waiters.length > 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const wake of waiters) wake();
    }
  }
}
