/**
 * Builds a router from a run config: resolves each adapter by type from the built-in adapters or an
 * installed package's `evrouteAdapters`, imports the plugin modules, and calls `createRouter`.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import {
  coreAdapters,
  createRouter,
  EvrouteError,
  type AdapterContext,
  type ConfigSource,
  type EvrouteAdapters,
  type Router,
  type Sink,
  type Source,
} from '@evroute/core';
import type { AdapterSpec, RunConfig } from './run-config-schema.js';

type Kind = keyof EvrouteAdapters;

/** Imports a module given as a package name or a path relative to `baseDir`. */
async function importSpecifier(specifier: string, baseDir: string): Promise<Record<string, unknown>> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  const target = isPath ? pathToFileURL(resolve(baseDir, specifier)).href : specifier;
  return (await import(target)) as Record<string, unknown>;
}

/** Finds the factory for one adapter spec. */
async function factoryFor(kind: Kind, spec: AdapterSpec, baseDir: string): Promise<NonNullable<EvrouteAdapters[Kind]>[string]> {
  const builtIn = coreAdapters[kind]?.[spec.type];
  if (builtIn && !spec.package) return builtIn;
  const pkg = spec.package ?? `@evroute/${spec.type}`;
  let mod: Record<string, unknown>;
  try {
    mod = await importSpecifier(pkg, baseDir);
  } catch (cause) {
    throw new EvrouteError('EVR_ERR_CLI_ADAPTER_NOT_FOUND', `adapter '${spec.type}' (${kind}): cannot import ${pkg}: ${(cause as Error).message}. Install it next to evroute, or set "package".`, { cause });
  }
  const table = mod['evrouteAdapters'] as EvrouteAdapters | undefined;
  const factory = table?.[kind]?.[spec.type];
  if (!factory) {
    const offered = Object.keys(table?.[kind] ?? {}).join(', ') || 'none';
    throw new EvrouteError('EVR_ERR_CLI_ADAPTER_NOT_FOUND', `${pkg} has no ${kind} adapter '${spec.type}' (it offers: ${offered})`);
  }
  return factory;
}

/** Builds one adapter of a kind from its spec (type, package, options). */
export async function make<T>(kind: Kind, spec: AdapterSpec, ctx: AdapterContext): Promise<T> {
  const factory = await factoryFor(kind, spec, ctx.baseDir);
  return (await factory(spec.options ?? {}, ctx)) as T;
}

/** Imports plugin modules and returns their default exports. */
export async function loadPluginModules(modules: readonly string[], baseDir: string): Promise<unknown[]> {
  const plugins: unknown[] = [];
  for (const specifier of modules) {
    try {
      const mod = await importSpecifier(specifier, baseDir);
      if (!mod['default']) throw new Error('the module has no default export');
      plugins.push(mod['default']);
    } catch (cause) {
      throw new EvrouteError('EVR_ERR_CLI_PLUGIN_LOAD', `plugin module ${specifier}: ${(cause as Error).message}`, { cause });
    }
  }
  return plugins;
}

/** The adapter context of a run config: its folder and a logger at its level. */
export function contextOf(config: RunConfig, configPath: string, logger?: Logger): AdapterContext {
  const log = logger ?? pino({ name: 'evroute', level: config.logLevel ?? 'info' }, pino.destination(2));
  return { logger: log, baseDir: dirname(resolve(configPath)) };
}

/** Replacements for parts of a run config, e.g. the replay source of `evroute dlq replay`. */
export interface BuildOverrides {
  readonly source?: Source;
  readonly config?: (built: ConfigSource) => ConfigSource;
}

/** Everything `evroute run` needs, built but not started. */
export async function buildRouter(config: RunConfig, configPath: string, logger?: Logger, overrides: BuildOverrides = {}): Promise<Router> {
  const ctx = contextOf(config, configPath, logger);
  const { logger: log, baseDir } = ctx;
  const sinks: Record<string, Sink> = {};
  for (const [name, spec] of Object.entries(config.sinks ?? {})) sinks[name] = await make('sinks', spec, ctx);
  const services: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(config.services ?? {})) services[name] = await make('services', spec, ctx);
  return createRouter({
    source: overrides.source ?? (await make('sources', config.source, ctx)),
    config: (overrides.config ?? ((c: ConfigSource) => c))(await make('configSources', config.config, ctx)),
    plugins: await loadPluginModules(config.plugins?.modules ?? [], baseDir),
    sinks,
    ...(config.outputs ? { outputs: config.outputs } : {}),
    ...(config.deadLetter ? { deadLetter: await make('deadLetterSinks', config.deadLetter, ctx) } : {}),
    services: { shared: services },
    logger: log,
    ...(config.unmatched ? { unmatched: config.unmatched } : {}),
    ...(config.configPolicy ? { configPolicy: config.configPolicy } : {}),
    ...(config.batch ? { batch: config.batch } : {}),
    ...(config.batchSizes ? { batchSizes: config.batchSizes } : {}),
    ...(config.maxInFlight ? { maxInFlight: config.maxInFlight } : {}),
    ...(config.maxEventBytes ? { maxEventBytes: config.maxEventBytes } : {}),
    ...(config.createTimeoutMs ? { createTimeoutMs: config.createTimeoutMs } : {}),
    ...(config.stopTimeoutMs ? { stopTimeoutMs: config.stopTimeoutMs } : {}),
  });
}
