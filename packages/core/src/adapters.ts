/**
 * The convention by which the CLI (and any host) finds adapters by name: an adapter package exports
 * `evrouteAdapters`, a table of factories by type name. `{ "type": "kafka" }` in a run config resolves
 * to `import('@evroute/kafka').evrouteAdapters.sources.kafka(options, ctx)`.
 */
import type { Logger } from 'pino';
import type { ConfigSource } from './config-source.js';
import type { DeadLetterReader, DeadLetterSink, Sink } from './sink.js';
import type { Source } from './source.js';

/** What a factory receives besides its options. */
export interface AdapterContext {
  readonly logger: Logger;
  /** The folder relative paths in options are resolved against (the run config's folder). */
  readonly baseDir: string;
}

/** Makes one adapter from its options (validated by the factory itself; throw a coded error when bad). */
export type AdapterFactory<T> = (options: Readonly<Record<string, unknown>>, ctx: AdapterContext) => T | Promise<T>;

/** The table an adapter package exports as `evrouteAdapters`. */
export interface EvrouteAdapters {
  readonly sources?: Readonly<Record<string, AdapterFactory<Source>>>;
  readonly sinks?: Readonly<Record<string, AdapterFactory<Sink>>>;
  readonly deadLetterSinks?: Readonly<Record<string, AdapterFactory<DeadLetterSink>>>;
  readonly configSources?: Readonly<Record<string, AdapterFactory<ConfigSource>>>;
  /** Services for plugins (e.g. dimension lookups), registered under a name in `services`. */
  readonly services?: Readonly<Record<string, AdapterFactory<unknown>>>;
  /** Readers of a dead-letter store, keyed like `deadLetterSinks` and given the same options. */
  readonly deadLetterReaders?: Readonly<Record<string, AdapterFactory<DeadLetterReader>>>;
}
