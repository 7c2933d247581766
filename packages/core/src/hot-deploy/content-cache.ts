/**
 * The immutable, content-addressed copy of verified bundles that plugins are imported from. Node keeps
 * every imported module for the life of the process and returns the old module when the same URL is
 * imported again, so a plugin is never imported from the watched folder: its verified bytes are copied
 * to `<cacheDir>/<digest>/` and imported from there. The same content always gets the same URL (and so
 * no second module record); other content always gets another URL.
 *
 * Bundles import `@evroute/core` as an external: `<cacheDir>/node_modules/@evroute/core` links to the
 * host's own core package, so a plugin shares the router's copy of the core.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readlink, rm, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sha256, type VerifiedBundle } from '../plugin-bundle.js';

/** The folder of the `@evroute/core` package this module belongs to, when it is one. */
export function corePackageRoot(): string | undefined {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown };
    return pkg.name === '@evroute/core' ? resolve(root) : undefined;
  } catch {
    return undefined;
  }
}

/** See the module comment. */
export class ContentCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /**
   * Creates the cache folder and links the host's `@evroute/core` into its `node_modules`. Returns
   * false when the core's package folder cannot be found (a host that bundled the core): plugins that
   * import `@evroute/core` then fail to import.
   */
  async prepare(): Promise<boolean> {
    await mkdir(join(this.dir, 'node_modules', '@evroute'), { recursive: true });
    const core = corePackageRoot();
    if (!core) return false;
    const link = join(this.dir, 'node_modules', '@evroute', 'core');
    const current = await readlink(link).catch(() => undefined);
    if (current !== undefined && resolve(dirname(link), current) === core) return true;
    await rm(link, { force: true, recursive: false }).catch(() => undefined);
    try {
      await symlink(core, link, 'junction');
    } catch (error) {
      // Another process sharing this cache may have made the same link meanwhile.
      const now = await readlink(link).catch(() => undefined);
      if (now === undefined || resolve(dirname(link), now) !== core) throw error;
    }
    return true;
  }

  /** The folder a bundle's files are kept in. */
  pathOf(digest: string): string {
    return join(this.dir, digest);
  }

  /**
   * Copies a verified bundle's bytes into `<dir>/<digest>/` (written aside, then renamed into place) and
   * returns the entry module's `file:` URL. An existing copy is reused after its files are checked again;
   * a damaged one is replaced.
   */
  store(bundle: VerifiedBundle): Promise<string> {
    try {
      return Promise.resolve(this.#storeNow(bundle));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // Synchronous on purpose, like readBundle: no event-loop turn per file while the router is under load.
  #storeNow(bundle: VerifiedBundle): string {
    const target = this.pathOf(bundle.digest);
    const entryUrl = pathToFileURL(join(target, ...bundle.manifest.entry.split('/'))).href;
    if (existsSync(target)) {
      if (this.#intact(target, bundle)) return entryUrl;
      rmSync(target, { recursive: true, force: true });
    }
    const aside = join(this.dir, `.tmp-${randomUUID()}`);
    try {
      for (const [name, bytes] of bundle.files) {
        const path = join(aside, ...name.split('/'));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, bytes);
      }
      renameSync(aside, target);
    } catch (error) {
      rmSync(aside, { recursive: true, force: true });
      // A concurrent store of the same content won the rename: use its copy.
      if (!existsSync(target) || !this.#intact(target, bundle)) throw error;
    }
    return entryUrl;
  }

  #intact(target: string, bundle: VerifiedBundle): boolean {
    for (const [name, expected] of Object.entries(bundle.manifest.files)) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(target, ...name.split('/')));
      } catch {
        return false;
      }
      if (sha256(bytes) !== expected.sha256) return false;
    }
    return true;
  }
}
