/** The options of `createRouter`, with their defaults. docs/configuration.md documents each. */
import type { Logger } from 'pino';
import type { ConfigPolicy } from './config-router.js';
import type { ConfigSource, OutputBinding } from './config-source.js';
import type { FaultIsolationOptions } from './isolation-settings.js';
import type { UnmatchedPolicy } from './pipeline.js';
import type { ServiceOptions } from './service-scope.js';
import type { DeadLetterSink, Sink } from './sink.js';
import type { Source } from './source.js';
import type { PluginMetrics } from './plugin.js';
import type { RouterMetrics } from './metrics.js';

/** Everything a router is made of. Only `source` and `config` are required. */
export interface RouterOptions {
  /** Where events come from. */
  readonly source: Source;
  /** Where the routing table comes from. */
  readonly config: ConfigSource;
  /** Plugins available from the start (manifests made by `definePlugin`). More can be loaded later. */
  readonly plugins?: readonly unknown[];
  /** Sinks by name; outputs are bound to them. */
  readonly sinks?: Readonly<Record<string, Sink>>;
  /** Default binding of each output name to a sink (and table or topic). */
  readonly outputs?: Readonly<Record<string, OutputBinding>>;
  /** The dead-letter output. Default: log each record at error level (not durable; warned about at start). */
  readonly deadLetter?: DeadLetterSink;
  /** Services plugins may look up through `ctx.services`. */
  readonly services?: ServiceOptions;
  /** A pino logger; default: pino at `info` on stderr. */
  readonly logger?: Logger;
  /** Plugin metrics hook; default: no-op. */
  readonly metrics?: (plugin: string) => PluginMetrics;
  /** Timing hooks for a metrics backend (e.g. `@evroute/admin`); counters come from `stats()`. */
  readonly routerMetrics?: RouterMetrics;
  /** What happens to an event no enabled route matches (default `dead-letter`). */
  readonly unmatched?: UnmatchedPolicy;
  /** How a config snapshot with bad rows is applied (default `per-route`). */
  readonly configPolicy?: ConfigPolicy;
  /** Sink batching: records per write (default 500) and linger ms (default 20). */
  readonly batch?: { readonly size?: number; readonly lingerMs?: number };
  /** Per-sink batch sizes, overriding `batch.size` (e.g. the MySQL sink's measured best size). */
  readonly batchSizes?: Readonly<Record<string, number>>;
  /** Records accepted and not yet acknowledged before the source is paused (default 10 000). */
  readonly maxInFlight?: number;
  /** Largest event value in bytes (default 1 MiB); larger ones go to the dead-letter output. */
  readonly maxEventBytes?: number;
  /** How long a plugin's `create` may take, ms (default 10 000). */
  readonly createTimeoutMs?: number;
  /** Timeouts, retries, circuit breakers, fallback and bulkheads; see docs/reference/fault-isolation.md. */
  readonly faultIsolation?: FaultIsolationOptions;
  /** How long `stop` may drain before it gives up and leaves the rest for redelivery, ms (default 30 000). */
  readonly stopTimeoutMs?: number;
}

/** Defaults of the numeric options. */
export const routerDefaults = {
  batchSize: 500,
  lingerMs: 20,
  maxInFlight: 10_000,
  maxEventBytes: 1024 * 1024,
  createTimeoutMs: 10_000,
  stopTimeoutMs: 30_000,
} as const;
