/**
 * Builds a router from a run config: resolves each adapter by type from the built-in adapters or an
 * installed package's `evrouteAdapters`, imports the plugin modules, and calls `createRouter`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import {
  coreAdapters,
  createRouter,
  EvrouteError,
  PluginLoader,
  type AdapterContext,
  type ConfigSource,
  type EvrouteAdapters,
  type DeadLetterSink,
  type Router,
  type RouterMetrics,
  type Sink,
  type Source,
} from '@evroute/core';
import { adminOptionsFromConfig, createAdmin, createAdminMetrics, type Admin, type PluginsProvider } from '@evroute/admin';
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

/**
 * The plugin loader of a run config's `plugins.dir`, not started, or undefined without one. Start it
 * before the router and close it after. Throws `EVR_ERR_CLI_CONFIG_INVALID` when a public key file cannot be read.
 */
export async function buildPluginLoader(config: RunConfig, configPath: string, router: Router): Promise<PluginLoader | undefined> {
  const plugins = config.plugins;
  if (!plugins?.dir) return undefined;
  const baseDir = dirname(resolve(configPath));
  const trust = plugins.trust ?? { policy: 'require-signature' as const };
  const publicKeys: string[] = [];
  for (const file of trust.publicKeys ?? []) {
    try {
      publicKeys.push(await readFile(resolve(baseDir, file), 'utf8'));
    } catch (cause) {
      throw new EvrouteError('EVR_ERR_CLI_CONFIG_INVALID', `plugins.trust.publicKeys: cannot read ${file}: ${(cause as Error).message}`, { cause });
    }
  }
  return new PluginLoader({
    dir: resolve(baseDir, plugins.dir),
    registry: router.registry,
    trust: { policy: trust.policy, publicKeys },
    logger: router.logger,
    ...(plugins.cacheDir ? { cacheDir: resolve(baseDir, plugins.cacheDir) } : {}),
    ...(plugins.isolation ? { isolation: plugins.isolation } : {}),
    ...(plugins.maxReloads ? { maxReloads: plugins.maxReloads } : {}),
    ...(plugins.keepVersions ? { keepVersions: plugins.keepVersions } : {}),
    ...(config.createTimeoutMs ? { createTimeoutMs: config.createTimeoutMs } : {}),
  });
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
  /** Timing hooks for the router (the admin metrics of `evroute run`). */
  readonly routerMetrics?: RouterMetrics;
  /** Filled with the built parts by name (`source`, `config`, `sink:<name>`, `dead-letter`, `service:<name>`). */
  readonly parts?: Record<string, unknown>;
}

/** Everything `evroute run` needs, built but not started. */
export async function buildRouter(config: RunConfig, configPath: string, logger?: Logger, overrides: BuildOverrides = {}): Promise<Router> {
  const ctx = contextOf(config, configPath, logger);
  const { logger: log, baseDir } = ctx;
  const sinks: Record<string, Sink> = {};
  for (const [name, spec] of Object.entries(config.sinks ?? {})) sinks[name] = await make('sinks', spec, ctx);
  const services: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(config.services ?? {})) services[name] = await make('services', spec, ctx);
  const source = overrides.source ?? (await make<Source>('sources', config.source, ctx));
  const configSource = (overrides.config ?? ((c: ConfigSource) => c))(await make('configSources', config.config, ctx));
  const deadLetter = config.deadLetter ? await make<DeadLetterSink>('deadLetterSinks', config.deadLetter, ctx) : undefined;
  if (overrides.parts) {
    Object.assign(overrides.parts, { source, config: configSource }, ...Object.entries(sinks).map(([n, s]) => ({ [`sink:${n}`]: s })));
    if (deadLetter) overrides.parts['dead-letter'] = deadLetter;
    for (const [n, service] of Object.entries(services)) overrides.parts[`service:${n}`] = service;
  }
  return createRouter({
    source,
    config: configSource,
    plugins: await loadPluginModules(config.plugins?.modules ?? [], baseDir),
    sinks,
    ...(config.outputs ? { outputs: config.outputs } : {}),
    ...(deadLetter ? { deadLetter } : {}),
    ...(overrides.routerMetrics ? { routerMetrics: overrides.routerMetrics } : {}),
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

/** The admin server of `evroute run`, in the order it needs: see {@link prepareAdmin}. */
export interface RunAdmin {
  /** Pass to `buildRouter`: the metrics' timing hooks, and the parts to check and read. */
  readonly overrides: BuildOverrides;
  /**
   * Creates and starts the admin server for the built router (and plugin loader). When it cannot
   * listen it logs the error and resolves, unless `admin.required` is true: then it rejects.
   */
  start(router: Router, loader?: PluginsProvider): Promise<void>;
  close(): Promise<void>;
}

/**
 * `evroute run`'s admin server (docs/guides/operations.md): its metrics exist before the router
 * (`overrides`), it starts once the router and loader are built, and closes after the router stops.
 * Does nothing when `admin.enabled` is false. The token defaults to `EVROUTE_ADMIN_TOKEN`.
 */
export function prepareAdmin(config: RunConfig, env: Readonly<Record<string, string | undefined>> = process.env): RunAdmin {
  if (config.admin?.enabled === false) return { overrides: {}, start: () => Promise.resolve(), close: () => Promise.resolve() };
  const metrics = createAdminMetrics({ defaultMetrics: true });
  const parts: Record<string, unknown> = {};
  let admin: Admin | undefined;
  return {
    overrides: { routerMetrics: metrics.routerMetrics, parts },
    async start(router, loader) {
      admin = createAdmin({ router, metrics, components: parts, ...(loader ? { plugins: loader } : {}), ...adminOptionsFromConfig(config.admin, env['EVROUTE_ADMIN_TOKEN']) });
      try {
        await admin.start();
      } catch (error) {
        if (config.admin?.required) {
          await admin.close();
          throw error;
        }
        router.logger.error({ err: error }, 'the admin server did not start; evroute runs without /metrics and the admin API (set admin.required to make this fatal)');
      }
    },
    close: async () => {
      await admin?.close();
    },
  };
}
