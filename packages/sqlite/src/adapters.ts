/**
 * The adapters of this package by name, for hosts (the CLI) that build them from a run config:
 * `evrouteAdapters.sinks.sqlite({ path: 'evroute.db' }, ctx)` and so on. Each factory checks its options
 * and throws a coded `EVR_ERR_SQLITE_*` error when they are wrong. A relative `path` is resolved against
 * the run config's folder (`ctx.baseDir`); an adapter without its own `logger` logs to a child of the
 * host's.
 */
import { isAbsolute, resolve } from 'node:path';
import type { AdapterContext, ConfigSource, DeadLetterSink, Sink } from '@evroute/core';
import type { SqliteDatabaseOptions } from './database.js';
import type { DimensionListLookup, DimensionLookup } from '@evroute/sql-common';
import { SqliteDimensionListLookup, SqliteDimensionLookup, type SqliteDimensionLookupOptions } from './dimension-lookup.js';
import { SqliteConfigSource, type SqliteConfigSourceOptions } from './sqlite-config-source.js';
import { SqliteDeadLetterSink, type SqliteDeadLetterSinkOptions } from './sqlite-dead-letter-sink.js';
import { SqliteSink, type SqliteSinkOptions } from './sqlite-sink.js';
import type { Logger } from './logger.js';

/** `options` with `path` resolved against the run config's folder and the host's logger by default. */
function inContext<O extends SqliteDatabaseOptions & { readonly logger?: Logger }>(options: O, ctx: AdapterContext | undefined, component: string): O {
  if (ctx === undefined) return options;
  const path = options.path;
  return {
    ...options,
    ...(path !== undefined && path !== ':memory:' && !isAbsolute(path) ? { path: resolve(ctx.baseDir, path) } : {}),
    ...(options.logger === undefined ? { logger: ctx.logger.child({ component }) } : {}),
  };
}

/** Adapter factories by kind and name. */
export interface SqliteAdapters {
  readonly sinks: { readonly sqlite: (options: SqliteSinkOptions, ctx?: AdapterContext) => Sink };
  readonly deadLetterSinks: { readonly sqlite: (options: SqliteDeadLetterSinkOptions, ctx?: AdapterContext) => DeadLetterSink };
  readonly configSources: { readonly sqlite: (options: SqliteConfigSourceOptions, ctx?: AdapterContext) => ConfigSource };
  readonly services: {
    readonly 'sqlite-lookup': (options: SqliteDimensionLookupOptions, ctx?: AdapterContext) => DimensionLookup;
    readonly 'sqlite-list-lookup': (options: SqliteDimensionLookupOptions, ctx?: AdapterContext) => DimensionListLookup;
  };
}

/** The SQLite adapters under the name `sqlite` in each kind, and the lookups as services. */
export const evrouteAdapters: SqliteAdapters = Object.freeze({
  sinks: Object.freeze({ sqlite: (options: SqliteSinkOptions, ctx?: AdapterContext) => new SqliteSink(inContext(options, ctx, 'sqlite-sink')) }),
  deadLetterSinks: Object.freeze({
    sqlite: (options: SqliteDeadLetterSinkOptions, ctx?: AdapterContext) => new SqliteDeadLetterSink(inContext(options, ctx, 'sqlite-dead-letter')),
  }),
  configSources: Object.freeze({
    sqlite: (options: SqliteConfigSourceOptions, ctx?: AdapterContext) => new SqliteConfigSource(inContext(options, ctx, 'sqlite-config')),
  }),
  services: Object.freeze({
    'sqlite-lookup': (options: SqliteDimensionLookupOptions, ctx?: AdapterContext) => new SqliteDimensionLookup(inContext(options, ctx, 'sqlite-lookup')),
    'sqlite-list-lookup': (options: SqliteDimensionLookupOptions, ctx?: AdapterContext) =>
      new SqliteDimensionListLookup(inContext(options, ctx, 'sqlite-lookup')),
  }),
});
