/** The options, list rows and counters of the plugin loader (plugin-loader.ts). */
import type { Logger } from 'pino';
import type { IsolationMode } from '../plugin-bundle.js';
import type { PluginRegistry } from '../plugin-registry.js';
import type { WorkerIsolationOptions } from '../worker-processor.js';
import type { TrustOptions } from './bundle-trust.js';

/** Settings of a {@link PluginLoader}. Only `dir`, `registry` and `trust` are required. */
export interface PluginLoaderOptions {
  /** The watched folder bundles are dropped into (created if missing). */
  readonly dir: string;
  /** Where loaded plugins are registered: `router.registry`. Registering swaps routes live. */
  readonly registry: PluginRegistry;
  /** Which bundles may run (see `TrustPolicy`). */
  readonly trust: TrustOptions;
  /** The content-addressed copy plugins are imported from (default `<dir>/.cache`). Same filesystem as `dir` is best. */
  readonly cacheDir?: string;
  /** Default: pino at `info` on stderr. */
  readonly logger?: Logger;
  /**
   * Most in-process module loads in this process (default 200). Each one keeps its module in memory until
   * the process exits; past the limit bundles are refused with `EVR_ERR_HOTDEPLOY_RELOAD_LIMIT`.
   */
  readonly maxReloads?: number;
  /** Versions of one plugin kept registered, newest first (default 2: the current one and one to fall back to). */
  readonly keepVersions?: number;
  /** How long the dry run of `create` may take, ms (default 10 000). */
  readonly createTimeoutMs?: number;
  /** Call `create` once with the default config before registering (default true). */
  readonly dryRunCreate?: boolean;
  /** How long an incomplete or mismatching bundle is retried after its last file event, ms (default 2 000). */
  readonly settleMs?: number;
  /** Quiet period that groups a bundle's file events, ms (default 20). */
  readonly debounceMs?: number;
  /** Watch the folder (default true); false loads only at `start()` and `rescan()`. */
  readonly watch?: boolean;
  /** Where plugins run by default (default `in-process`); a bundle's manifest may ask for `worker`. */
  readonly isolation?: IsolationMode;
  /** Settings of worker isolation. */
  readonly worker?: WorkerIsolationOptions;
}

/** Defaults of {@link PluginLoaderOptions}. */
export const loaderDefaults = {
  maxReloads: 200,
  keepVersions: 2,
  createTimeoutMs: 10_000,
  settleMs: 2_000,
  debounceMs: 20,
} as const;

/**
 * Where a bundle stands: `pending` (incomplete, being retried), `loaded` (registered), `superseded`
 * (loaded once, unregistered because `keepVersions` newer versions are loaded), `refused` (see `error`),
 * `removed` (its files were removed; unregistered).
 */
export type BundleState = 'pending' | 'loaded' | 'superseded' | 'refused' | 'removed';

/** One row of {@link PluginLoader.list}: a bundle version the loader has seen. */
export interface BundleStatus {
  /** The manifest path. */
  readonly path: string;
  /** Undefined when the manifest could not be read. */
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly state: BundleState;
  /** The bundle's content address (sha256 of its canonical manifest). */
  readonly sha256: string | undefined;
  readonly isolation: IsolationMode | undefined;
  /** The id of the key whose signature was verified. */
  readonly signedBy: string | undefined;
  /** The thread id of its worker while one runs (isolation `worker`), else undefined. */
  readonly threadId: number | undefined;
  /** When it was registered, epoch ms. */
  readonly loadedAt: number | undefined;
  /** Why it was refused (or why it is still pending). */
  readonly error: { readonly code: string; readonly message: string; readonly at: number } | undefined;
}

/** Counters of a loader. */
export interface PluginLoaderStats {
  readonly loaded: number;
  readonly refused: number;
  readonly refusedByCode: Readonly<Record<string, number>>;
  readonly removed: number;
  /** In-process module loads so far, against `maxReloads`. */
  readonly inProcessLoads: number;
  readonly maxReloads: number;
}
