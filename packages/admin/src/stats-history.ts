/**
 * Throughput over the last minutes for the status page chart (`GET /stats/history`): a ring buffer of
 * rates computed from `router.stats()` deltas, sampled on a timer. Fixed memory: `capacity` samples.
 */
import type { Router, StatsSnapshot } from '@evroute/core';
import type { HistorySample, HistoryView, Rates } from './api-types.js';

/** Settings of the stats history (the ring buffer behind `/stats/history`). */
export interface StatsHistoryOptions {
  /** Sample every this many ms (default 2 000). */
  readonly intervalMs?: number;
  /** Samples kept (default 150: five minutes at 2 s). */
  readonly capacity?: number;
}

interface Totals {
  readonly t: number;
  readonly received: number;
  readonly processed: number;
  readonly failed: number;
  readonly deadLettered: number;
}

const sum = (counts: Readonly<Record<string, number>>): number => {
  let total = 0;
  for (const key in counts) total += counts[key]!;
  return total;
};

/** Route-level totals of a snapshot: processed and failed summed over routes. */
export function totalsOf(stats: StatsSnapshot, t: number): Totals {
  return { t, received: stats.received, processed: sum(stats.processedByRoute), failed: sum(stats.failedByRoute), deadLettered: stats.deadLettered };
}

const ZERO: Rates = { inPerSecond: 0, processedPerSecond: 0, failedPerSecond: 0, deadLetteredPerSecond: 0 };

/** The ring buffer and its timer. */
export class StatsHistory {
  readonly #router: Router;
  readonly #intervalMs: number;
  readonly #capacity: number;
  readonly #samples: HistorySample[] = [];
  #last: Totals | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(router: Router, { intervalMs = 2_000, capacity = 150 }: StatsHistoryOptions = {}) {
    this.#router = router;
    this.#intervalMs = intervalMs;
    this.#capacity = capacity;
  }

  /** Takes the first sample and starts the timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.#timer) return;
    this.sample();
    this.#timer = setInterval(() => this.sample(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Takes one sample now (the timer calls it; tests may too). */
  sample(now = Date.now()): void {
    const totals = totalsOf(this.#router.stats(), now);
    const last = this.#last;
    this.#last = totals;
    if (!last) return;
    const seconds = Math.max((now - last.t) / 1000, 0.001);
    const rate = (a: number, b: number): number => Math.max(0, (a - b) / seconds);
    this.#samples.push({
      t: now,
      inPerSecond: rate(totals.received, last.received),
      processedPerSecond: rate(totals.processed, last.processed),
      failedPerSecond: rate(totals.failed, last.failed),
      deadLetteredPerSecond: rate(totals.deadLettered, last.deadLettered),
    });
    if (this.#samples.length > this.#capacity) this.#samples.shift();
  }

  /** Rates over the latest interval (zeros before the second sample). */
  latest(): Rates {
    const s = this.#samples.at(-1);
    return s ? { inPerSecond: s.inPerSecond, processedPerSecond: s.processedPerSecond, failedPerSecond: s.failedPerSecond, deadLetteredPerSecond: s.deadLetteredPerSecond } : ZERO;
  }

  view(): HistoryView {
    return { intervalSeconds: this.#intervalMs / 1000, samples: [...this.#samples] };
  }
}
