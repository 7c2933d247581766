/**
 * Starting a plugin worker thread (for worker-processor.ts), counting the running ones, and turning
 * errors that crossed the thread boundary back into coded errors.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { EvrouteError, type ErrorCode } from '../errors.js';
import type { WorkerIsolationOptions } from '../worker-processor.js';
import type { FromWorker, PluginMeta, SerializedError, WorkerStartData } from './worker-protocol.js';

/** The defaults of `workerDefaults` (worker-processor.ts) that starting a worker needs. */
const START_TIMEOUT_MS = 10_000;
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256 } as const;

/** Worker threads started by any host and not exited yet. */
let running = 0;

/** Plugin worker threads started and not exited yet. */
export function runningWorkers(): number {
  return running;
}

// From dist the worker runs worker-entry.js; from the sources (tests) Node runs the .ts file itself.
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? '../worker-entry.ts' : '../worker-entry.js', import.meta.url);

/** An error that crossed the thread boundary, as a coded error again (`fallback` when it had no code). */
export function revive(error: SerializedError, fallback: ErrorCode): Error {
  const revived = error.code
    ? new EvrouteError(error.code as ErrorCode, error.message, error.retriable === undefined ? {} : { retriable: error.retriable })
    : Object.assign(new Error(error.message), { name: error.name ?? 'Error' });
  if (error.stack) revived.stack = error.stack;
  return error.code || fallback === 'EVR_ERR_PROCESSOR_FAILED' ? revived : new EvrouteError(fallback, error.message, { cause: revived });
}

/**
 * Starts a worker that imports the bundle at `entryUrl`; resolves with it once it reported the manifest's
 * data. Rejects with the worker's coded error, or `EVR_ERR_HOTDEPLOY_WORKER_CRASHED` when it dies or does
 * not answer within `startTimeoutMs`.
 */
export function spawnPluginWorker(entryUrl: string, logger: Logger, options: WorkerIsolationOptions): Promise<{ worker: Worker; meta: PluginMeta }> {
  const workerData: WorkerStartData = { entryUrl, logLevel: logger.level };
  const worker = new Worker(ENTRY, {
    workerData,
    resourceLimits: options.resourceLimits ?? RESOURCE_LIMITS,
    ...(options.execArgv ? { execArgv: [...options.execArgv] } : {}),
  });
  running++;
  worker.once('exit', () => running--);
  const timeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      cleanup();
      worker.terminate().catch(() => undefined);
      reject(error);
    };
    const timer = setTimeout(() => fail(new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `the plugin worker did not start within ${timeoutMs} ms (${entryUrl})`)), timeoutMs);
    const onMessage = (message: FromWorker): void => {
      if (message.t === 'ready') {
        cleanup();
        resolve({ worker, meta: message.plugin });
      } else if (message.t === 'failed') fail(revive(message.error, 'EVR_ERR_HOTDEPLOY_IMPORT_FAILED'));
    };
    const onError = (error: Error): void => fail(new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `the plugin worker failed while starting: ${error.message}`, { cause: error }));
    const onExit = (code: number): void => fail(new EvrouteError('EVR_ERR_HOTDEPLOY_WORKER_CRASHED', `the plugin worker exited with code ${code} while starting`));
    const cleanup = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}
