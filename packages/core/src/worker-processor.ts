/**
 * Worker isolation: a plugin runs in a `worker_thread` of its own, behind a proxy manifest whose
 * processors implement {@link EventProcessor} by message passing. Calls are micro-batched (those made
 * while a batch is out, or within one turn of the event loop, go together, up to `maxBatch`); every batch
 * has a deadline. A batch that misses it terminates the worker: its events fail with
 * `EVR_ERR_HOTDEPLOY_WORKER_TIMEOUT` (and go to the dead-letter output), a new worker is started, and
 * the live instances are created again in it. Terminating a worker frees all of its memory, which is why
 * reloads in this mode do not accumulate, unlike in-process ESM imports.
 */
import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { EvrouteError } from './errors.js';
import type { Event } from './event.js';
import { revive, runningWorkers, spawnPluginWorker } from './hot-deploy/worker-spawn.js';
import type { BatchItem, BatchResult, FromWorker, PluginMeta, ToWorker } from './hot-deploy/worker-protocol.js';
import { definePlugin, type CreateContext, type EventProcessor, type Output, type Plugin } from './plugin.js';

/** Settings of worker isolation. */
export interface WorkerIsolationOptions {
  /** How long one batch may take before the worker is terminated, ms (default 5 000). */
  readonly batchTimeoutMs?: number;
  /** Most events per message (default 512). */
  readonly maxBatch?: number;
  /** How long the worker may take to import the bundle, and `create` to answer, ms (default 10 000). */
  readonly startTimeoutMs?: number;
  /** V8 limits of the worker (default `{ maxOldGenerationSizeMb: 256 }`); over them the worker dies, not the router. */
  readonly resourceLimits?: ResourceLimits;
  /** Node options of the worker (default: the process's own). */
  readonly execArgv?: readonly string[];
  /** A worker without instances for this long is stopped, and started again on the next create, ms (default 30 000). */
  readonly idleMs?: number;
}

/** Defaults of {@link WorkerIsolationOptions}. */
export const workerDefaults = { batchTimeoutMs: 5_000, maxBatch: 512, startTimeoutMs: 10_000, idleMs: 30_000, resourceLimits: { maxOldGenerationSizeMb: 256 } } as const;

interface Call {
  readonly item: BatchItem;
  readonly resolve: (outputs: readonly Output[]) => void;
  readonly reject: (error: unknown) => void;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface InstanceState {
  readonly config: unknown;
  readonly context: CreateContext;
  broken: EvrouteError | undefined;
}

/** One plugin version running in a worker thread, with its processor instances. See the module comment. */
export class WorkerPluginHost {
  /** The manifest's data as the worker reported it. */
  readonly meta: PluginMeta;
  /** The proxy manifest to register: its `create` makes processors that run in the worker. */
  readonly plugin: Plugin;
  readonly #entryUrl: string;
  readonly #logger: Logger;
  readonly #options: WorkerIsolationOptions;
  readonly #instances = new Map<number, InstanceState>();
  readonly #creates = new Map<number, Waiter>();
  #worker: Worker | undefined;
  #spawning: Promise<void> | undefined;
  #queue: Call[] = [];
  #inFlight: { id: number; calls: Call[]; timer: NodeJS.Timeout } | undefined;
  #flushScheduled = false;
  #nextId = 0;
  #retired = false;
  #terminated = false;
  #idle: NodeJS.Timeout | undefined;
  /** Workers started for this plugin version (1 + restarts after a hang or crash). */
  starts = 0;

  private constructor(entryUrl: string, logger: Logger, options: WorkerIsolationOptions, worker: Worker, meta: PluginMeta) {
    this.#entryUrl = entryUrl;
    this.#logger = logger;
    this.#options = options;
    this.meta = meta;
    this.#attach(worker);
    this.plugin = definePlugin({ ...meta, create: (config: unknown, ctx: CreateContext) => this.#create(config, ctx) });
  }

  /**
   * Starts a worker that imports the bundle at `entryUrl` and resolves once it reported its manifest.
   * Rejects with the worker's coded error (`EVR_ERR_HOTDEPLOY_IMPORT_FAILED`,
   * `EVR_ERR_HOTDEPLOY_NO_DEFAULT_EXPORT`, `EVR_ERR_PLUGIN_INVALID_MANIFEST`), or
   * `EVR_ERR_HOTDEPLOY_WORKER_CRASHED` when the worker dies or does not answer in time.
   */
  static async start(entryUrl: string, logger: Logger, options: WorkerIsolationOptions = {}): Promise<WorkerPluginHost> {
    const { worker, meta } = await spawnPluginWorker(entryUrl, logger, options);
    const host = new WorkerPluginHost(entryUrl, logger, options, worker, meta);
    host.starts = 1;
    return host;
  }

  /** Plugin worker threads of this process that have not exited yet (terminated ones count until they are gone). */
  static running(): number {
    return runningWorkers();
  }

  /** The worker's thread id, or -1 while none runs. */
  get threadId(): number {
    return this.#worker?.threadId ?? -1;
  }

  /** Live processor instances. */
  get instances(): number {
    return this.#instances.size;
  }

  /** No more instances will be made; the worker is terminated once the last instance is closed. */
  retire(): void {
    this.#retired = true;
    if (this.#instances.size === 0) void this.terminate();
  }

  /** Terminates the worker now; calls still queued or in flight fail with `EVR_ERR_HOTDEPLOY_WORKER_CRASHED`. */
  async terminate(): Promise<void> {
    this.#terminated = true;
    clearTimeout(this.#idle);
    const error = new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `${this.#id()}: the plugin worker was terminated`);
    this.#failAll(error);
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #id(): string {
    return `${this.meta.name}@${this.meta.version}`;
  }

  #attach(worker: Worker): void {
    this.#worker = worker;
    worker.on('message', (message: FromWorker) => this.#onMessage(worker, message));
    worker.on('error', (error) => this.#lost(worker, new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `${this.#id()}: the plugin worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => this.#lost(worker, new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `${this.#id()}: the plugin worker exited with code ${code}`)));
  }

  #onMessage(worker: Worker, message: FromWorker): void {
    if (worker !== this.#worker) return;
    switch (message.t) {
      case 'batch':
        this.#answered(message.id, message.results);
        break;
      case 'created':
      case 'create-failed': {
        const waiter = this.#creates.get(message.id);
        this.#creates.delete(message.id);
        if (message.t === 'created') waiter?.resolve();
        else waiter?.reject(revive(message.error, 'EVR_ERR_PLUGIN_CREATE_FAILED'));
        break;
      }
      case 'log': {
        const logger = this.#instances.get(message.instance)?.context.logger ?? this.#logger;
        logger[message.level](message.obj as object, message.msg);
        break;
      }
      case 'metric': {
        const metrics = this.#instances.get(message.instance)?.context.metrics;
        if (message.kind === 'increment') metrics?.increment(message.name, message.value, message.labels);
        else metrics?.observe(message.name, message.value, message.labels);
        break;
      }
      case 'ready':
      case 'failed':
        break;
    }
  }

  /** The worker died or was terminated: fail what it held; the next call starts a new one. */
  #lost(worker: Worker, error: EvrouteError): void {
    if (worker !== this.#worker) return;
    this.#worker = undefined;
    if (!this.#terminated) this.#logger.error({ err: error, plugin: this.meta.name, pluginVersion: this.meta.version }, 'plugin worker lost; a new one starts on the next event');
    this.#failInFlight(error);
    for (const waiter of this.#creates.values()) waiter.reject(error);
    this.#creates.clear();
    this.#scheduleFlush();
  }

  async #create(config: unknown, context: CreateContext): Promise<EventProcessor> {
    if (this.#retired || this.#terminated) throw new EvrouteError('EVR_ERR_PLUGIN_CREATE_FAILED', `${this.#id()} is being unloaded`);
    clearTimeout(this.#idle);
    // A (re)started worker creates the instances it knows of: start it before adding this one.
    await this.#ensureWorker();
    const instance = ++this.#nextId;
    this.#instances.set(instance, { config, context, broken: undefined });
    try {
      await this.#createIn(instance);
    } catch (error) {
      this.#instances.delete(instance);
      throw error;
    }
    return {
      process: (event: Event, ctx) => this.#call({ instance, event, configVersion: ctx.configVersion }),
      close: () => this.#close(instance),
    };
  }

  #createIn(instance: number): Promise<void> {
    const state = this.#instances.get(instance);
    const worker = this.#worker;
    if (!state || !worker) return Promise.reject(new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `${this.#id()}: no worker`));
    const id = ++this.#nextId;
    const timeoutMs = this.#options.startTimeoutMs ?? workerDefaults.startTimeoutMs;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#creates.delete(id);
        reject(new EvrouteError('EVR_ERR_PLUGIN_CREATE_FAILED', `${this.#id()}: create did not answer within ${timeoutMs} ms; the worker is restarted`));
        if (this.#worker === worker) void this.#restart(worker);
      }, timeoutMs);
      this.#creates.set(id, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.#post({ t: 'create', id, instance, config: state.config, route: state.context.route });
    });
  }

  #close(instance: number): void {
    if (!this.#instances.delete(instance)) return;
    if (this.#worker) this.#post({ t: 'close', instance });
    if (this.#instances.size > 0) return;
    if (this.#retired) void this.terminate();
    else {
      clearTimeout(this.#idle);
      this.#idle = setTimeout(() => this.#stopIdle(), this.#options.idleMs ?? workerDefaults.idleMs).unref();
    }
  }

  /** No instance for `idleMs`: stop the worker (its memory is freed); the next create starts one. */
  #stopIdle(): void {
    const worker = this.#worker;
    if (this.#instances.size > 0 || this.#inFlight || this.#queue.length > 0 || !worker) return;
    this.#worker = undefined;
    void worker.terminate().catch(() => undefined);
  }

  #ensureWorker(): Promise<void> {
    if (this.#worker) return Promise.resolve();
    if (this.#terminated) return Promise.reject(new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `${this.#id()}: the plugin worker was terminated`));
    this.#spawning ??= this.#respawn().finally(() => (this.#spawning = undefined));
    return this.#spawning;
  }

  /** Starts a new worker and creates every live instance in it again. */
  async #respawn(): Promise<void> {
    const { worker } = await spawnPluginWorker(this.#entryUrl, this.#logger, this.#options);
    if (this.#terminated) {
      await worker.terminate();
      throw new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `${this.#id()}: the plugin worker was terminated`);
    }
    this.starts++;
    this.#attach(worker);
    await Promise.all(
      [...this.#instances.entries()].map(([instance, state]) =>
        this.#createIn(instance).then(
          () => (state.broken = undefined),
          (error: unknown) => (state.broken = new EvrouteError('EVR_ERR_PLUGIN_CREATE_FAILED', `${this.#id()}: create failed again in the new worker: ${(error as Error).message}`, { cause: error })),
        ),
      ),
    );
  }

  async #restart(worker: Worker): Promise<void> {
    this.#worker = undefined;
    await worker.terminate().catch(() => undefined);
    this.#scheduleFlush();
  }

  #call(item: BatchItem): Promise<readonly Output[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#scheduleFlush();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#inFlight || this.#queue.length === 0) return;
    this.#flushScheduled = true;
    // One turn of the event loop gathers the calls of every lane into one message.
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#inFlight || this.#queue.length === 0) return;
    if (!this.#worker) {
      this.#ensureWorker().then(
        () => this.#flush(),
        (error: unknown) => this.#failAll(error),
      );
      return;
    }
    const max = this.#options.maxBatch ?? workerDefaults.maxBatch;
    const calls: Call[] = [];
    while (calls.length < max && this.#queue.length > 0) {
      const call = this.#queue.shift()!;
      const broken = this.#instances.get(call.item.instance)?.broken;
      if (broken) call.reject(broken);
      else calls.push(call);
    }
    if (calls.length === 0) return this.#scheduleFlush();
    const id = ++this.#nextId;
    const timeoutMs = this.#options.batchTimeoutMs ?? workerDefaults.batchTimeoutMs;
    const worker = this.#worker;
    const timer = setTimeout(() => this.#timedOut(worker, id, timeoutMs), timeoutMs);
    this.#inFlight = { id, calls, timer };
    try {
      this.#post({ t: 'batch', id, items: calls.map((c) => c.item) });
    } catch (error) {
      this.#failInFlight(new EvrouteError('EVR_ERR_PROCESSOR_FAILED', `${this.#id()}: the events cannot be copied into the worker: ${(error as Error).message}`, { cause: error }));
      this.#scheduleFlush();
    }
  }

  #answered(id: number, results: readonly BatchResult[]): void {
    const inFlight = this.#inFlight;
    if (!inFlight || inFlight.id !== id) return;
    clearTimeout(inFlight.timer);
    this.#inFlight = undefined;
    inFlight.calls.forEach((call, i) => {
      const result = results[i];
      if (result?.ok) call.resolve(result.outputs as readonly Output[]);
      else call.reject(revive(result?.error ?? { message: 'no result for the event' }, 'EVR_ERR_PROCESSOR_FAILED'));
    });
    this.#flush();
  }

  #timedOut(worker: Worker, id: number, timeoutMs: number): void {
    if (this.#inFlight?.id !== id || this.#worker !== worker) return;
    const events = this.#inFlight.calls.length;
    const error = new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_TIMEOUT', `${this.#id()}: a batch of ${events} event(s) took longer than ${timeoutMs} ms; the worker was terminated and is restarted`, {
      context: { plugin: this.meta.name, pluginVersion: this.meta.version },
    });
    this.#logger.error({ plugin: this.meta.name, pluginVersion: this.meta.version, events, timeoutMs, code: error.code }, 'plugin worker missed its batch deadline: terminated');
    this.#failInFlight(error);
    void this.#restart(worker);
  }

  #failInFlight(error: unknown): void {
    const inFlight = this.#inFlight;
    if (!inFlight) return;
    clearTimeout(inFlight.timer);
    this.#inFlight = undefined;
    for (const call of inFlight.calls) call.reject(error);
  }

  #failAll(error: unknown): void {
    this.#failInFlight(error);
    const queued = this.#queue;
    this.#queue = [];
    for (const call of queued) call.reject(error);
  }

  #post(message: ToWorker): void {
    this.#worker?.postMessage(message);
  }
}
