/**
 * `evroute plugin pack <package dir>`: bundles a plugin package into one self-contained ESM file with
 * esbuild (`@evroute/core` stays external: the loader links the router's own copy), imports the result
 * to read the manifest it default-exports, and writes `<out>/<name>@<version>/` with `plugin.mjs` and,
 * last, `plugin.json` (name, version, core range, entry, sha256 and size of each file).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Message } from 'esbuild';
import { EvrouteError, inspectBundle, readBundle, writeBundle, type BundleManifest, type IsolationMode } from '@evroute/core';

/** Options of {@link packPlugin}. */
export interface PackOptions {
  /** Where the bundle folder is written (default `<package dir>/bundles`). */
  readonly out?: string;
  /** Ask the loader to run the plugin in a worker thread. */
  readonly isolation?: IsolationMode;
}

/** What {@link packPlugin} wrote. */
export interface PackResult {
  /** The bundle folder. */
  readonly dir: string;
  readonly manifest: BundleManifest;
  readonly digest: string;
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly main?: string;
  readonly module?: string;
  readonly exports?: unknown;
}

const ENTRY_FILE = 'plugin.mjs';
// Bundled CommonJS dependencies may `require` Node built-ins: give the ESM bundle a real `require`.
const BANNER = "import { createRequire as __evrouteCreateRequire } from 'node:module';\nconst require = __evrouteCreateRequire(import.meta.url);";

function failed(message: string, cause?: unknown): EvrouteError {
  return new EvrouteError('EVR_ERR_CLI_PACK_FAILED', message, cause === undefined ? {} : { cause });
}

/** The entry a package exports: `exports['.']` (import, then default), `exports`, `module`, `main`, `index.js`. */
export function packageEntry(pkg: PackageJson): string {
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (typeof value !== 'object' || value === null) return undefined;
    const conditions = value as Record<string, unknown>;
    if ('.' in conditions) return pick(conditions['.']);
    for (const key of ['import', 'node', 'default']) {
      const found = pick(conditions[key]);
      if (found) return found;
    }
    return undefined;
  };
  return pick(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
}

function describe(messages: readonly Message[]): string {
  return messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text)).join('\n  ');
}

/** Bundles one plugin package. Throws `EVR_ERR_CLI_PACK_FAILED` or the loader's own codes for a bad plugin. */
export async function packPlugin(packageDir: string, options: PackOptions = {}): Promise<PackResult> {
  const root = resolve(packageDir);
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as PackageJson;
  } catch (cause) {
    throw failed(`${root}/package.json cannot be read: ${(cause as Error).message}`, cause);
  }
  const entry = resolve(root, packageEntry(pkg));
  if (!existsSync(entry)) throw failed(`the package entry ${entry} does not exist (from package.json exports/module/main); build the package or point "exports" at its source`);
  let code: Uint8Array;
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      external: ['@evroute/core'],
      banner: { js: BANNER },
      write: false,
      outfile: join(root, ENTRY_FILE),
      logLevel: 'silent',
    });
    const [output] = result.outputFiles;
    if (!output) throw new Error('esbuild produced no output');
    code = output.contents;
  } catch (cause) {
    const errors = (cause as { errors?: Message[] }).errors;
    throw failed(`bundling ${entry} failed:\n  ${errors ? describe(errors) : (cause as Error).message}`, cause);
  }
  // Import the built file once to read the manifest it really exports: that is what the loader registers.
  const scratch = await mkdtemp(join(tmpdir(), 'evroute-pack-'));
  let declared;
  try {
    await writeBundle(join(scratch, 'bundle'), { name: pkg.name ?? 'unnamed', version: pkg.version ?? '0.0.0', core: '*', entry: ENTRY_FILE, files: { [ENTRY_FILE]: code } });
    declared = (await inspectBundle(join(scratch, 'bundle', 'plugin.json'), { matchManifest: false, cacheDir: join(scratch, 'cache') })).plugin;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const dir = join(resolve(options.out ?? join(root, 'bundles')), `${declared.name.replace(/^@/, '').replace('/', '+')}@${declared.version}`);
  await rm(dir, { recursive: true, force: true });
  const manifest = await writeBundle(dir, {
    name: declared.name,
    version: declared.version,
    core: declared.core,
    entry: ENTRY_FILE,
    files: { [ENTRY_FILE]: code },
    ...(options.isolation ? { isolation: options.isolation } : {}),
  });
  const { digest } = await readBundle(join(dir, 'plugin.json')); // read back: what was written verifies
  return { dir, manifest, digest };
}

/** `evroute plugin pack`: prints where the bundle went. Resolves with the exit code. */
export async function packCommand(opts: { readonly packageDir: string; readonly out?: string; readonly isolation?: string; readonly json: boolean; readonly print: (text: string) => void }): Promise<number> {
  if (opts.isolation !== undefined && opts.isolation !== 'worker' && opts.isolation !== 'in-process') {
    throw new EvrouteError('EVR_ERR_CLI_USAGE', `--isolation must be in-process or worker, not '${opts.isolation}'`);
  }
  const packed = await packPlugin(opts.packageDir, { ...(opts.out ? { out: opts.out } : {}), ...(opts.isolation ? { isolation: opts.isolation } : {}) });
  const { name, version } = packed.manifest;
  opts.print(opts.json ? `${JSON.stringify({ dir: packed.dir, name, version, sha256: packed.digest })}\n` : `packed ${name}@${version} into ${packed.dir} (sha256 ${packed.digest})\n`);
  return 0;
}
