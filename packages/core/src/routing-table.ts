/**
 * A compiled, immutable routing table: one version of the routing config, with every enabled route
 * bound to a live processor instance and its outputs resolved to sinks. Lookup by `domain:type` is one
 * Map read; the routes to run for a key are computed here, once, not per event.
 */
import type { ErrorCode } from './errors.js';
import type { OutputBinding, RouteRow } from './config-source.js';
import type { OutputSpec } from './plugin.js';
import type { IsolationSettings } from './isolation-settings.js';
import type { ProcessorHandle } from './processor-factory.js';

/** An output of a route, bound to a sink. */
export interface ResolvedOutput {
  readonly name: string;
  readonly sink: string;
  readonly target: string;
  readonly spec: OutputSpec;
}

/** One route of a table. Disabled routes are listed but have no instance. */
export interface CompiledRoute {
  readonly id: string;
  readonly domain: string;
  readonly eventType: string;
  /** `domain:type`. */
  readonly key: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly fanout: boolean;
  /** The row as the config source gave it. */
  readonly row: RouteRow;
  /** The live instance; undefined for a disabled route. */
  readonly handle: ProcessorHandle | undefined;
  /** Output name → where it goes; `null` means disabled for this route. Undeclared names are absent. */
  readonly outputs: ReadonlyMap<string, ResolvedOutput | null>;
  /** Timeout, retries, breaker, fallback and bulkhead of this route. */
  readonly isolation: IsolationSettings;
}

/** A row the router refused, with why and whether an older version of it keeps serving. */
export interface RouteRefusal {
  readonly id: string;
  readonly code: ErrorCode;
  readonly message: string;
  /** True when the previous version of this route keeps serving. */
  readonly keptPrevious: boolean;
}

/** Priority order: higher first, then id (numeric ids compare as numbers). */
export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  return b.priority - a.priority || a.id.localeCompare(b.id, 'en', { numeric: true });
}

const NONE: readonly CompiledRoute[] = Object.freeze([]);

/** One immutable version of the routing table. */
export class RoutingTable {
  // domain → type → routes: two Map reads and no string building per event (measured: the
  // `${domain}:${type}` key cost ~3% of dispatch time).
  readonly #byDomain = new Map<string, Map<string, readonly CompiledRoute[]>>();

  /**
   * @param version   the router's own table version: starts at 0 (empty) and only ever increases
   * @param routes    every route, enabled or not
   * @param refused   rows refused when this version was built
   * @param sourceVersion the config source's snapshot version this table was built from
   */
  constructor(
    readonly version: number,
    readonly routes: readonly CompiledRoute[],
    readonly refused: readonly RouteRefusal[] = [],
    readonly sourceVersion = -1,
  ) {
    const groups = new Map<string, CompiledRoute[]>();
    for (const route of routes) {
      if (!route.enabled || !route.handle) continue;
      const group = groups.get(route.key) ?? [];
      group.push(route);
      groups.set(route.key, group);
    }
    for (const group of groups.values()) {
      group.sort(compareRoutes);
      // The highest-priority route always runs; the others only when they opted into fan-out.
      const [first, ...rest] = group as [CompiledRoute, ...CompiledRoute[]];
      let types = this.#byDomain.get(first.domain);
      if (!types) this.#byDomain.set(first.domain, (types = new Map()));
      types.set(first.eventType, Object.freeze([first, ...rest.filter((r) => r.fanout)]));
    }
  }

  /** The routes to run for an event, in priority order; empty when none matches. */
  lookup(domain: string, type: string): readonly CompiledRoute[] {
    return this.#byDomain.get(domain)?.get(type) ?? NONE;
  }

  /** The instance keys this table uses, for retiring the ones it no longer does. */
  instanceKeys(): Set<string> {
    const keys = new Set<string>();
    for (const route of this.routes) if (route.handle) keys.add(route.handle.key);
    return keys;
  }
}

/** Binds a route's outputs: plugin declarations, then router defaults, then the route's overrides. */
export function resolveOutputs(
  declared: Readonly<Record<string, OutputSpec>>,
  defaults: Readonly<Record<string, OutputBinding>>,
  overrides: Readonly<Record<string, OutputBinding | null>> | undefined,
): Map<string, ResolvedOutput | null> {
  const resolved = new Map<string, ResolvedOutput | null>();
  for (const [name, spec] of Object.entries(declared)) {
    const binding = overrides && name in overrides ? overrides[name] : defaults[name];
    resolved.set(name, binding ? { name, sink: binding.sink, target: binding.target ?? name, spec } : null);
  }
  return resolved;
}
