/**
 * The worker side of a worker-isolated plugin (see worker-processor.ts). It imports the bundle's entry
 * module from the content cache, reports the manifest's data, makes one processor instance per route
 * on request, and processes batches of events, answering each batch with one message. Logs and metrics
 * of the plugin travel to the host as messages.
 *
 * This file imports nothing at run time but Node itself (type imports are erased), so Node can run it
 * directly, as `.js` from dist or as `.ts` from the sources.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchItem, BatchResult, FromWorker, PluginMeta, RouteRef, SerializedError, Telemetry, ToWorker, WorkerStartData } from './hot-deploy/worker-protocol.js';
import type { CreateContext, EventProcessor, Plugin, ProcessContext } from './plugin.js';

interface Instance {
  readonly processor: EventProcessor;
  readonly base: CreateContext;
  readonly config: unknown;
  readonly controller: AbortController;
  context: ProcessContext | undefined;
}

const port = parentPort;
const data = workerData as WorkerStartData;
const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY };
const threshold = LEVELS[data.logLevel] ?? 30;
const instances = new Map<number, Instance>();
let plugin: Plugin | undefined;

function post(message: FromWorker): void {
  port?.postMessage(message);
}

function describeValue(value: object): string {
  try {
    return `non-Error thrown: ${JSON.stringify(value)}`;
  } catch {
    return 'non-Error thrown (not JSON-serialisable)';
  }
}

function serialize(error: unknown): SerializedError {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as { code?: unknown; message?: unknown; retriable?: unknown; name?: unknown; stack?: unknown };
  return {
    message: typeof e.message === 'string' ? e.message : describeValue(error),
    ...(typeof e.code === 'string' && e.code.startsWith('EVR_ERR_') ? { code: e.code } : {}),
    ...(typeof e.retriable === 'boolean' ? { retriable: e.retriable } : {}),
    ...(typeof e.name === 'string' ? { name: e.name } : {}),
    ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
  };
}

function telemetry(message: Telemetry): void {
  try {
    post(message);
  } catch {
    // Something in the log object cannot be cloned: send it as text.
    post(message.t === 'log' ? { ...message, obj: String(message.obj) } : message);
  }
}

function contextFor(instance: number, route: RouteRef, signal: AbortSignal): CreateContext {
  const log = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') => (obj: object | string, msg?: string): void => {
    if ((LEVELS[level] ?? 0) >= threshold) telemetry({ t: 'log', instance, level, obj, ...(msg === undefined ? {} : { msg }) });
  };
  return {
    logger: { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), isLevelEnabled: (level) => (LEVELS[level] ?? 0) >= threshold },
    metrics: {
      increment: (name, by = 1, labels) => telemetry({ t: 'metric', instance, kind: 'increment', name, value: by, ...(labels ? { labels } : {}) }),
      observe: (name, value, labels) => telemetry({ t: 'metric', instance, kind: 'observe', name, value, ...(labels ? { labels } : {}) }),
    },
    // Host services are objects of the router's thread: they cannot cross into a worker.
    services: { get: () => undefined, has: () => false },
    signal,
    route,
  };
}

async function create(id: number, instance: number, config: unknown, route: RouteRef): Promise<void> {
  const controller = new AbortController();
  const base = contextFor(instance, route, controller.signal);
  try {
    const processor = await plugin!.create(config, base);
    if (typeof processor?.process !== 'function') throw new Error('create must return an object with a process(event, ctx) method');
    instances.set(instance, { processor, base, config, controller, context: undefined });
    post({ t: 'created', id });
  } catch (error) {
    controller.abort();
    post({ t: 'create-failed', id, error: serialize(error) });
  }
}

function contextOf(instance: Instance, configVersion: number): ProcessContext {
  if (instance.context?.configVersion !== configVersion) instance.context = { ...instance.base, config: instance.config, configVersion };
  return instance.context;
}

async function runBatch(id: number, items: readonly BatchItem[]): Promise<void> {
  const results: BatchResult[] = Array.from({ length: items.length });
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const instance = instances.get(item.instance);
    if (!instance) {
      results[i] = { ok: false, error: { code: 'EVR_ERR_HOTDEPLOY_WORKER_CRASHED', message: `instance ${item.instance} is not alive in the worker`, retriable: true } };
      continue;
    }
    try {
      const result = instance.processor.process(item.event, contextOf(instance, item.configVersion));
      if (result instanceof Promise) {
        pending.push(result.then((outputs: unknown) => (results[i] = { ok: true, outputs }), (error: unknown) => (results[i] = { ok: false, error: serialize(error) })));
      } else results[i] = { ok: true, outputs: result };
    } catch (error) {
      results[i] = { ok: false, error: serialize(error) };
    }
  }
  if (pending.length > 0) await Promise.all(pending);
  try {
    post({ t: 'batch', id, results });
  } catch {
    // One result cannot be cloned: find it, and send the others.
    post({ t: 'batch', id, results: results.map((r) => (cloneable(r) ? r : { ok: false, error: { code: 'EVR_ERR_PROCESSOR_INVALID_OUTPUT', message: 'the processor returned outputs that cannot be copied out of the worker (functions, class instances with private state, ...)' } })) });
  }
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function close(instance: number): void {
  const live = instances.get(instance);
  if (!live) return;
  instances.delete(instance);
  live.controller.abort();
  Promise.resolve()
    .then(() => live.processor.close?.())
    .catch((error: unknown) => telemetry({ t: 'log', instance, level: 'error', obj: { err: serialize(error) }, msg: 'processor close() failed' }));
}

async function start(): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(data.entryUrl)) as Record<string, unknown>;
  } catch (error) {
    post({ t: 'failed', error: { ...serialize(error), code: 'EVR_ERR_HOTDEPLOY_IMPORT_FAILED', message: `importing ${data.entryUrl} in the worker failed: ${serialize(error).message}` } });
    return;
  }
  const candidate = mod['default'] as Partial<Plugin> | undefined;
  if (candidate === undefined) {
    post({ t: 'failed', error: { code: 'EVR_ERR_HOTDEPLOY_NO_DEFAULT_EXPORT', message: `the entry module has no default export (it exports: ${Object.keys(mod).join(', ') || 'none'}); \`export default definePlugin({...})\`` } });
    return;
  }
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.create !== 'function') {
    post({ t: 'failed', error: { code: 'EVR_ERR_PLUGIN_INVALID_MANIFEST', message: 'invalid plugin manifest: the default export has no create function' } });
    return;
  }
  plugin = candidate as Plugin;
  const { name, version, core, aliases, configSchema, payloadSchema, outputs } = plugin;
  const meta: PluginMeta = { name, version, core, ...(aliases ? { aliases } : {}), ...(configSchema ? { configSchema } : {}), ...(payloadSchema ? { payloadSchema } : {}), ...(outputs ? { outputs } : {}) };
  try {
    post({ t: 'ready', plugin: meta });
  } catch (error) {
    post({ t: 'failed', error: { code: 'EVR_ERR_PLUGIN_INVALID_MANIFEST', message: `invalid plugin manifest: its schemas and outputs must be plain data (${serialize(error).message})` } });
  }
}

port?.on('message', (message: ToWorker) => {
  switch (message.t) {
    case 'create':
      void create(message.id, message.instance, message.config, message.route);
      break;
    case 'batch':
      void runBatch(message.id, message.items);
      break;
    case 'close':
      close(message.instance);
      break;
  }
});
void start();
