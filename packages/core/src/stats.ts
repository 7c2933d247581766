/**
 * In-process counters of a router: what came in, what went where, what was refused. Cheap to update on
 * the hot path (plain integer fields and small maps); read by `router.stats()`, metrics and health.
 */
import { publish } from './instrumentation.js';
import type { DeadLetterRecord } from './sink.js';

/** A point-in-time copy of the counters. */
export interface StatsSnapshot {
  readonly received: number;
  readonly acknowledged: number;
  readonly processed: number;
  readonly outputs: number;
  readonly outputsDiscarded: number;
  readonly unmatched: number;
  readonly dropped: number;
  readonly deadLettered: number;
  readonly deadLetteredByCode: Readonly<Record<string, number>>;
  readonly processedByRoute: Readonly<Record<string, number>>;
  readonly failedByRoute: Readonly<Record<string, number>>;
  readonly configApplied: number;
  readonly configRefused: number;
  readonly configSourceErrors: number;
  readonly inFlight: number;
  /** Events held by the `park` fallback. */
  readonly parked?: number;
}

/** The mutable counters behind {@link StatsSnapshot}. */
export class RouterStats {
  received = 0;
  acknowledged = 0;
  processed = 0;
  outputs = 0;
  outputsDiscarded = 0;
  unmatched = 0;
  dropped = 0;
  deadLettered = 0;
  configApplied = 0;
  configRefused = 0;
  configSourceErrors = 0;
  inFlight = 0;
  readonly deadLetteredByCode = new Map<string, number>();
  readonly #routes = new Map<string, { processed: number; failed: number }>();

  /** The counters of one route id, created on first use; increment its fields directly. */
  route(id: string): { processed: number; failed: number } {
    let counter = this.#routes.get(id);
    if (!counter) this.#routes.set(id, (counter = { processed: 0, failed: 0 }));
    return counter;
  }

  static bump(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }

  snapshot(): StatsSnapshot {
    return {
      received: this.received,
      acknowledged: this.acknowledged,
      processed: this.processed,
      outputs: this.outputs,
      outputsDiscarded: this.outputsDiscarded,
      unmatched: this.unmatched,
      dropped: this.dropped,
      deadLettered: this.deadLettered,
      deadLetteredByCode: Object.fromEntries(this.deadLetteredByCode),
      processedByRoute: Object.fromEntries([...this.#routes].map(([id, c]) => [id, c.processed])),
      failedByRoute: Object.fromEntries([...this.#routes].map(([id, c]) => [id, c.failed])),
      configApplied: this.configApplied,
      configRefused: this.configRefused,
      configSourceErrors: this.configSourceErrors,
      inFlight: this.inFlight,
    };
  }
}

/** Counts dead letters that were just stored, and publishes one `event:dead-letter` each. */
export function countDeadLetters(stats: RouterStats, deadLetters: readonly DeadLetterRecord[]): void {
  stats.deadLettered += deadLetters.length;
  for (const d of deadLetters) {
    RouterStats.bump(stats.deadLetteredByCode, d.code);
    publish('event:dead-letter', {
      code: d.code,
      topic: d.topic,
      partition: d.partition,
      offset: d.offset,
      ...(d.route === undefined ? {} : { route: d.route }),
    });
  }
}
