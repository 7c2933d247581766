/**
 * The checks between a verified bundle and a registered plugin: the core range, the import, the default
 * export, the manifest, and a time-boxed dry run of `create`. Each failure has its own code, so the
 * plugin list says exactly why a bundle was refused.
 */
import semver from 'semver';
import type { Logger } from 'pino';
import { EvrouteError, isEvrouteError, toEvrouteError } from '../errors.js';
import type { BundleManifest } from '../plugin-bundle.js';
import { checkPlugin, type RegisteredPlugin } from '../plugin-registry.js';
import type { CreateContext, EventProcessor } from '../plugin.js';
import { CORE_VERSION } from '../version.js';

/** Throws `EVR_ERR_PLUGIN_CORE_RANGE` when `range` is not a semver range `coreVersion` satisfies. */
export function checkCoreRange(id: string, range: string, coreVersion: string = CORE_VERSION): void {
  if (semver.validRange(range) && semver.satisfies(coreVersion, range, { includePrerelease: true })) return;
  throw new EvrouteError('EVR_ERR_PLUGIN_CORE_RANGE', `${id} needs @evroute/core ${range}, this is ${coreVersion}; rebuild the plugin against this core or run a matching core`, {
    context: { plugin: id, core: range, coreVersion },
  });
}

/**
 * Imports a bundle's entry module and returns its default export. Throws
 * `EVR_ERR_HOTDEPLOY_IMPORT_FAILED` when the import fails (syntax error, top-level throw, missing
 * module) and `EVR_ERR_HOTDEPLOY_NO_DEFAULT_EXPORT` when there is no default export.
 */
export async function importDefault(url: string, id: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new EvrouteError('EVR_ERR_HOTDEPLOY_IMPORT_FAILED', `${id}: importing ${url} failed: ${(error as Error).message ?? String(error)}`, { cause: error, context: { plugin: id } });
  }
  if (mod['default'] === undefined) {
    const names = Object.keys(mod).join(', ') || 'none';
    throw new EvrouteError('EVR_ERR_HOTDEPLOY_NO_DEFAULT_EXPORT', `${id}: the entry module has no default export (it exports: ${names}); \`export default definePlugin({...})\``, { context: { plugin: id } });
  }
  return mod['default'];
}

/**
 * Checks a bundle's default export against its manifest: core range (`EVR_ERR_PLUGIN_CORE_RANGE`),
 * manifest shape and schemas (`EVR_ERR_PLUGIN_INVALID_MANIFEST`), and that it is the name and version
 * `plugin.json` declares (`EVR_ERR_HOTDEPLOY_MANIFEST_MISMATCH`). Returns the registry's view of it.
 */
export function checkBundlePlugin(candidate: unknown, manifest: BundleManifest): RegisteredPlugin {
  const id = `${manifest.name}@${manifest.version}`;
  const declared = candidate as { core?: unknown } | null;
  if (typeof declared === 'object' && declared !== null && typeof declared.core === 'string') checkCoreRange(id, declared.core);
  const registered = checkPlugin(candidate);
  const { name, version } = registered.plugin;
  if (name !== manifest.name || version !== manifest.version) {
    throw new EvrouteError('EVR_ERR_HOTDEPLOY_MANIFEST_MISMATCH', `plugin.json declares ${id} but the entry module exports ${name}@${version}; pack it again`, {
      context: { plugin: manifest.name, pluginVersion: manifest.version },
    });
  }
  return registered;
}

/** A config for a dry run: `{}` with the schema's defaults, or undefined when `{}` fails the schema. */
export function sampleConfig(registered: RegisteredPlugin): { config: unknown } | undefined {
  const config = {};
  if (registered.validateConfig && !registered.validateConfig(config)) return undefined;
  return { config };
}

const noMetrics = { increment: () => undefined, observe: () => undefined };
const noServices = { get: () => undefined, has: () => false };

/**
 * Calls the plugin's `create` once with its default config (time-boxed), then closes the instance, so a
 * plugin whose `create` throws is refused before any route sees it. Resolves `skipped` when the config
 * schema has required keys without defaults. Throws `EVR_ERR_PLUGIN_CREATE_FAILED`.
 */
export async function dryRunCreate(registered: RegisteredPlugin, options: { timeoutMs: number; logger: Logger }): Promise<'ran' | 'skipped'> {
  const sample = sampleConfig(registered);
  if (!sample) return 'skipped';
  const controller = new AbortController();
  const context: CreateContext = {
    logger: options.logger.child({ plugin: registered.plugin.name, pluginVersion: registered.plugin.version, dryRun: true }),
    metrics: noMetrics,
    services: noServices,
    signal: controller.signal,
    route: { id: 'dry-run', domain: 'dry-run', eventType: 'dry-run' },
  };
  let timer: NodeJS.Timeout | undefined;
  const creating = Promise.resolve().then(() => registered.plugin.create(sample.config, context));
  try {
    const instance = (await Promise.race([
      creating,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`create did not finish within ${options.timeoutMs} ms`)), options.timeoutMs);
      }),
    ])) as EventProcessor | undefined;
    if (typeof instance?.process !== 'function') throw new Error('create must return an object with a process(event, ctx) method');
    controller.abort();
    await instance.close?.();
    return 'ran';
  } catch (error) {
    controller.abort();
    creating.then((late) => late?.close?.(), () => undefined).catch(() => undefined);
    if (isEvrouteError(error) && error.code === 'EVR_ERR_PLUGIN_CREATE_FAILED') throw error;
    const why = toEvrouteError(error, 'EVR_ERR_PLUGIN_CREATE_FAILED').message;
    throw new EvrouteError('EVR_ERR_PLUGIN_CREATE_FAILED', `${registered.id} create failed on a dry run with its default config: ${why}`, {
      cause: error,
      context: { plugin: registered.plugin.name, pluginVersion: registered.plugin.version },
    });
  } finally {
    clearTimeout(timer);
  }
}
