/**
 * Runs one route's processor on one decoded event and addresses its outputs to sinks. Synchronous
 * processors take a fast path with no promise per event. Failures come back as coded errors (the guard
 * decides about retries, parking or the dead-letter output); nothing throws.
 */
import { EvrouteError, isEvrouteError, toEvrouteError } from './errors.js';
import type { Event } from './event.js';
import type { Output, ProcessContext } from './plugin.js';
import type { FailureSite } from './dead-letter.js';
import type { CompiledRoute, RoutingTable } from './routing-table.js';
import type { SinkRecord } from './sink.js';
import type { ProcessorFactory } from './processor-factory.js';
import type { RouterStats } from './stats.js';

/** Why one event failed under one route. */
export interface RouteFailure {
  readonly error: EvrouteError;
  readonly site: FailureSite;
  /** True when the fallback is to park the event (hold and retry later) rather than dead-letter it. */
  readonly park?: boolean;
}

/** Receives the sink records of a successful route run; returns nothing. */
export type Emit = (sink: string, record: SinkRecord) => void;

/**
 * Runs one route's processor on an event, emitting its sink records (all of them, or none when the run
 * fails). Returns the failure, or undefined; synchronously when the processor is synchronous, so the
 * common path allocates no promise and no result object per event.
 */
export type RouteRunner = (event: Event, route: CompiledRoute, table: RoutingTable, emit: Emit) => RouteFailure | undefined | Promise<RouteFailure | undefined>;

const contexts = new WeakMap<CompiledRoute, ProcessContext>();

/** The per-route context, built once per (route, table) and reused for every event. */
function contextOf(route: CompiledRoute, table: RoutingTable): ProcessContext {
  let ctx = contexts.get(route);
  if (!ctx || ctx.configVersion !== table.version) {
    const handle = route.handle!;
    ctx = { ...handle.context, config: handle.config, configVersion: table.version };
    contexts.set(route, ctx);
  }
  return ctx;
}

function siteOf(event: Event, route: CompiledRoute, table: RoutingTable): FailureSite {
  const registered = route.handle?.registered;
  return {
    eventId: event.eventId,
    route: route.id,
    configVersion: table.version,
    ...(registered ? { plugin: registered.plugin.name, pluginVersion: registered.plugin.version } : {}),
  };
}

/**
 * Checks a processor's return value and emits its records. Two passes: nothing is emitted unless every
 * output is valid, so a route's outputs are written all together or not at all.
 */
function address(event: Event, route: CompiledRoute, table: RoutingTable, result: unknown, emit: Emit, stats: RouterStats): RouteFailure | undefined {
  if (!Array.isArray(result)) {
    const error = new EvrouteError('EVR_ERR_PROCESSOR_INVALID_OUTPUT', `processor of route ${route.id} returned ${typeof result}, not an array of outputs`);
    return { error, site: siteOf(event, route, table) };
  }
  for (const output of result as Output[]) {
    if (typeof output?.to !== 'string') {
      const error = new EvrouteError('EVR_ERR_PROCESSOR_INVALID_OUTPUT', `route ${route.id}: an output's 'to' is ${typeof output?.to}, not an output name`);
      return { error, site: siteOf(event, route, table) };
    }
    const name = output.to;
    const binding = route.outputs.get(name);
    if (binding === undefined) {
      const declared = [...route.outputs.keys()].join(', ') || 'none';
      const error = new EvrouteError('EVR_ERR_ROUTE_UNKNOWN_OUTPUT', `route ${route.id} addressed output '${name}', which its plugin does not declare (declared: ${declared})`, {
        context: { route: route.id, output: name },
      });
      return { error, site: siteOf(event, route, table) };
    }
    if (typeof output.value !== 'object' || output.value === null) {
      const error = new EvrouteError('EVR_ERR_PROCESSOR_INVALID_OUTPUT', `route ${route.id}: output '${name}' has no object value`);
      return { error, site: siteOf(event, route, table) };
    }
  }
  for (const output of result as Output[]) {
    const name = output.to;
    const binding = route.outputs.get(name);
    if (!binding) {
      stats.outputsDiscarded++;
      continue;
    }
    emit(binding.sink, {
      output: name,
      spec: binding.spec,
      target: binding.target,
      key: output.key === undefined ? event.meta.key : output.key,
      value: output.value,
      headers: output.headers ?? NO_HEADERS,
      eventId: event.eventId,
    });
  }
  return undefined;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

function failed(event: Event, route: CompiledRoute, table: RoutingTable, error: unknown): RouteFailure {
  const coded = isEvrouteError(error) ? error : toEvrouteError(error, 'EVR_ERR_PROCESSOR_FAILED', { route: route.id });
  return { error: coded, site: siteOf(event, route, table) };
}

/**
 * One attempt: payload schema check, then one call of the processor, time-boxed when it is async. The
 * instance is held (in-flight count) until the processor's own promise settles, even past a timeout, so
 * it is never closed under a running call.
 */
export function makeAttempt(factory: ProcessorFactory, stats: RouterStats): RouteRunner {
  return (event, route, table, emit) => {
    const handle = route.handle!;
    const { validatePayload } = handle.registered;
    if (validatePayload && !validatePayload(event.payload)) {
      const why = (validatePayload.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
      const error = new EvrouteError('EVR_ERR_PLUGIN_PAYLOAD_INVALID', `payload fails ${handle.registered.id} payload schema: ${why}`);
      return { error, site: siteOf(event, route, table) };
    }
    const slot = factory.acquireSlot(handle, route.isolation.maxConcurrent);
    if (slot) return slot.then(() => call(event, route, table, emit));
    return call(event, route, table, emit);
  };

  /** One call, with the instance's slot already taken. */
  function call(event: Event, route: CompiledRoute, table: RoutingTable, emit: Emit): ReturnType<RouteRunner> {
    const handle = route.handle!;
    stats.processed++;
    let result: unknown;
    try {
      result = handle.processor.process(event, contextOf(route, table));
    } catch (error) {
      factory.release(handle);
      return failed(event, route, table, error);
    }
    if (!(result instanceof Promise)) {
      factory.release(handle);
      return address(event, route, table, result, emit, stats);
    }
    const settled = result.finally(() => factory.release(handle));
    const { timeoutMs } = route.isolation;
    if (!timeoutMs) {
      return settled.then(
        (value: unknown) => address(event, route, table, value, emit, stats),
        (error: unknown) => failed(event, route, table, error),
      );
    }
    // A late answer after the timeout must not emit: the event has already failed.
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const outcome = settled.then(
      (value: unknown) => (timedOut ? undefined : address(event, route, table, value, emit, stats)),
      (error: unknown) => (timedOut ? undefined : failed(event, route, table, error)),
    );
    const timeout = new Promise<RouteFailure>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        const error = new EvrouteError('EVR_ERR_PROCESSOR_TIMEOUT', `route ${route.id}: the processor did not answer within ${timeoutMs} ms`, { context: { route: route.id } });
        resolve({ error, site: siteOf(event, route, table) });
      }, timeoutMs);
    });
    return Promise.race([outcome, timeout]).finally(() => clearTimeout(timer));
  }
}
