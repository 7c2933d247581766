/**
 * The messages between a worker-isolated plugin's host (`worker-processor.ts`, router thread) and its
 * worker (`worker-entry.ts`). Types only: the worker entry imports nothing at run time but Node itself.
 */
import type { Event } from '../event.js';
import type { JsonSchema, OutputSpec } from '../plugin.js';

/** What the worker is started with. */
export interface WorkerStartData {
  /** The `file:` URL of the bundle's entry module in the content cache. */
  readonly entryUrl: string;
  /** The lowest pino level name the host logs; the worker does not send what would be dropped. */
  readonly logLevel: string;
}

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  readonly code?: string;
  readonly message: string;
  readonly retriable?: boolean;
  readonly name?: string;
  readonly stack?: string;
}

/** The data part of a plugin manifest: everything but `create`, which stays in the worker. */
export interface PluginMeta {
  readonly name: string;
  readonly version: string;
  readonly core: string;
  readonly aliases?: readonly string[];
  readonly configSchema?: JsonSchema;
  readonly payloadSchema?: JsonSchema;
  readonly outputs?: Readonly<Record<string, OutputSpec>>;
}

/** The route an instance serves. */
export interface RouteRef {
  readonly id: string;
  readonly domain: string;
  readonly eventType: string;
}

/** One event of a batch, for one instance. */
export interface BatchItem {
  readonly instance: number;
  readonly event: Event;
  readonly configVersion: number;
}

/** The outcome of one batch item. */
export type BatchResult = { readonly ok: true; readonly outputs: unknown } | { readonly ok: false; readonly error: SerializedError };

/** Host → worker. */
export type ToWorker =
  | { readonly t: 'create'; readonly id: number; readonly instance: number; readonly config: unknown; readonly route: RouteRef }
  | { readonly t: 'batch'; readonly id: number; readonly items: readonly BatchItem[] }
  | { readonly t: 'close'; readonly instance: number };

/** A log line or metric a plugin emitted in the worker. */
export type Telemetry =
  | { readonly t: 'log'; readonly instance: number; readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; readonly obj: unknown; readonly msg?: string }
  | { readonly t: 'metric'; readonly instance: number; readonly kind: 'increment' | 'observe'; readonly name: string; readonly value: number; readonly labels?: Readonly<Record<string, string>> };

/** Worker → host. */
export type FromWorker =
  | { readonly t: 'ready'; readonly plugin: PluginMeta }
  | { readonly t: 'failed'; readonly error: SerializedError }
  | { readonly t: 'created'; readonly id: number }
  | { readonly t: 'create-failed'; readonly id: number; readonly error: SerializedError }
  | { readonly t: 'batch'; readonly id: number; readonly results: readonly BatchResult[] }
  | Telemetry;
