/**
 * The broadcast-config router: turns config snapshots into routing tables. Each snapshot is validated
 * row by row (processor known, config_json valid against the plugin's schema, instance created) and
 * then swapped in whole, so every event is routed under exactly one table version. Versions only grow.
 * A refused row keeps its previous version serving (policy `per-route`, the default), or the whole
 * snapshot is refused (policy `all-or-nothing`). See docs/architecture.md "Config versioning".
 */
import type { Logger } from 'pino';
import { isEvrouteError, type ErrorCode } from './errors.js';
import { routingKey } from './event.js';
import type { ConfigSnapshot, OutputBinding, RouteRow } from './config-source.js';
import type { OutputSpec } from './plugin.js';
import { publish } from './instrumentation.js';
import { describeErrors } from './json-schema.js';
import { splitIsolation, type FaultIsolationOptions, type IsolationSettings } from './isolation-settings.js';
import type { PluginRegistry } from './plugin-registry.js';
import type { ProcessorFactory } from './processor-factory.js';
import type { RouterStats } from './stats.js';
import { RoutingTable, resolveOutputs, type CompiledRoute, type RouteRefusal } from './routing-table.js';

/** How a snapshot with bad rows is applied. */
export type ConfigPolicy = 'per-route' | 'all-or-nothing';

/** Dependencies and settings of the config router. */
export interface ConfigRouterOptions {
  readonly registry: PluginRegistry;
  readonly factory: ProcessorFactory;
  readonly logger: Logger;
  /** Sink names that exist; a route binding to another sink is refused. */
  readonly sinks: ReadonlySet<string>;
  /** Checks that a sink can write a target with a spec (the sink's `checkTarget`); throws a coded error. */
  readonly checkTarget?: (sink: string, target: string, spec: OutputSpec) => void;
  /** Default output bindings by output name. */
  readonly outputs: Readonly<Record<string, OutputBinding>>;
  readonly policy?: ConfigPolicy;
  /** Router-wide fault-isolation defaults; routes override them with reserved config_json keys. */
  readonly faultIsolation?: FaultIsolationOptions;
  /** Counts applied tables and refused rows. */
  readonly stats?: RouterStats;
  /** Called after each new table went live (e.g. to forget state of retired instances). */
  readonly onApplied?: (table: RoutingTable) => void;
}

/** A row's id for messages, whatever shape the row has. */
function idOf(row: unknown): string {
  const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '?';
}

class Refused extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

export class ConfigRouter {
  #table = new RoutingTable(0, []);
  #rows: readonly RouteRow[] = [];
  #sourceVersion = -Infinity;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #options: ConfigRouterOptions;

  constructor(options: ConfigRouterOptions) {
    this.#options = options;
  }

  /** The live table. Read it once per event and use that one object for the whole event. */
  get table(): RoutingTable {
    return this.#table;
  }

  /**
   * Validates and applies a snapshot (serialised with other applications). Resolves with the table that
   * is live afterwards, which is the old one when the snapshot was stale or refused as a whole.
   */
  submit(snapshot: ConfigSnapshot): Promise<RoutingTable> {
    return this.#enqueue(async () => {
      if (snapshot.version <= this.#sourceVersion) {
        this.#options.logger.warn({ version: snapshot.version, live: this.#sourceVersion }, 'stale config snapshot ignored');
        publish('config:stale', { version: snapshot.version, live: this.#sourceVersion });
        return this.#table;
      }
      this.#sourceVersion = snapshot.version;
      return this.#apply(snapshot.routes, snapshot.invalid ?? [], snapshot.version);
    });
  }

  /** Rebuilds the table from the last rows, e.g. after a plugin was loaded or removed. */
  recompile(): Promise<RoutingTable> {
    return this.#enqueue(() => this.#apply(this.#rows, [], this.#table.sourceVersion));
  }

  #enqueue(task: () => Promise<RoutingTable>): Promise<RoutingTable> {
    const next = this.#queue.then(task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #apply(rows: readonly RouteRow[], invalid: ConfigSnapshot['invalid'] & object, sourceVersion: number): Promise<RoutingTable> {
    const previous = this.#table;
    const previousById = new Map(previous.routes.map((r) => [r.id, r]));
    const routes: CompiledRoute[] = [];
    const refused: RouteRefusal[] = [];
    const seen = new Set<string>();
    const registered = new Set(this.#options.registry.list());
    const refuse = (id: string, code: ErrorCode, message: string): void => {
      const old = previousById.get(id);
      // The old version keeps serving only while its plugin is still loaded (a removed plugin stops it).
      const keep = old !== undefined && (!old.handle || registered.has(old.handle.registered));
      if (keep) routes.push(old);
      refused.push({ id, code, message, keptPrevious: keep });
    };
    for (const bad of invalid) {
      seen.add(bad.id);
      refuse(bad.id, 'EVR_ERR_CONFIG_INVALID_ROW', bad.reason);
    }
    for (const row of rows) {
      const id = idOf(row);
      if (seen.has(id)) {
        refused.push({ id, code: 'EVR_ERR_CONFIG_DUPLICATE_ROUTE', message: `route id ${id} appears twice`, keptPrevious: false });
        continue;
      }
      seen.add(id);
      try {
        routes.push(await this.#compile(row, previousById.get(id)));
      } catch (error) {
        if (error instanceof Refused || isEvrouteError(error)) refuse(id, error.code, error.message);
        else throw error;
      }
    }
    if (refused.length > 0 && this.#options.policy === 'all-or-nothing') {
      this.#log(refused, previous.version);
      // Instances made for this attempt and not used by the live table are closed again.
      this.#options.factory.retainOnly(previous.instanceKeys());
      return previous;
    }
    const table = new RoutingTable(previous.version + 1, routes, refused, sourceVersion);
    this.#rows = rows;
    this.#table = table;
    this.#options.factory.retainOnly(table.instanceKeys());
    this.#log(refused, table.version);
    if (this.#options.stats) this.#options.stats.configApplied = table.version;
    this.#options.onApplied?.(table);
    this.#options.logger.info({ version: table.version, sourceVersion, routes: routes.length, refused: refused.length }, 'routing table applied');
    publish('config:applied', { version: table.version, sourceVersion, routes: routes.length, refused });
    return table;
  }

  #log(refused: readonly RouteRefusal[], version: number): void {
    if (this.#options.stats) this.#options.stats.configRefused += refused.length;
    for (const r of refused) {
      this.#options.logger.error({ route: r.id, code: r.code, keptPrevious: r.keptPrevious, version }, `routing config row refused: ${r.message}`);
      publish('config:refused', { ...r, version });
    }
  }

  async #compile(row: RouteRow, previous: CompiledRoute | undefined): Promise<CompiledRoute> {
    const bad = (why: string): never => {
      throw new Refused('EVR_ERR_CONFIG_INVALID_ROW', `route ${idOf(row)}: ${why}`);
    };
    if (typeof row !== 'object' || row === null) bad('not an object');
    for (const field of ['id', 'domain', 'eventType', 'processor'] as const) {
      if (typeof row[field] !== 'string' || row[field].length === 0) bad(`${field} must be a non-empty string`);
    }
    if (typeof row.priority !== 'number' || !Number.isFinite(row.priority)) bad('priority must be a number');
    const base = {
      id: row.id,
      domain: row.domain,
      eventType: row.eventType,
      key: routingKey(row.domain, row.eventType),
      priority: row.priority,
      // Rows come from outside: only a real `true` enables (sources map 0/1 columns to booleans).
      enabled: (row.enabled as unknown) === true,
      fanout: (row.fanout as unknown) === true,
      row,
    };
    const registered = this.#options.registry.resolve(row.processor);
    if (!registered) {
      throw new Refused('EVR_ERR_CONFIG_UNKNOWN_PROCESSOR', `route ${row.id}: processor '${row.processor}' is not loaded`);
    }
    if (!base.enabled) {
      // A disabled route does not run: its config is not validated, so disabling always succeeds.
      return { ...base, handle: undefined, outputs: new Map(), isolation: splitIsolation({}, this.#options.faultIsolation).settings };
    }
    let config: unknown = row.config ?? {};
    if (typeof config === 'string') {
      try {
        config = config.trim() === '' ? {} : (JSON.parse(config) as unknown);
      } catch (error) {
        bad(`config_json is not valid JSON (${(error as Error).message})`);
      }
    }
    const fullConfig = config;
    let settings: IsolationSettings;
    try {
      ({ pluginConfig: config, settings } = splitIsolation(config, this.#options.faultIsolation));
    } catch (error) {
      return bad((error as Error).message);
    }
    config = structuredClone(config); // ajv fills defaults in place
    if (registered.validateConfig && !registered.validateConfig(config)) {
      throw new Refused('EVR_ERR_CONFIG_SCHEMA', `route ${row.id}: config_json for ${registered.id}: ${describeErrors(registered.validateConfig.errors)}`);
    }
    const outputs = resolveOutputs(registered.plugin.outputs ?? {}, this.#options.outputs, row.outputs);
    for (const [name, binding] of outputs) {
      if (binding && !this.#options.sinks.has(binding.sink)) {
        throw new Refused('EVR_ERR_CONFIG_INVALID_ROW', `route ${row.id}: output '${name}' is bound to sink '${binding.sink}', which does not exist`);
      }
      if (binding && this.#options.checkTarget) {
        try {
          this.#options.checkTarget(binding.sink, binding.target, binding.spec);
        } catch (error) {
          const code = isEvrouteError(error) ? error.code : 'EVR_ERR_CONFIG_INVALID_ROW';
          throw new Refused(code, `route ${row.id}: output '${name}' → sink '${binding.sink}' target '${binding.target}': ${(error as Error).message}`);
        }
      }
      if (!binding && row.outputs?.[name] !== null && base.enabled) {
        this.#options.logger.warn({ route: row.id, output: name }, `output '${name}' has no sink binding: its records are discarded (bind it in the router's outputs, or set it to null on the route to silence this)`);
      }
    }
    // The instance key covers the whole config_json, reserved keys included, so that changing e.g.
    // circuit_breaker gives a new instance and with it a fresh breaker with the new thresholds.
    const handle = await this.#options.factory.obtain(registered, base, config, fullConfig);
    if (previous?.handle && previous.handle !== handle && previous.handle.key !== handle.key) {
      this.#options.logger.info({ route: row.id, from: previous.handle.registered.id, to: registered.id }, 'route instance replaced');
    }
    return { ...base, handle, outputs, isolation: settings };
  }
}

