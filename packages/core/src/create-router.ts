/**
 * `createRouter`: the composition root. It is the only place that wires the router's parts together
 * (through a tsyringe container with explicit tokens); everything else receives its dependencies.
 */
import 'reflect-metadata';
import { pino, type Logger } from 'pino';
import { container as globalContainer, inject, injectable } from 'tsyringe';
import { Batcher } from './batcher.js';
import { ConfigRouter } from './config-router.js';
import { logDeadLetterSink } from './dead-letter.js';
import { makeAttempt, type RouteRunner } from './dispatch.js';
import { explain, type Explanation } from './explain.js';
import type { SourceRecord } from './event.js';
import { Guard, type BreakerView } from './guard.js';
import { Parking } from './parking.js';
import { EvrouteError, toEvrouteError } from './errors.js';
import { publish } from './instrumentation.js';
import { Pipeline } from './pipeline.js';
import { PluginRegistry } from './plugin-registry.js';
import { ProcessorFactory } from './processor-factory.js';
import { routerDefaults, type RouterOptions } from './router-options.js';
import type { RoutingTable } from './routing-table.js';
import { ServiceScopes } from './service-scope.js';
import type { DeadLetterRecord, DeadLetterSink, SinkRecord } from './sink.js';
import type { Router } from './router.js';
import { RouterStats, type StatsSnapshot } from './stats.js';

/** Injection tokens of the composition root. */
export const TOKENS = {
  options: Symbol.for('evroute.options'),
  logger: Symbol.for('evroute.logger'),
  registry: Symbol.for('evroute.registry'),
  factory: Symbol.for('evroute.factory'),
  config: Symbol.for('evroute.configRouter'),
  stats: Symbol.for('evroute.stats'),
} as const;

const noMetrics = { increment: () => undefined, observe: () => undefined };

@injectable()
class EventRouter implements Router {
  readonly #sinks = new Map<string, Batcher<SinkRecord>>();
  readonly #deadLetterSink: DeadLetterSink;
  readonly #deadLetter: Batcher<DeadLetterRecord>;
  readonly #pipeline: Pipeline;
  readonly #guard: Guard;
  /** A single attempt that counts into throw-away stats: for explain's dry runs. */
  readonly #attempt: RouteRunner;
  readonly #parking: Parking;
  readonly #lifetime = new AbortController();
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  #stopping: Promise<void> | undefined;
  /** A plugin was registered or removed while the first table was being built: rebuild once started. */
  #changedWhileStarting = false;

  constructor(
    @inject(TOKENS.options) private readonly options: RouterOptions,
    @inject(TOKENS.logger) readonly logger: Logger,
    @inject(TOKENS.registry) readonly registry: PluginRegistry,
    @inject(TOKENS.factory) private readonly factory: ProcessorFactory,
    @inject(TOKENS.config) private readonly config: ConfigRouter,
    @inject(TOKENS.stats) private readonly counters: RouterStats,
  ) {
    const size = options.batch?.size ?? routerDefaults.batchSize;
    const lingerMs = options.batch?.lingerMs ?? routerDefaults.lingerMs;
    for (const [name, sink] of Object.entries(options.sinks ?? {})) {
      this.#sinks.set(name, new Batcher<SinkRecord>({
        name,
        logger,
        size: options.batchSizes?.[name] ?? size,
        lingerMs,
        write: async (items, signal) => (await sink.write(items, signal))?.rejected,
        ...(options.routerMetrics?.sinkWrite ? { onWrite: (w: { size: number; ms: number; ok: boolean }) => options.routerMetrics?.sinkWrite?.(name, w.size, w.ms / 1000, w.ok) } : {}),
      }));
    }
    this.#deadLetterSink = options.deadLetter ?? logDeadLetterSink(logger);
    this.#deadLetter = new Batcher<DeadLetterRecord>({
      name: `dead-letter:${this.#deadLetterSink.name}`,
      logger,
      size,
      lingerMs,
      write: async (items, signal) => {
        await this.#deadLetterSink.write(items, signal);
        return undefined;
      },
    });
    this.#attempt = makeAttempt(factory, new RouterStats());
    this.#guard = new Guard(makeAttempt(factory, counters), logger, this.#lifetime.signal);
    this.#parking = new Parking({
      guard: this.#guard,
      factory,
      sinks: this.#sinks,
      deadLetter: this.#deadLetter,
      stats: counters,
      logger,
      signal: this.#lifetime.signal,
    });
    this.#pipeline = new Pipeline({
      source: options.source,
      config,
      run: this.#guard.run,
      parking: this.#parking,
      sinks: this.#sinks,
      deadLetter: this.#deadLetter,
      stats: counters,
      logger,
      unmatched: options.unmatched ?? 'dead-letter',
      maxInFlight: options.maxInFlight ?? routerDefaults.maxInFlight,
      maxEventBytes: options.maxEventBytes ?? routerDefaults.maxEventBytes,
      metrics: options.routerMetrics ?? {},
    });
    registry.onChange(() => {
      if (this.#state === 'running') config.recompile().catch((error: unknown) => logger.error({ err: error }, 'recompile after plugin change failed'));
      else if (this.#state === 'starting') this.#changedWhileStarting = true;
    });
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new EvrouteError('EVR_ERR_OPTIONS_INVALID', `router cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    const signal = this.#lifetime.signal;
    if (!this.options.deadLetter) this.logger.warn('no dead-letter sink configured: dead letters are only logged, not stored');
    const sinks: { start?(s: AbortSignal): Promise<void> }[] = [...Object.values(this.options.sinks ?? {}), this.#deadLetterSink];
    await Promise.all(sinks.map((s) => Promise.resolve(s.start?.(signal))));
    let first: Promise<RoutingTable> | undefined;
    await this.options.config.start(
      {
        snapshot: (snapshot) => {
          const applied = this.config.submit(snapshot);
          first ??= applied;
          applied.catch((error: unknown) => this.logger.error({ err: error }, 'applying config snapshot failed'));
        },
        error: (error) => {
          const coded = toEvrouteError(error, 'EVR_ERR_CONFIG_SOURCE_FAILED');
          this.counters.configSourceErrors++;
          this.logger.error({ err: coded, code: coded.code }, 'config source failed; the last good routing table keeps serving');
          publish('config:source-error', { code: coded.code, message: coded.message });
        },
      },
      signal,
    );
    if (first) await first;
    this.#state = 'running';
    if (this.#changedWhileStarting) await this.config.recompile();
    try {
      await this.options.source.start(this.#pipeline, signal);
    } catch (error) {
      await this.stop({ timeoutMs: 1_000 });
      throw error;
    }
    this.logger.info({ version: this.config.table.version, routes: this.config.table.routes.length }, 'router started');
  }

  stop({ timeoutMs = this.options.stopTimeoutMs ?? routerDefaults.stopTimeoutMs }: { timeoutMs?: number } = {}): Promise<void> {
    this.#stopping ??= this.#stop(timeoutMs);
    return this.#stopping;
  }

  async #stop(timeoutMs: number): Promise<void> {
    this.#state = 'stopping';
    this.#pipeline.stopAccepting();
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      await this.#pipeline.drain(deadline);
    } catch {
      this.logger.warn({ code: 'EVR_ERR_PIPELINE_STOP_TIMEOUT', inFlight: this.counters.inFlight }, 'stop deadline reached before drain; the rest will be redelivered');
    }
    for (const batcher of [...this.#sinks.values(), this.#deadLetter]) batcher.close();
    this.#lifetime.abort(new EvrouteError('EVR_ERR_PIPELINE_STOPPED', 'router stopped'));
    const closeSignal = AbortSignal.timeout(Math.max(1_000, timeoutMs));
    const results = await Promise.allSettled([this.options.source.close(closeSignal), this.options.config.close(closeSignal)]);
    const rest = await Promise.allSettled([
      ...Object.values(this.options.sinks ?? {}).map((s) => s.close(closeSignal)),
      this.#deadLetterSink.close(closeSignal),
      this.factory.closeAll(),
    ]);
    for (const r of [...results, ...rest]) if (r.status === 'rejected') this.logger.error({ err: r.reason as unknown }, 'error while closing');
    this.#state = 'stopped';
    this.logger.info(this.counters.snapshot(), 'router stopped');
  }

  table(): RoutingTable {
    return this.config.table;
  }

  stats(): StatsSnapshot {
    return { ...this.counters.snapshot(), parked: this.#parking.size };
  }

  pauseRoute(routeId: string): void {
    this.#guard.pause(routeId);
    this.logger.warn({ route: routeId }, 'route paused: its events are parked until it is resumed');
  }

  resumeRoute(routeId: string): void {
    this.#guard.resume(routeId);
    this.logger.info({ route: routeId }, 'route resumed');
  }

  pausedRoutes(): string[] {
    return this.#guard.paused();
  }

  explain(value: SourceRecord['value'], { dryRun = false }: { dryRun?: boolean } = {}): Promise<Explanation> {
    return explain(this.config.table, value, { unmatched: this.options.unmatched ?? 'dead-letter', ...(dryRun ? { run: this.#attempt } : {}) });
  }

  breakers(live: ReadonlySet<string> = this.config.table.instanceKeys()): BreakerView[] {
    return this.#guard.breakers(live);
  }

  finished(): Promise<void> {
    return this.options.source.done?.() ?? new Promise<void>(() => undefined);
  }

  async reloadConfig(): Promise<void> {
    await this.options.config.refresh?.();
  }
}

/**
 * Creates a router from its parts. Nothing starts until `start()`. Throws `EVR_ERR_OPTIONS_INVALID` when
 * an output is bound to a sink that does not exist, and `EVR_ERR_PLUGIN_INVALID_MANIFEST` for a bad plugin.
 */
export function createRouter(options: RouterOptions): Router {
  const logger = options.logger ?? pino({ name: 'evroute', level: 'info' }, pino.destination(2));
  const sinkNames = new Set(Object.keys(options.sinks ?? {}));
  for (const [output, binding] of Object.entries(options.outputs ?? {})) {
    if (!sinkNames.has(binding.sink)) {
      throw new EvrouteError('EVR_ERR_OPTIONS_INVALID', `outputs.${output} is bound to sink '${binding.sink}', but sinks has only: ${[...sinkNames].join(', ') || 'none'}`);
    }
  }
  const scope = globalContainer.createChildContainer();
  const stats = new RouterStats();
  const breakerPruner: { current?: (live: ReadonlySet<string>) => void } = {};
  const registry = new PluginRegistry();
  for (const plugin of options.plugins ?? []) registry.register(plugin);
  const factory = new ProcessorFactory({
    logger,
    services: new ServiceScopes(options.services, scope),
    metrics: options.metrics ?? (() => noMetrics),
    createTimeoutMs: options.createTimeoutMs ?? routerDefaults.createTimeoutMs,
  });
  const config = new ConfigRouter({
    registry,
    factory,
    logger,
    sinks: sinkNames,
    checkTarget: (sink, target, spec) => options.sinks?.[sink]?.checkTarget?.(target, spec),
    outputs: options.outputs ?? {},
    stats,
    // Breakers of retired instances are forgotten as soon as a table without them goes live.
    onApplied: (table) => breakerPruner.current?.(table.instanceKeys()),
    ...(options.configPolicy ? { policy: options.configPolicy } : {}),
    ...(options.faultIsolation ? { faultIsolation: options.faultIsolation } : {}),
  });
  scope.register(TOKENS.options, { useValue: options });
  scope.register(TOKENS.logger, { useValue: logger });
  scope.register(TOKENS.registry, { useValue: registry });
  scope.register(TOKENS.factory, { useValue: factory });
  scope.register(TOKENS.config, { useValue: config });
  scope.register(TOKENS.stats, { useValue: stats });
  const router = scope.resolve(EventRouter);
  breakerPruner.current = (live) => void router.breakers(live);
  return router;
}
