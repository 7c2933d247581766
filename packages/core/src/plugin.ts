/**
 * The plugin contract. A plugin package default-exports the manifest returned by {@link definePlugin};
 * the router creates one {@link EventProcessor} per (plugin version, route config) through `create`.
 * Plugins never import tsyringe or touch the router: everything they may use arrives in the context.
 */
import type { Event } from './event.js';

/** A JSON Schema object (draft 2020-12 or draft-07 as ajv accepts). Kept loose on purpose. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * How a table sink merges one column of an incoming row with the stored row on a key conflict.
 * Rendered into the upsert SQL by the sink, so it holds under concurrent writers and any arrival order.
 * - `overwrite`: take the incoming value.
 * - `overwrite-if-not-null`: take the incoming value unless it is NULL.
 * - `set-once`: written when the row is created, never updated afterwards.
 * - `fill-if-null`: take the incoming value only while the stored one is NULL.
 * - `{ newestBy }`: take the incoming value when the incoming `newestBy` column is not older than the
 *   stored one (or the stored one is NULL); equal times mean the last write wins. With several columns,
 *   the greatest non-NULL of them is compared (incoming against stored; a listed column the output
 *   does not write counts as NULL): "the row of the newest event, whatever kind of time it carries".
 * - `{ sticky }`: a flag decided by comparing times in both directions, so the result does not depend
 *   on arrival order: an incoming set (truthy) is kept out only when the stored clear-time (the greatest
 *   of the stored `incoming` columns) is newer than the incoming `since`; an incoming clear wins only
 *   when its time (the greatest of the incoming `incoming` columns) is newer than the stored `since`.
 *   An absent flag is written as 0.
 */
export type MergePolicy =
  | 'overwrite'
  | 'overwrite-if-not-null'
  | 'set-once'
  | 'fill-if-null'
  | { readonly newestBy: string | readonly [string, ...string[]] }
  | { readonly sticky: { readonly since: string; readonly incoming: readonly string[] } };

/** One column of a table output. */
export interface ColumnSpec {
  /** Merge rule on key conflict; default `overwrite`. */
  readonly merge?: MergePolicy;
}

/**
 * A named output a plugin writes to. For table sinks, `key` and `columns` describe the row and its merge
 * rules; for topic sinks they are ignored. The output is bound to a sink by the router options, and a
 * route may rebind or disable it.
 */
export interface OutputSpec {
  readonly description?: string;
  /** Key columns of a table output (the primary or unique key the upsert conflicts on). */
  readonly key?: readonly string[];
  /** The columns and their merge rules, in the order they are written. */
  readonly columns?: Readonly<Record<string, ColumnSpec>>;
}

/** One record a processor emits, addressed to one of its named outputs. */
export interface Output {
  /** The output name, one of the plugin's `outputs` keys. */
  readonly to: string;
  /** The row (table outputs) or message body (topic outputs). */
  readonly value: Readonly<Record<string, unknown>>;
  /** Message key for topic outputs; defaults to the input event's key. */
  readonly key?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Counters and timings a plugin may record; the names are prefixed with the plugin name. */
export interface PluginMetrics {
  increment(name: string, by?: number, labels?: Readonly<Record<string, string>>): void;
  observe(name: string, value: number, labels?: Readonly<Record<string, string>>): void;
}

/** The logger handed to plugins: a pino child logger bound to the plugin and route. */
export interface PluginLogger {
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  isLevelEnabled(level: string): boolean;
}

/** Services the host registered (dimension lookups and the like), resolved from the plugin's own scope. */
export interface ServiceLookup {
  /** The service registered under `name`, or `undefined`. */
  get<T = unknown>(name: string): T | undefined;
  has(name: string): boolean;
}

/** What `create` receives besides the validated config. */
export interface CreateContext {
  readonly logger: PluginLogger;
  readonly metrics: PluginMetrics;
  readonly services: ServiceLookup;
  /** Aborted when the instance is closed: after it was retired and its in-flight and parked events are done, or when the router stops. */
  readonly signal: AbortSignal;
  /** The route this instance serves. */
  readonly route: { readonly id: string; readonly domain: string; readonly eventType: string };
}

/** What `process` receives with each event. */
export interface ProcessContext<Config = unknown> extends CreateContext {
  /** The validated route config (config_json with schema defaults applied). */
  readonly config: Config;
  /** The routing table version this event is routed under. */
  readonly configVersion: number;
}

/**
 * What a processor returns for one event: its outputs (zero or more). Throwing a coded error with
 * `retriable: false` (e.g. `new EvrouteError('EVR_ERR_PROCESSOR_REJECTED', reason)`) sends the event to the dead-letter output without retries.
 */
export type ProcessResult = readonly Output[] | Promise<readonly Output[]>;

/** A live processor instance, made by a plugin's `create` for one route config. */
export interface EventProcessor<Config = unknown> {
  process(event: Event, ctx: ProcessContext<Config>): ProcessResult;
  /** Called once when the instance is retired, after its in-flight events are done. */
  close?(): void | Promise<void>;
}

/** What a plugin declares about itself. `definePlugin` checks and freezes it. */
export interface PluginManifest<Config = unknown> {
  /** Package-like name, e.g. `wrongbook-add`. Routes refer to it by this name. */
  readonly name: string;
  /** Semver version of the plugin. */
  readonly version: string;
  /** The semver range of `@evroute/core` the plugin works with, e.g. `^0.1.0`. */
  readonly core: string;
  /** Other names routes may use, e.g. the original Java class name. */
  readonly aliases?: readonly string[];
  /** JSON Schema of the route config (`config_json`); defaults in it are applied. */
  readonly configSchema?: JsonSchema;
  /** JSON Schema of the event payload; a failing event goes to the dead-letter output. */
  readonly payloadSchema?: JsonSchema;
  /** The named outputs this plugin writes to. */
  readonly outputs?: Readonly<Record<string, OutputSpec>>;
  /** Makes a processor for one route config. May be async; time-boxed by the router. */
  create(config: Config, ctx: CreateContext): EventProcessor<Config> | Promise<EventProcessor<Config>>;
}

/** A manifest after `definePlugin`: frozen and marked so loaders can recognise it. */
export type Plugin<Config = unknown> = PluginManifest<Config> & { readonly kind: 'evroute-plugin' };

/**
 * Declares a plugin. Default-export the result from the plugin's entry module. Pure: it freezes the
 * manifest and registers nothing; the router or the plugin loader checks it (schema, semver, core range)
 * when it registers it.
 */
export function definePlugin<Config = unknown>(manifest: PluginManifest<Config>): Plugin<Config> {
  return Object.freeze({ ...manifest, kind: 'evroute-plugin' as const });
}
