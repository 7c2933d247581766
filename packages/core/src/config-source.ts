/**
 * The routing-config contract: a config source emits whole, versioned snapshots of the routing table;
 * the router validates each one and applies it atomically between events.
 */

/** Where a route's named output goes: a sink by name and a table or topic in it. */
export interface OutputBinding {
  readonly sink: string;
  /** Table or topic; defaults to the output name. */
  readonly target?: string;
}

/**
 * One routing row: the seed's `routing_configs` columns plus our optional extras. `processor` is a
 * plugin name, an alias (such as the original Java class name), or `name@semver-range`.
 */
export interface RouteRow {
  /** Route identity, unique in a snapshot (the table's `id`). */
  readonly id: string;
  readonly domain: string;
  readonly eventType: string;
  readonly processor: string;
  readonly enabled: boolean;
  /** Higher runs first; see docs/architecture.md "Priority and fan-out". */
  readonly priority: number;
  /** `config_json`: an object, a JSON string (parsed by the router), or null/undefined for `{}`. */
  readonly config?: unknown;
  /** Per-route output rebinding; `null` disables an output for this route. */
  readonly outputs?: Readonly<Record<string, OutputBinding | null>>;
  /** Also run this route when a higher-priority route matches the same `domain:type`. */
  readonly fanout?: boolean;
}

/** A whole routing table as a source sees it. */
export interface ConfigSnapshot {
  /** Increases with every change the source observes; an older one is ignored by the router. */
  readonly version: number;
  readonly routes: readonly RouteRow[];
  /** Rows the source itself could not read (e.g. unparsable columns), reported by the router. */
  readonly invalid?: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}

/** The router side of a running config source. */
export interface ConfigSourceHandler {
  /** A new snapshot. The router validates and applies it; the source need not wait. */
  snapshot(snapshot: ConfigSnapshot): void;
  /** The source failed to read; the router keeps the last good table and records the error. */
  error(error: unknown): void;
}

/** A source of routing tables: memory, a JSON file, a MySQL table, a Kafka topic. */
export interface ConfigSource {
  readonly name: string;
  /**
   * Begins emitting. Must emit the first snapshot before resolving, so that a router starts with its
   * table; rejects with a coded error when that first read fails.
   */
  start(handler: ConfigSourceHandler, signal: AbortSignal): Promise<void>;
  /** Reads again now (the admin "reload" action). Optional. */
  refresh?(): Promise<void>;
  close(signal: AbortSignal): Promise<void>;
  healthy?(): boolean;
}
