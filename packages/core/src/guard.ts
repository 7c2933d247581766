/**
 * Wraps the single-attempt runner with the engine's fault isolation: retries with backoff for retriable
 * failures, a circuit breaker per processor instance, and the fallback decision (dead-letter or park).
 * The first attempt stays synchronous for synchronous processors; only failures pay for promises.
 * Plugins write no retry loops: the engine owns retries (STYLE.md).
 */
import type { Logger } from 'pino';
import { backoffDelay, sleep } from './backoff.js';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.js';
import type { Emit, RouteFailure, RouteRunner } from './dispatch.js';
import type { Event } from './event.js';
import { EvrouteError } from './errors.js';
import { publish } from './instrumentation.js';
import type { ProcessorHandle } from './processor-factory.js';
import type { CompiledRoute, RoutingTable } from './routing-table.js';

/** Breaker state per processor instance, for status pages and tests. */
export interface BreakerView {
  readonly route: string;
  readonly plugin: string;
  readonly state: BreakerState;
}

export class Guard {
  readonly #breakers = new WeakMap<ProcessorHandle, CircuitBreaker>();
  readonly #views = new Map<string, { route: string; plugin: string; breaker: CircuitBreaker }>();
  readonly #logger: Logger;
  readonly #signal: AbortSignal;
  readonly #attempt: RouteRunner;
  readonly #paused = new Set<string>();
  /** The guarded runner. */
  readonly run: RouteRunner;

  constructor(attempt: RouteRunner, logger: Logger, signal: AbortSignal) {
    this.#logger = logger;
    this.#signal = signal;
    this.#attempt = attempt;
    // The fast path (no failure) allocates nothing: no closure, no promise for a synchronous processor.
    this.run = (event, route, table, emit) => {
      if (this.#paused.size > 0 && this.#paused.has(route.id)) return this.#pausedFailure(route, event.eventId, table.version);
      const breaker = route.isolation.breaker === false ? undefined : this.breakerOf(route);
      if (breaker && !breaker.allows()) return this.#open(route, breaker, event.eventId, table.version);
      const first = attempt(event, route, table, emit);
      if (first === undefined) {
        breaker?.success();
        return undefined;
      }
      return first instanceof Promise ? first.then((f) => this.#next(f, 1, event, route, table, emit, breaker)) : this.#next(first, 1, event, route, table, emit, breaker);
    };
  }

  /** After an attempt: success, or a retry with backoff, or the fallback decision. */
  #next(
    failure: RouteFailure | undefined,
    attempts: number,
    event: Event,
    route: CompiledRoute,
    table: RoutingTable,
    emit: Emit,
    breaker: CircuitBreaker | undefined,
  ): RouteFailure | undefined | Promise<RouteFailure | undefined> {
    if (!failure) {
      breaker?.success();
      return undefined;
    }
    const withAttempts: RouteFailure = { ...failure, site: { ...failure.site, attempts } };
    // Bad data is not a processor failure: no retry, and the breaker does not count it.
    if (!failure.error.retriable) return withAttempts;
    breaker?.failure();
    const { retries, backoff, fallback } = route.isolation;
    if (attempts > retries || (breaker && !breaker.allows()) || this.#signal.aborted) return { ...withAttempts, park: fallback === 'park' };
    return sleep(backoffDelay(attempts - 1, backoff), this.#signal).then(
      () => {
        const again = this.#attempt(event, route, table, emit);
        return again instanceof Promise ? again.then((f) => this.#next(f, attempts + 1, event, route, table, emit, breaker)) : this.#next(again, attempts + 1, event, route, table, emit, breaker);
      },
      () => ({ ...withAttempts, park: fallback === 'park' }),
    );
  }

  /** Holds a route's events (they are parked, in order) until {@link resume}. */
  pause(routeId: string): void {
    this.#paused.add(routeId);
  }

  resume(routeId: string): void {
    this.#paused.delete(routeId);
  }

  isPaused(routeId: string): boolean {
    return this.#paused.has(routeId);
  }

  /** Route ids paused now. */
  paused(): string[] {
    return [...this.#paused];
  }

  #pausedFailure(route: CompiledRoute, eventId: string, configVersion: number): RouteFailure {
    const error = new EvrouteError('EVR_ERR_ROUTE_PAUSED', `route ${route.id} is paused`, { context: { route: route.id } });
    return { error, site: { eventId, route: route.id, configVersion, attempts: 0 }, park: true };
  }

  /** The breaker of a route's instance (created on first use), or undefined when disabled. */
  breakerOf(route: CompiledRoute): CircuitBreaker | undefined {
    const handle = route.handle;
    if (!handle || route.isolation.breaker === false) return undefined;
    let breaker = this.#breakers.get(handle);
    if (!breaker) {
      const plugin = handle.registered.id;
      breaker = new CircuitBreaker(route.isolation.breaker, (from, to) => {
        const level = to === 'open' ? 'error' : 'warn';
        this.#logger[level]({ route: route.id, plugin, from, to }, `circuit breaker ${to}`);
        publish('breaker:state', { route: route.id, plugin, from, to });
      });
      this.#breakers.set(handle, breaker);
      this.#views.set(handle.key, { route: route.id, plugin, breaker });
    }
    return breaker;
  }

  /** Every breaker of a live or recent instance, with its state. */
  breakers(live?: ReadonlySet<string>): BreakerView[] {
    if (live) for (const key of this.#views.keys()) if (!live.has(key)) this.#views.delete(key); // retired instances
    return [...this.#views.values()].map((v) => ({ route: v.route, plugin: v.plugin, state: v.breaker.state }));
  }

  #open(route: CompiledRoute, breaker: CircuitBreaker, eventId: string, configVersion: number): RouteFailure {
    const registered = route.handle!.registered;
    const error = new EvrouteError('EVR_ERR_PROCESSOR_CIRCUIT_OPEN', `route ${route.id}: circuit breaker of ${registered.id} is open for ${breaker.remainingOpenMs} ms more`, {
      context: { route: route.id, plugin: registered.plugin.name },
    });
    return {
      error,
      site: { eventId, route: route.id, plugin: registered.plugin.name, pluginVersion: registered.plugin.version, configVersion, attempts: 0 },
      park: route.isolation.fallback === 'park',
    };
  }
}
