/**
 * Loads a bundle the way the plugin loader does (verify, trust, cache, import, check) without
 * registering it: for `evroute plugin pack`, which reads the built manifest, and for tools that check a
 * bundle before it is dropped.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle, type BundleManifest } from '../plugin-bundle.js';
import type { OutputSpec } from '../plugin.js';
import { checkBundlePlugin, checkCoreRange, importDefault } from './bundle-import.js';
import { TrustChecker, type TrustOptions } from './bundle-trust.js';
import { ContentCache } from './content-cache.js';

/** What {@link inspectBundle} found. */
export interface BundleInspection {
  readonly manifest: BundleManifest;
  readonly digest: string;
  /** The id of the key whose signature verified, if any. */
  readonly signedBy: string | undefined;
  /** The manifest the entry module default-exports. */
  readonly plugin: {
    readonly name: string;
    readonly version: string;
    readonly core: string;
    readonly aliases: readonly string[];
    readonly outputs: Readonly<Record<string, OutputSpec>>;
  };
}

/** Options of {@link inspectBundle}. */
export interface InspectBundleOptions {
  /** Default: `hash-only`. */
  readonly trust?: TrustOptions;
  /** Where to copy the bundle to import it; default: a temporary folder, removed afterwards. */
  readonly cacheDir?: string;
  /**
   * Require the module's name and version to be the manifest's (default true). `false` reads what the
   * module declares even when plugin.json says otherwise.
   */
  readonly matchManifest?: boolean;
}

/**
 * Verifies and imports a bundle in this process and returns what it declares. Throws the same coded
 * errors as the loader (`EVR_ERR_HOTDEPLOY_*`, `EVR_ERR_PLUGIN_CORE_RANGE`, `EVR_ERR_PLUGIN_INVALID_MANIFEST`).
 * The import stays in memory for the life of the process, as every ESM import does.
 */
export async function inspectBundle(manifestPath: string, options: InspectBundleOptions = {}): Promise<BundleInspection> {
  const bundle = await readBundle(manifestPath);
  const { manifest } = bundle;
  const id = `${manifest.name}@${manifest.version}`;
  const verdict = new TrustChecker(options.trust ?? { policy: 'hash-only' }).check(manifest);
  checkCoreRange(id, manifest.core);
  const dir = options.cacheDir ?? (await mkdtemp(join(tmpdir(), 'evroute-inspect-')));
  try {
    const cache = new ContentCache(dir);
    await cache.prepare();
    const candidate = await importDefault(await cache.store(bundle), id);
    const asDeclared = options.matchManifest === false && typeof candidate === 'object' && candidate !== null
      ? { ...manifest, name: String((candidate as { name?: unknown }).name), version: String((candidate as { version?: unknown }).version) }
      : manifest;
    const { plugin } = checkBundlePlugin(candidate, asDeclared);
    return {
      manifest,
      digest: bundle.digest,
      signedBy: verdict.signedBy,
      plugin: { name: plugin.name, version: plugin.version, core: plugin.core, aliases: plugin.aliases ?? [], outputs: plugin.outputs ?? {} },
    };
  } finally {
    if (options.cacheDir === undefined) await rm(dir, { recursive: true, force: true });
  }
}
