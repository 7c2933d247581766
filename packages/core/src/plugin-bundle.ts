/**
 * The plugin bundle format (docs/guides/hot-deploy.md). A bundle is a folder holding a `plugin.json`
 * manifest and the files it lists, or a single `<name>.mjs` next to a `<name>.plugin.json`. The manifest
 * names the plugin, its version, the core range, the entry module, and the sha256 and size of every
 * file; it may carry an Ed25519 signature over its canonical bytes. A drop counts only when every listed
 * file is there with its hash, so a half-copied bundle is never imported.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { EvrouteError } from './errors.js';
import { compileSchema, describeErrors } from './json-schema.js';
import { stableStringify } from './stable-hash.js';

/** The manifest file name of a folder bundle. */
export const BUNDLE_MANIFEST = 'plugin.json';
/** The suffix of a single-file bundle's manifest: `greet.plugin.json` describes `greet.mjs`. */
export const SINGLE_FILE_MANIFEST_SUFFIX = '.plugin.json';

/** One file of a bundle: its sha256 (hex) and size in bytes. */
export interface BundleFile {
  readonly sha256: string;
  readonly size: number;
}

/** An Ed25519 signature over {@link canonicalManifestBytes}; `keyId` is {@link keyIdOf} the public key. */
export interface BundleSignature {
  readonly alg: 'ed25519';
  readonly keyId: string;
  /** base64 */
  readonly value: string;
}

/** Where a plugin runs: in the router's thread, or in a worker thread of its own. */
export type IsolationMode = 'in-process' | 'worker';

/** The content of `plugin.json`. */
export interface BundleManifest {
  /** Format version of this manifest; 1. */
  readonly format: 1;
  readonly name: string;
  readonly version: string;
  /** The `@evroute/core` semver range the plugin needs. */
  readonly core: string;
  /** The entry module, relative to the manifest's folder; must be one of `files`. */
  readonly entry: string;
  /** Every file of the bundle by relative POSIX path. */
  readonly files: Readonly<Record<string, BundleFile>>;
  /** `worker` asks the loader to run the plugin isolated in a worker thread. */
  readonly isolation?: IsolationMode;
  readonly signature?: BundleSignature;
}

/** A bundle read from disk and verified against its manifest (hashes only; trust is checked apart). */
export interface VerifiedBundle {
  readonly manifestPath: string;
  readonly manifest: BundleManifest;
  /** sha256 of the canonical manifest without its signature: the bundle's content address. */
  readonly digest: string;
  /** The verified bytes of every file, by relative path. */
  readonly files: ReadonlyMap<string, Buffer>;
}

const manifestSchema = {
  type: 'object',
  required: ['format', 'name', 'version', 'core', 'entry', 'files'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    format: { const: 1 },
    name: { type: 'string', minLength: 1, maxLength: 214 },
    version: { type: 'string', minLength: 1 },
    core: { type: 'string', minLength: 1 },
    entry: { type: 'string', minLength: 1 },
    files: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        required: ['sha256', 'size'],
        additionalProperties: false,
        properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, size: { type: 'integer', minimum: 0 } },
      },
    },
    isolation: { enum: ['in-process', 'worker'] },
    signature: {
      type: 'object',
      required: ['alg', 'keyId', 'value'],
      additionalProperties: false,
      properties: { alg: { const: 'ed25519' }, keyId: { type: 'string', minLength: 1 }, value: { type: 'string', minLength: 1 } },
    },
  },
} as const;
const validateManifest = compileSchema<BundleManifest>(manifestSchema);

/** Hex sha256 of some bytes. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The bytes a signature covers: the manifest without `signature`, keys sorted, no whitespace. */
export function canonicalManifestBytes(manifest: BundleManifest): Buffer {
  const { signature: _, ...unsigned } = manifest;
  return Buffer.from(stableStringify(unsigned), 'utf8');
}

/** The content address of a bundle: sha256 of its canonical manifest (signing does not change it). */
export function bundleDigest(manifest: BundleManifest): string {
  return sha256(canonicalManifestBytes(manifest));
}

/** True when `name` is a relative POSIX path that stays inside the bundle folder. */
export function isSafeBundlePath(name: string): boolean {
  if (name === '' || isAbsolute(name) || name.includes('\\') || name.includes('\0')) return false;
  const normal = posix.normalize(name);
  return normal === name && !normal.startsWith('../') && normal !== '..' && !normal.startsWith('/');
}

/**
 * Parses and checks manifest bytes. Throws `EVR_ERR_HOTDEPLOY_BUNDLE_INVALID` saying what is wrong
 * (not JSON, a missing or malformed field, an unsafe path, an entry that is not listed).
 */
export function parseBundleManifest(bytes: Uint8Array | string, where = BUNDLE_MANIFEST): BundleManifest {
  const invalid = (why: string): never => {
    throw new EvrouteError('EVR_ERR_HOTDEPLOY_BUNDLE_INVALID', `${where}: ${why}`, { context: { manifest: where } });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return invalid(`not JSON (${(error as Error).message}); a manifest still being written is retried until the drop settles`);
  }
  if (!validateManifest(parsed)) return invalid(describeErrors(validateManifest.errors));
  for (const name of Object.keys(parsed.files)) if (!isSafeBundlePath(name)) invalid(`file '${name}' is not a relative path inside the bundle`);
  if (!Object.hasOwn(parsed.files, parsed.entry)) invalid(`entry '${parsed.entry}' is not listed in files`);
  return parsed;
}

/**
 * Reads a bundle's manifest and files and checks every file's size and sha256. Throws
 * `EVR_ERR_HOTDEPLOY_INCOMPLETE` when a file is missing or shorter than declared (a copy in progress),
 * `EVR_ERR_HOTDEPLOY_HASH_MISMATCH` when a file has other content, and
 * `EVR_ERR_HOTDEPLOY_BUNDLE_INVALID` for a bad manifest. The returned bytes are the ones verified: use
 * them, not the files on disk, which may change again.
 */
export function readBundle(manifestPath: string): Promise<VerifiedBundle> {
  try {
    return Promise.resolve(readBundleNow(manifestPath));
  } catch (error) {
    return Promise.reject(error);
  }
}

// Synchronous reads on purpose: under full load one event-loop turn of the router takes tens of ms, and
// an await per file made a swap take 300-700 ms (measured in hot-swap.integration.test.ts); bundles are small.
function readBundleNow(manifestPath: string): VerifiedBundle {
  let raw: Buffer;
  try {
    raw = readFileSync(manifestPath);
  } catch (error) {
    throw new EvrouteError('EVR_ERR_HOTDEPLOY_INCOMPLETE', `${manifestPath} cannot be read: ${(error as Error).message}`, { cause: error, context: { manifest: manifestPath } });
  }
  const manifest = parseBundleManifest(raw, manifestPath);
  const root = dirname(manifestPath);
  const files = new Map<string, Buffer>();
  const context = { plugin: manifest.name, pluginVersion: manifest.version, manifest: manifestPath };
  for (const [name, expected] of Object.entries(manifest.files)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, ...name.split('/')));
    } catch (error) {
      throw new EvrouteError('EVR_ERR_HOTDEPLOY_INCOMPLETE', `${manifest.name}@${manifest.version}: file '${name}' listed in the manifest is missing (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); copy every file before writing plugin.json, or rename the whole folder into place`, { cause: error, context });
    }
    if (bytes.length < expected.size) {
      throw new EvrouteError('EVR_ERR_HOTDEPLOY_INCOMPLETE', `${manifest.name}@${manifest.version}: file '${name}' has ${bytes.length} of its ${expected.size} bytes (half-written); write plugin.json last, or rename the whole folder into place`, { context });
    }
    const actual = sha256(bytes);
    if (bytes.length !== expected.size || actual !== expected.sha256) {
      throw new EvrouteError('EVR_ERR_HOTDEPLOY_HASH_MISMATCH', `${manifest.name}@${manifest.version}: file '${name}' has sha256 ${actual} (${bytes.length} bytes), the manifest says ${expected.sha256} (${expected.size} bytes); the bundle was changed after packing: pack it again`, { context });
    }
    files.set(name, bytes);
  }
  return { manifestPath, manifest, digest: bundleDigest(manifest), files };
}

/** What {@link writeBundle} writes. */
export interface BundleInput {
  readonly name: string;
  readonly version: string;
  readonly core: string;
  readonly entry: string;
  /** File contents by relative POSIX path; must include `entry`. */
  readonly files: Readonly<Record<string, Uint8Array | string>>;
  readonly isolation?: IsolationMode;
  readonly signature?: BundleSignature;
}

/** The manifest describing some files, with their hashes and sizes. */
export function describeBundle(input: BundleInput): BundleManifest {
  const files: Record<string, BundleFile> = {};
  for (const [name, content] of Object.entries(input.files)) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    files[name] = { sha256: sha256(bytes), size: bytes.length };
  }
  const manifest: BundleManifest = {
    format: 1,
    name: input.name,
    version: input.version,
    core: input.core,
    entry: input.entry,
    files,
    ...(input.isolation ? { isolation: input.isolation } : {}),
    ...(input.signature ? { signature: input.signature } : {}),
  };
  return parseBundleManifest(JSON.stringify(manifest));
}

/**
 * Writes a folder bundle into `dir` (created if needed): every file first, then `plugin.json` last and
 * atomically (written aside, then renamed), so a watching loader never sees a manifest whose files are
 * not complete. Returns the manifest written.
 */
export async function writeBundle(dir: string, input: BundleInput): Promise<BundleManifest> {
  const manifest = describeBundle(input);
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(input.files)) {
    const path = join(dir, ...name.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  await writeManifest(join(dir, BUNDLE_MANIFEST), manifest);
  return manifest;
}

/** Writes a manifest file atomically (aside, then renamed over the old one). */
export async function writeManifest(path: string, manifest: BundleManifest): Promise<void> {
  const aside = join(dirname(path), `.${BUNDLE_MANIFEST}.${randomUUID()}.tmp`);
  try {
    await writeFile(aside, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(aside, path);
  } catch (error) {
    await rm(aside, { force: true });
    throw error;
  }
}
