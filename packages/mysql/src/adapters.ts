/**
 * The adapters of this package by name, for hosts (the CLI) that build them from a run config:
 * `evrouteAdapters.sinks.mysql({ connection: { url } }, ctx)` and so on. Each factory checks its options
 * and throws a coded `EVR_ERR_MYSQL_*` error when they are wrong; none connects before it is used. An
 * adapter without its own `logger` logs to a child of the host's (`ctx.logger`).
 */
import type { AdapterContext, ConfigSource, DeadLetterSink, Sink } from '@evroute/core';
import type { DimensionListLookup, DimensionLookup } from '@evroute/sql-common';
import { MySqlDimensionListLookup, MySqlDimensionLookup, type MySqlDimensionLookupOptions } from './dimension-lookup.js';
import { MySqlConfigSource, type MySqlConfigSourceOptions } from './mysql-config-source.js';
import { MySqlDeadLetterSink, type MySqlDeadLetterSinkOptions } from './mysql-dead-letter-sink.js';
import { MySqlSink, type MySqlSinkOptions } from './mysql-sink.js';
import type { Logger } from './logger.js';

/** `options` with the host's logger (a child naming the component) unless it has its own. */
function withLogger<O extends { readonly logger?: Logger }>(options: O, ctx: AdapterContext | undefined, component: string): O {
  if (options.logger !== undefined || ctx === undefined) return options;
  return { ...options, logger: ctx.logger.child({ component }) };
}

/** Adapter factories by kind and name. */
export interface MySqlAdapters {
  readonly sinks: { readonly mysql: (options: MySqlSinkOptions, ctx?: AdapterContext) => Sink };
  readonly deadLetterSinks: { readonly mysql: (options: MySqlDeadLetterSinkOptions, ctx?: AdapterContext) => DeadLetterSink };
  readonly configSources: { readonly mysql: (options: MySqlConfigSourceOptions, ctx?: AdapterContext) => ConfigSource };
  readonly services: {
    readonly 'mysql-lookup': (options: MySqlDimensionLookupOptions, ctx?: AdapterContext) => DimensionLookup;
    readonly 'mysql-list-lookup': (options: MySqlDimensionLookupOptions, ctx?: AdapterContext) => DimensionListLookup;
  };
}

/** The MySQL adapters under the name `mysql` in each kind, and the lookups as services. */
export const evrouteAdapters: MySqlAdapters = Object.freeze({
  sinks: Object.freeze({ mysql: (options: MySqlSinkOptions, ctx?: AdapterContext) => new MySqlSink(withLogger(options, ctx, 'mysql-sink')) }),
  deadLetterSinks: Object.freeze({
    mysql: (options: MySqlDeadLetterSinkOptions, ctx?: AdapterContext) => new MySqlDeadLetterSink(withLogger(options, ctx, 'mysql-dead-letter')),
  }),
  configSources: Object.freeze({
    mysql: (options: MySqlConfigSourceOptions, ctx?: AdapterContext) => new MySqlConfigSource(withLogger(options, ctx, 'mysql-config')),
  }),
  services: Object.freeze({
    'mysql-lookup': (options: MySqlDimensionLookupOptions, ctx?: AdapterContext) => new MySqlDimensionLookup(withLogger(options, ctx, 'mysql-lookup')),
    'mysql-list-lookup': (options: MySqlDimensionLookupOptions, ctx?: AdapterContext) =>
      new MySqlDimensionListLookup(withLogger(options, ctx, 'mysql-lookup')),
  }),
});
