/**
 * The plugin loader: hot deployment from a watched folder (docs/guides/hot-deploy.md). For each bundle
 * dropped there it waits until the drop is complete, verifies the hashes and the trust policy, copies
 * the verified bytes into a content-addressed cache, imports the entry from there (in-process) or in a
 * worker thread (isolation `worker`), checks the default export and the core range, dry-runs `create`,
 * and registers the plugin. Registering makes a running router recompile its routing table: routes
 * naming the plugin move to the new version between two events, and the old instances are closed after
 * their in-flight events. Any failure keeps the previous version serving and is logged, counted and shown
 * by `list()` with its code. Removing a bundle unregisters its version.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { pino, type Logger } from 'pino';
import semver from 'semver';
import { EvrouteError, toEvrouteError } from './errors.js';
import { checkBundlePlugin, checkCoreRange, dryRunCreate, importDefault } from './hot-deploy/bundle-import.js';
import { TrustChecker } from './hot-deploy/bundle-trust.js';
import { ContentCache } from './hot-deploy/content-cache.js';
import { DropWatcher, scanBundles } from './hot-deploy/drop-watcher.js';
import { loaderDefaults, type BundleStatus, type PluginLoaderOptions, type PluginLoaderStats } from './hot-deploy/loader-types.js';
import { readBundle, type IsolationMode, type VerifiedBundle } from './plugin-bundle.js';
import type { RegisteredPlugin } from './plugin-registry.js';
import { definePlugin, type JsonSchema, type Plugin } from './plugin.js';
import { stableStringify } from './stable-hash.js';
import { WorkerPluginHost } from './worker-processor.js';

interface LoadedVersion {
  readonly name: string;
  readonly version: string;
  readonly path: string;
  readonly digest: string;
  readonly isolation: IsolationMode;
  /** Dropped once removed, so nothing of a removed version stays reachable from the loader. */
  plugin: Plugin | undefined;
  host: WorkerPluginHost | undefined;
  readonly signedBy: string | undefined;
  readonly loadedAt: number;
  state: 'loaded' | 'superseded' | 'removed';
}

interface Attempt {
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly digest: string | undefined;
  readonly state: 'pending' | 'refused';
  readonly error: { code: string; message: string; at: number };
}

/** Removed versions `list()` still shows. */
const REMOVED_HISTORY = 50;

/** Codes a drop still being copied produces; retried until the bundle settles. */
const UNSETTLED = new Set(['EVR_ERR_HOTDEPLOY_INCOMPLETE', 'EVR_ERR_HOTDEPLOY_HASH_MISMATCH', 'EVR_ERR_HOTDEPLOY_BUNDLE_INVALID']);

/** See the module comment. Start it before `router.start()` so the first routing table sees the folder's plugins. */
export class PluginLoader {
  readonly #o: PluginLoaderOptions;
  readonly #logger: Logger;
  readonly #trust: TrustChecker;
  readonly #cache: ContentCache;
  readonly #dir: string;
  readonly #watcher: DropWatcher | undefined;
  readonly #versions: LoadedVersion[] = [];
  readonly #attempts = new Map<string, Attempt>();
  readonly #settleFrom = new Map<string, number>();
  readonly #retries = new Map<string, NodeJS.Timeout>();
  readonly #imported = new Set<string>();
  readonly #schemas = new Map<string, JsonSchema>();
  readonly #refusedByCode = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  #counts = { loaded: 0, refused: 0, removed: 0 };
  #closed = false;

  /** Throws `EVR_ERR_OPTIONS_INVALID` for a bad trust policy or key. Nothing is read until `start()`. */
  constructor(options: PluginLoaderOptions) {
    this.#o = options;
    this.#dir = resolve(options.dir);
    this.#logger = (options.logger ?? pino({ name: 'evroute', level: 'info' }, pino.destination(2))).child({ component: 'plugin-loader' });
    this.#trust = new TrustChecker(options.trust);
    this.#cache = new ContentCache(options.cacheDir ?? join(this.#dir, '.cache'));
    const cacheInside = (path: string): boolean => path === this.#cache.dir || path.startsWith(this.#cache.dir + sep);
    this.#watcher = options.watch === false ? undefined : new DropWatcher({
      dir: this.#dir,
      ignore: cacheInside,
      debounceMs: options.debounceMs ?? loaderDefaults.debounceMs,
      onBundle: (path) => this.#report(path),
      onError: (error) => this.#logger.error({ err: error }, 'plugin folder watcher failed'),
    });
  }

  /** Prepares the cache, starts watching, and loads every bundle in the folder; resolves when each is loaded or refused. */
  async start(): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    if (!(await this.#cache.prepare())) this.#logger.warn({ cacheDir: this.#cache.dir }, 'the @evroute/core package folder was not found: bundles that import @evroute/core will fail to import');
    if (this.#trust.policy !== 'require-signature') this.#logger.warn({ policy: this.#trust.policy, dir: this.#dir }, `plugin trust policy is ${this.#trust.policy}: unsigned bundles dropped into the folder will run; use require-signature in production`);
    await this.#watcher?.start();
    await this.rescan();
    this.#logger.info({ dir: this.#dir, plugins: this.list().filter((s) => s.state === 'loaded').length, watching: this.#watcher !== undefined }, 'plugin loader started');
  }

  /**
   * Looks at every bundle in the folder now, including bundles refused before (to retry one whose `create`
   * failed on something outside it), and for folders where file events are unreliable. Resolves when each
   * bundle is loaded or refused.
   */
  async rescan(): Promise<void> {
    const present = new Set(await scanBundles(this.#dir));
    for (const v of this.#versions) if (v.state !== 'removed') present.add(v.path);
    for (const path of present) {
      this.#settleFrom.set(path, Date.now());
      for (let attempt = 0; (await this.#enqueue(path, true)) === 'retry'; attempt++) await new Promise((r) => setTimeout(r, backoff(attempt)));
    }
  }

  /** Stops watching and terminates plugin workers. Call it after `router.stop()`: isolated plugins stop serving. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#watcher?.close();
    for (const timer of this.#retries.values()) clearTimeout(timer);
    this.#retries.clear();
    await this.#queue;
    await Promise.allSettled(this.#versions.flatMap((v) => (v.host ? [v.host.terminate()] : [])));
  }

  /** Every bundle version seen, by path then version: loaded, superseded, removed, pending or refused (with its error). */
  list(): BundleStatus[] {
    const rows: BundleStatus[] = this.#versions.map((v) => ({
      path: v.path, name: v.name, version: v.version, state: v.state, sha256: v.digest,
      isolation: v.isolation, signedBy: v.signedBy, loadedAt: v.loadedAt, error: undefined,
      threadId: v.host && v.host.threadId >= 0 ? v.host.threadId : undefined,
    }));
    for (const [path, a] of this.#attempts) {
      rows.push({ path, name: a.name, version: a.version, state: a.state, sha256: a.digest, isolation: undefined, signedBy: undefined, threadId: undefined, loadedAt: undefined, error: a.error });
    }
    return rows.sort((a, b) => a.path.localeCompare(b.path) || (a.version ?? '').localeCompare(b.version ?? ''));
  }

  /** Counters: loads, refusals by code, removals, and in-process module loads against the limit. */
  stats(): PluginLoaderStats {
    return { ...this.#counts, refusedByCode: Object.fromEntries(this.#refusedByCode), inProcessLoads: this.#imported.size, maxReloads: this.#maxReloads() };
  }

  #maxReloads(): number {
    return this.#o.maxReloads ?? loaderDefaults.maxReloads;
  }

  /** A file event for a bundle: (re)start its settle window and look at it. */
  #report(path: string): void {
    if (this.#closed) return;
    this.#settleFrom.set(path, Date.now());
    clearTimeout(this.#retries.get(path));
    this.#retries.delete(path);
    const run = (attempt: number): void => {
      this.#enqueue(path).then(
        (outcome) => {
          if (outcome !== 'retry' || this.#closed) return;
          this.#retries.set(path, setTimeout(() => (this.#retries.delete(path), run(attempt + 1)), backoff(attempt)));
        },
        (error: unknown) => this.#logger.error({ err: error, path }, 'plugin bundle check failed'),
      );
    };
    run(0);
  }

  #enqueue(path: string, force = false): Promise<'retry' | 'done'> {
    const next = this.#queue.then(() => this.#check(path, force));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Looks at one bundle. Content already refused is not tried again on file events, only when `force`d (rescan). */
  async #check(path: string, force: boolean): Promise<'retry' | 'done'> {
    if (this.#closed) return 'done';
    if (!existsSync(path)) {
      this.#remove(path);
      return 'done';
    }
    let bundle: VerifiedBundle | undefined;
    try {
      bundle = await readBundle(path);
      if (this.#versions.some((v) => v.path === path && v.digest === bundle!.digest && v.state === 'loaded')) return this.#settled(path);
      const last = this.#attempts.get(path);
      if (!force && last?.state === 'refused' && last.digest === bundle.digest) return 'done';
      await this.#load(bundle);
      return this.#settled(path);
    } catch (error) {
      const coded = toEvrouteError(error, 'EVR_ERR_HOTDEPLOY_IMPORT_FAILED');
      const manifest = bundle?.manifest;
      const base = { name: manifest?.name ?? coded.context.plugin, version: manifest?.version ?? coded.context.pluginVersion, digest: bundle?.digest };
      const settling = UNSETTLED.has(coded.code) && Date.now() - (this.#settleFrom.get(path) ?? 0) < (this.#o.settleMs ?? loaderDefaults.settleMs);
      const at = Date.now();
      if (settling) {
        this.#attempts.set(path, { ...base, state: 'pending', error: { code: coded.code, message: coded.message, at } });
        return 'retry';
      }
      this.#attempts.set(path, { ...base, state: 'refused', error: { code: coded.code, message: coded.message, at } });
      this.#settleFrom.delete(path);
      this.#counts.refused++;
      this.#refusedByCode.set(coded.code, (this.#refusedByCode.get(coded.code) ?? 0) + 1);
      const serving = this.#loaded(base.name ?? '').map((v) => v.version);
      this.#logger.error({ err: coded, code: coded.code, path, plugin: base.name, pluginVersion: base.version, serving }, `plugin bundle refused: ${coded.message}`);
      return 'done';
    }
  }

  #settled(path: string): 'done' {
    this.#attempts.delete(path);
    this.#settleFrom.delete(path);
    return 'done';
  }

  #loaded(name: string): LoadedVersion[] {
    return this.#versions.filter((v) => v.name === name && v.state === 'loaded').sort((a, b) => semver.rcompare(a.version, b.version));
  }

  async #load(bundle: VerifiedBundle): Promise<void> {
    const { manifest, digest, manifestPath: path } = bundle;
    const id = `${manifest.name}@${manifest.version}`;
    const same = this.#versions.find((v) => v.name === manifest.name && v.version === manifest.version && v.state !== 'removed');
    if (same && same.digest !== digest) {
      throw new EvrouteError('EVR_ERR_HOTDEPLOY_VERSION_CONFLICT', `${id} is already loaded (from ${same.path}) with other content; give the new bundle a new version`, { context: { plugin: manifest.name, pluginVersion: manifest.version } });
    }
    const trust = this.#trust.check(manifest);
    checkCoreRange(id, manifest.core);
    const isolation: IsolationMode = manifest.isolation === 'worker' || this.#o.isolation === 'worker' ? 'worker' : 'in-process';
    const newer = this.#loaded(manifest.name).filter((v) => semver.gt(v.version, manifest.version)).length;
    const keep = this.#o.keepVersions ?? loaderDefaults.keepVersions;
    const url = await this.#cache.store(bundle);
    let host: WorkerPluginHost | undefined;
    let registered: RegisteredPlugin;
    try {
      if (isolation === 'worker') {
        host = await WorkerPluginHost.start(url, this.#logger, this.#o.worker ?? {});
        registered = checkBundlePlugin(this.#intern(host.plugin), manifest);
      } else {
        if (!this.#imported.has(url) && this.#imported.size >= this.#maxReloads()) throw this.#limitReached(id);
        this.#imported.add(url);
        registered = checkBundlePlugin(this.#intern(await importDefault(url, id)), manifest);
      }
      if (this.#o.dryRunCreate !== false && (await dryRunCreate(registered, { timeoutMs: this.#o.createTimeoutMs ?? loaderDefaults.createTimeoutMs, logger: this.#logger })) === 'skipped') {
        this.#logger.debug({ plugin: id }, 'create dry run skipped: the config schema has required keys without defaults');
      }
    } catch (error) {
      await host?.terminate();
      throw error;
    }
    if (trust.warning) this.#logger.warn({ plugin: manifest.name, pluginVersion: manifest.version, path }, trust.warning);
    const version: LoadedVersion = {
      name: manifest.name, version: manifest.version, path, digest, isolation, plugin: registered.plugin, host,
      signedBy: trust.signedBy, loadedAt: Date.now(), state: newer >= keep ? 'superseded' : 'loaded',
    };
    if (same) this.#versions.splice(this.#versions.indexOf(same), 1);
    this.#versions.push(version);
    this.#counts.loaded++;
    if (version.state === 'superseded') {
      host?.retire();
      this.#logger.warn({ plugin: id, path, keepVersions: keep }, `${id} is older than the ${keep} newest loaded versions: not registered`);
      return;
    }
    this.#o.registry.register(registered.plugin);
    const from = this.#loaded(manifest.name).find((v) => v !== version)?.version;
    this.#logger.info({ plugin: manifest.name, pluginVersion: manifest.version, from, sha256: digest, isolation, signedBy: trust.signedBy, inProcessLoads: this.#imported.size, path }, `plugin ${id} loaded`);
    for (const old of this.#loaded(manifest.name).slice(keep)) {
      old.state = 'superseded';
      this.#o.registry.unregister(old.name, old.version);
      old.host?.retire();
      this.#logger.info({ plugin: old.name, pluginVersion: old.version, keepVersions: keep }, `plugin ${old.name}@${old.version} superseded and unregistered`);
    }
    const limit = this.#maxReloads();
    if (isolation === 'in-process' && this.#imported.size === Math.ceil(limit * 0.8)) {
      this.#logger.warn({ inProcessLoads: this.#imported.size, maxReloads: limit }, 'in-process plugin loads are at 80% of maxReloads: plan a rolling restart, or use worker isolation for plugins reloaded often');
    }
  }

  #limitReached(id: string): EvrouteError {
    const limit = this.#maxReloads();
    const error = new EvrouteError('EVR_ERR_HOTDEPLOY_RELOAD_LIMIT', `${id} not loaded: this process made ${limit} in-process plugin loads (maxReloads). Node keeps every imported module until the process exits, so restart the process (a rolling restart) to reclaim that memory, raise maxReloads, or use isolation 'worker' for plugins that are reloaded often`, { context: { plugin: id } });
    this.#logger.warn({ maxReloads: limit }, error.message);
    return error;
  }

  /** The bundle at `path` is gone: unregister the versions it provided. */
  #remove(path: string): void {
    this.#attempts.delete(path);
    this.#settleFrom.delete(path);
    // Keep the history of removed versions bounded: a long-running process may see thousands.
    const removed = this.#versions.filter((x) => x.state === 'removed');
    for (const old of removed.slice(0, Math.max(0, removed.length - REMOVED_HISTORY))) this.#versions.splice(this.#versions.indexOf(old), 1);
    for (const v of this.#versions.filter((x) => x.path === path && x.state !== 'removed')) {
      const wasLoaded = v.state === 'loaded';
      v.state = 'removed';
      this.#counts.removed++;
      v.host?.retire();
      v.host = undefined;
      v.plugin = undefined;
      if (!wasLoaded) continue;
      this.#o.registry.unregister(v.name, v.version);
      const next = this.#loaded(v.name)[0];
      if (next) this.#logger.warn({ plugin: v.name, pluginVersion: v.version, path, now: next.version }, `plugin bundle ${v.name}@${v.version} removed: routes naming ${v.name} now use ${next.version}`);
      else this.#logger.error({ plugin: v.name, pluginVersion: v.version, path, code: 'EVR_ERR_CONFIG_UNKNOWN_PROCESSOR' }, `plugin bundle ${v.name}@${v.version} removed and no other version is loaded: routes naming ${v.name} are refused and their events follow the unmatched policy`);
    }
  }

  /** Same schema text → same object, so the registry's ajv reuses compiled validators across reloads. */
  #intern(candidate: unknown): unknown {
    if (typeof candidate !== 'object' || candidate === null) return candidate;
    const plugin = candidate as Plugin;
    const intern = (schema: JsonSchema | undefined): JsonSchema | undefined => {
      if (schema === undefined || typeof schema !== 'object') return schema;
      const key = stableStringify(schema);
      const known = this.#schemas.get(key);
      if (known) return known;
      this.#schemas.set(key, schema);
      return schema;
    };
    if (typeof plugin.create !== 'function' || (!plugin.configSchema && !plugin.payloadSchema)) return candidate;
    const configSchema = intern(plugin.configSchema);
    const payloadSchema = intern(plugin.payloadSchema);
    return definePlugin({ ...plugin, ...(configSchema ? { configSchema } : {}), ...(payloadSchema ? { payloadSchema } : {}) });
  }
}

function backoff(attempt: number): number {
  return Math.min(25 * 2 ** attempt, 400);
}

