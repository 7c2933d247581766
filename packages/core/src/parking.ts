/**
 * The `park` fallback: events of a route whose processor keeps failing are held in order, per processor
 * instance, and retried when its breaker lets calls through again, without holding other routes. A
 * parked event's batch is acknowledged only once the parked event is written (or dead-lettered for a
 * non-retriable reason), so offsets are committed only up to what is done. Parked events count as in
 * flight, so a long outage ends in backpressure, not in unbounded memory.
 */
import type { Logger } from 'pino';
import { backoffDelay, sleep } from './backoff.js';
import type { Batcher } from './batcher.js';
import { deadLetterOf } from './dead-letter.js';
import type { Emit } from './dispatch.js';
import type { Event, SourceRecord } from './event.js';
import type { Guard } from './guard.js';
import { publish } from './instrumentation.js';
import type { ProcessorFactory } from './processor-factory.js';
import type { CompiledRoute, RoutingTable } from './routing-table.js';
import type { DeadLetterRecord, SinkRecord } from './sink.js';
import { countDeadLetters, type RouterStats } from './stats.js';

interface Parked {
  readonly record: SourceRecord;
  readonly event: Event;
  readonly route: CompiledRoute;
  readonly table: RoutingTable;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** What parking needs from the router. */
export interface ParkingOptions {
  readonly guard: Guard;
  readonly factory: ProcessorFactory;
  readonly sinks: ReadonlyMap<string, Batcher<SinkRecord>>;
  readonly deadLetter: Batcher<DeadLetterRecord>;
  readonly stats: RouterStats;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

export class Parking {
  readonly #o: ParkingOptions;
  readonly #queues = new Map<string, Parked[]>();

  constructor(options: ParkingOptions) {
    this.#o = options;
  }

  /** Events parked now, over all routes. */
  get size(): number {
    let n = 0;
    for (const q of this.#queues.values()) n += q.length;
    return n;
  }

  /** True while this route's instance has parked events: later events must queue behind them. */
  isParking(route: CompiledRoute): boolean {
    return (this.#queues.get(route.handle?.key ?? '')?.length ?? 0) > 0;
  }

  /** Parks an event; resolves once it is written or dead-lettered, rejects when the router stops. */
  park(record: SourceRecord, event: Event, route: CompiledRoute, table: RoutingTable): Promise<void> {
    const key = route.handle!.key;
    let queue = this.#queues.get(key);
    const start = !queue || queue.length === 0;
    if (!queue) this.#queues.set(key, (queue = []));
    this.#o.factory.pin(route.handle!); // keep the instance open while its events wait
    const done = new Promise<void>((resolve, reject) => queue.push({ record, event, route, table, resolve, reject }));
    publish('event:parked', { route: route.id, parked: queue.length });
    if (start) void this.#drain(key, queue);
    return done;
  }

  async #drain(key: string, queue: Parked[]): Promise<void> {
    const { guard, signal } = this.#o;
    let waits = 0;
    while (queue.length > 0) {
      const item = queue[0]!;
      try {
        if (guard.isPaused(item.route.id)) {
          await sleep(25, signal);
          continue;
        }
        const breaker = guard.breakerOf(item.route);
        if (breaker && !breaker.allows()) {
          await sleep(Math.max(20, breaker.remainingOpenMs), signal);
          continue;
        }
        const emitted: [string, SinkRecord][] = [];
        const emit: Emit = (sink, r) => void emitted.push([sink, r]);
        let failure = guard.run(item.event, item.route, item.table, emit);
        if (failure instanceof Promise) failure = await failure;
        if (failure?.park) {
          if (!breaker) await sleep(backoffDelay(waits++, item.route.isolation.backoff), signal);
          continue;
        }
        waits = 0;
        const dead: DeadLetterRecord[] = failure ? [deadLetterOf(item.record, failure.error, failure.site)] : [];
        let refusedBySinks = 0;
        for (const [sink, records] of groupBySink(emitted)) {
          for (const refused of await this.#o.sinks.get(sink)!.add(records)) {
            dead.push(deadLetterOf(item.record, refused.error));
            refusedBySinks++;
          }
        }
        if (dead.length > 0) {
          const refused = await this.#o.deadLetter.add(dead);
          if (refused.length > 0) throw refused[0]!.error;
          countDeadLetters(this.#o.stats, dead);
        }
        const counter = this.#o.stats.route(item.route.id);
        if (failure) counter.failed++;
        else counter.processed++;
        this.#o.stats.outputs += emitted.length - refusedBySinks;
        queue.shift();
        this.#o.factory.unpin(item.route.handle!);
        item.resolve();
      } catch (error) {
        // Stopped (or a dead-letter sink refused): everything parked stays unacknowledged for redelivery.
        for (const rest of queue.splice(0)) {
          this.#o.factory.unpin(rest.route.handle!);
          rest.reject(error);
        }
        if (!signal.aborted) this.#o.logger.error({ err: error, instance: key }, 'parked events not written; they will be redelivered');
      }
    }
    this.#queues.delete(key);
  }
}

function groupBySink(emitted: readonly [string, SinkRecord][]): Map<string, SinkRecord[]> {
  const groups = new Map<string, SinkRecord[]>();
  for (const [sink, r] of emitted) {
    const list = groups.get(sink);
    if (list) list.push(r);
    else groups.set(sink, [r]);
  }
  return groups;
}
