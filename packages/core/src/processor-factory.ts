/**
 * Makes processor instances from a plugin and a route config, and retires them. Instances are cached by
 * (route, plugin version, config hash): an unchanged config reuses its instance; a changed one gets a new
 * instance, and the old one is closed once its in-flight events are done.
 */
import type { Logger } from 'pino';
import { EvrouteError, toEvrouteError } from './errors.js';
import type { CreateContext, EventProcessor, PluginMetrics } from './plugin.js';
import type { RegisteredPlugin } from './plugin-registry.js';
import type { ServiceScopes } from './service-scope.js';
import { stableHash } from './stable-hash.js';

/** A live instance and its bookkeeping. */
export interface ProcessorHandle {
  readonly key: string;
  readonly registered: RegisteredPlugin;
  readonly processor: EventProcessor;
  readonly context: CreateContext;
  readonly config: unknown;
  /** Aborted when the instance is retired (its context's signal). */
  readonly controller: AbortController;
  /** Events being processed by this instance right now. */
  inFlight: number;
  retired: boolean;
  /** Holders that keep a retired instance open without taking a call slot (parked events). */
  pins: number;
  /** Callers waiting for a bulkhead slot, first come first served. */
  readonly waiting: (() => void)[];
}

/** Where a route is, for the instance's context. */
export interface RouteIdentity {
  readonly id: string;
  readonly domain: string;
  readonly eventType: string;
}

/** Dependencies of the factory. */
export interface ProcessorFactoryOptions {
  readonly logger: Logger;
  readonly services: ServiceScopes;
  readonly metrics: (plugin: string) => PluginMetrics;
  /** How long `create` may take before the instance is refused (default 10 000 ms). */
  readonly createTimeoutMs?: number;
}

export class ProcessorFactory {
  readonly #handles = new Map<string, ProcessorHandle>();
  readonly #closing = new Set<Promise<void>>();
  readonly #options: ProcessorFactoryOptions;

  constructor(options: ProcessorFactoryOptions) {
    this.#options = options;
  }

  /** The cache key of an instance. */
  static keyOf(registered: RegisteredPlugin, route: RouteIdentity, config: unknown): string {
    return `${route.id}|${registered.id}|${stableHash(config)}`;
  }

  /**
   * The instance for this route, plugin version and config: the cached one, or a new one from
   * `create` (time-boxed). `keyConfig` (default `config`) is what the cache key hashes. Throws `EVR_ERR_PLUGIN_CREATE_FAILED` when `create` throws or times out.
   */
  async obtain(registered: RegisteredPlugin, route: RouteIdentity, config: unknown, keyConfig: unknown = config): Promise<ProcessorHandle> {
    const key = ProcessorFactory.keyOf(registered, route, keyConfig);
    const cached = this.#handles.get(key);
    if (cached && !cached.retired) return cached;
    const { plugin } = registered;
    const controller = new AbortController();
    const logger = this.#options.logger.child({ plugin: plugin.name, pluginVersion: plugin.version, route: route.id });
    const context: CreateContext = {
      logger,
      metrics: this.#options.metrics(plugin.name),
      services: this.#options.services.for(plugin.name),
      signal: controller.signal,
      route: { id: route.id, domain: route.domain, eventType: route.eventType },
    };
    const timeoutMs = this.#options.createTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const creating = Promise.resolve().then(() => plugin.create(config, context));
    try {
      const processor = await Promise.race([
        creating,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`create did not finish within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      if (typeof processor?.process !== 'function') throw new Error('create must return an object with a process(event, ctx) method');
      const handle: ProcessorHandle = { key, registered, processor, context, config, controller, inFlight: 0, retired: false, pins: 0, waiting: [] };
      this.#handles.set(key, handle);
      return handle;
    } catch (error) {
      controller.abort();
      // An instance that arrives after its deadline is closed, not leaked.
      creating.then((late) => late?.close?.(), () => undefined).catch(() => undefined);
      throw new EvrouteError('EVR_ERR_PLUGIN_CREATE_FAILED', `${registered.id} create failed: ${toEvrouteError(error, 'EVR_ERR_PLUGIN_CREATE_FAILED').message}`, {
        cause: error,
        context: { plugin: plugin.name, pluginVersion: plugin.version, route: route.id },
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Retires every instance whose key is not in `live`: each is closed once its in-flight events finish. */
  retainOnly(live: ReadonlySet<string>): void {
    for (const handle of this.#handles.values()) if (!live.has(handle.key)) this.retire(handle);
  }

  /** Marks an instance retired; it is closed now if idle, else when its last in-flight event is done. */
  retire(handle: ProcessorHandle): void {
    if (handle.retired) return;
    handle.retired = true;
    this.#handles.delete(handle.key);
    if (handle.inFlight === 0 && handle.pins === 0) this.#close(handle);
  }

  /** Keeps the instance open (for a parked event) without taking a call slot. Pair with {@link unpin}. */
  pin(handle: ProcessorHandle): void {
    handle.pins++;
  }

  unpin(handle: ProcessorHandle): void {
    handle.pins--;
    if (handle.retired && handle.inFlight === 0 && handle.pins === 0) this.#close(handle);
  }

  /** Counts an event into the instance. Pair with {@link release}. */
  acquire(handle: ProcessorHandle): void {
    handle.inFlight++;
  }

  /**
   * The bulkhead: takes a slot when fewer than `limit` calls are in flight (returns undefined), else
   * returns a promise that resolves once a slot is handed over. Either way pair it with {@link release}.
   */
  acquireSlot(handle: ProcessorHandle, limit: number): Promise<void> | undefined {
    if (handle.inFlight < limit && handle.waiting.length === 0) {
      handle.inFlight++;
      return undefined;
    }
    return new Promise((resolve) => handle.waiting.push(resolve));
  }

  /** Counts an event out (or hands its slot to the next waiter); closes a retired idle instance. */
  release(handle: ProcessorHandle): void {
    const next = handle.waiting.shift();
    if (next) {
      next(); // the slot passes on: inFlight stays the same
      return;
    }
    handle.inFlight--;
    if (handle.retired && handle.inFlight === 0 && handle.pins === 0) this.#close(handle);
  }

  /** Live (not retired) instances. */
  live(): ProcessorHandle[] {
    return [...this.#handles.values()];
  }

  /** Retires everything and waits for every close to finish. */
  async closeAll(): Promise<void> {
    for (const handle of this.#handles.values()) this.retire(handle); // retire() deletes the current entry only
    await Promise.allSettled(this.#closing);
  }

  #close(handle: ProcessorHandle): void {
    handle.controller.abort();
    const closing = Promise.resolve()
      .then(() => handle.processor.close?.())
      .then(
        () => handle.context.logger.debug({ instance: handle.key }, 'processor instance closed'),
        (error: unknown) => handle.context.logger.error({ err: error, instance: handle.key }, 'processor close() failed'),
      )
      .finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
  }
}
