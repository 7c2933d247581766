/** The public face of a running router, as `createRouter` returns it. */
import type { Logger } from 'pino';
import type { SourceRecord } from './event.js';
import type { Explanation } from './explain.js';
import type { BreakerView } from './guard.js';
import type { PluginRegistry } from './plugin-registry.js';
import type { RoutingTable } from './routing-table.js';
import type { StatsSnapshot } from './stats.js';

/** A running router: made by `createRouter`, started with `start()`. */
export interface Router {
  /** Starts sinks, loads the first routing table, then starts the source. Rejects when any of it fails. */
  start(): Promise<void>;
  /**
   * Stops taking events, drains (every accepted event written and acknowledged), then closes the source,
   * config source, sinks and processors. Whatever is not drained by the deadline is not acknowledged and
   * will be redelivered. Idempotent.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** The plugins this router can use; a plugin loader registers into it. */
  readonly registry: PluginRegistry;
  /** The live routing table. */
  table(): RoutingTable;
  /** Counters. */
  stats(): StatsSnapshot;
  /** The circuit breakers of the live processor instances and their states. */
  breakers(): BreakerView[];
  /** Holds a route's events, in order, until `resumeRoute` (operators' pause). Unknown ids are accepted. */
  pauseRoute(routeId: string): void;
  resumeRoute(routeId: string): void;
  /** Route ids paused now. */
  pausedRoutes(): string[];
  /**
   * What the router would do with this event under the live table, and why. With `dryRun`, each route
   * that would run is called and its outputs are reported (processors run; nothing is written).
   */
  explain(value: SourceRecord['value'], options?: { dryRun?: boolean }): Promise<Explanation>;
  /**
   * Resolves when a finite source is exhausted and every event is acknowledged; never resolves for an
   * unbounded source.
   */
  finished(): Promise<void>;
  /** Asks the config source to read now (when it supports it). */
  reloadConfig(): Promise<void>;
  readonly logger: Logger;
}

