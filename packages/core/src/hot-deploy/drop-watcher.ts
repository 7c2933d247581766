/**
 * Watches a plugin folder with chokidar and says which bundle something happened to. A bundle is a
 * sub-folder with a `plugin.json`, or a top-level `<name>.plugin.json` (with its `<name>.mjs`). Events
 * under a bundle (a file added or changed, the manifest or the folder removed) are reported as that
 * bundle's manifest path: at once for the first event, then once more after a quiet period
 * (`debounceMs`) if more came; the loader looks at the bundle as a whole, and looking again is harmless. Dot-files and dot-folders (`.incoming/` staging, the default cache) are ignored.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { BUNDLE_MANIFEST, SINGLE_FILE_MANIFEST_SUFFIX } from '../plugin-bundle.js';

/** Settings of a {@link DropWatcher}. */
export interface DropWatcherOptions {
  readonly dir: string;
  /** Paths to leave alone besides dot-files (e.g. a cache folder inside `dir`). */
  readonly ignore?: (path: string) => boolean;
  readonly debounceMs: number;
  /** Something happened to the bundle with this manifest path (which may no longer exist). */
  readonly onBundle: (manifestPath: string) => void;
  readonly onError: (error: unknown) => void;
}

/** The manifest paths of the bundles in `dir` now, sorted. */
export async function scanBundles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).then((s) => s.isDirectory(), () => false)));
    if (isDir && existsSync(join(path, BUNDLE_MANIFEST))) found.push(join(path, BUNDLE_MANIFEST));
    else if (!isDir && entry.name.endsWith(SINGLE_FILE_MANIFEST_SUFFIX)) found.push(path);
  }
  return found.sort();
}

/** See the module comment. */
export class DropWatcher {
  readonly #options: DropWatcherOptions;
  readonly #dir: string;
  readonly #timers = new Map<string, { timer: NodeJS.Timeout; again: boolean }>();
  #watcher: FSWatcher | undefined;

  constructor(options: DropWatcherOptions) {
    this.#options = options;
    this.#dir = resolve(options.dir);
  }

  /** The manifest path of the bundle a watched path belongs to, or undefined for paths outside bundles. */
  manifestOf(path: string, isDir: boolean): string | undefined {
    const rel = relative(this.#dir, resolve(path));
    if (rel === '' || rel.startsWith('..')) return undefined;
    const parts = rel.split(sep);
    if (parts.some((p) => p.startsWith('.'))) return undefined;
    const [top = ''] = parts;
    if (parts.length > 1 || isDir) return join(this.#dir, top, BUNDLE_MANIFEST);
    if (top.endsWith(SINGLE_FILE_MANIFEST_SUFFIX)) return join(this.#dir, top);
    return join(this.#dir, `${basename(top, extname(top))}${SINGLE_FILE_MANIFEST_SUFFIX}`);
  }

  /** Starts watching; resolves once chokidar is ready. */
  async start(): Promise<void> {
    const ignore = this.#options.ignore;
    const watcher = watch(this.#dir, {
      ignoreInitial: true,
      depth: 3,
      ignored: (path: string) => {
        const rel = relative(this.#dir, path);
        return rel !== '' && (rel.split(sep).some((p) => p.startsWith('.')) || (ignore?.(path) ?? false));
      },
    });
    this.#watcher = watcher;
    const report = (isDir: boolean) => (path: string) => {
      const manifest = this.manifestOf(path, isDir);
      if (manifest) this.#debounce(manifest);
    };
    watcher.on('add', report(false)).on('change', report(false)).on('unlink', report(false));
    watcher.on('addDir', report(true)).on('unlinkDir', report(true));
    watcher.on('error', (error) => this.#options.onError(error));
    await new Promise<void>((ready) => watcher.once('ready', ready));
  }

  /** Stops watching and drops pending reports. */
  async close(): Promise<void> {
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await this.#watcher?.close();
    this.#watcher = undefined;
  }

  // Leading edge, not only trailing: a folder renamed into place is complete at its first event, and a
  // trailing-only debounce kept sliding while chokidar reported the files inside (measured +100-300 ms).
  #debounce(manifest: string): void {
    const pending = this.#timers.get(manifest);
    if (pending) {
      pending.again = true;
      pending.timer.refresh();
      return;
    }
    const entry = {
      again: false,
      timer: setTimeout(() => {
        this.#timers.delete(manifest);
        if (entry.again) this.#options.onBundle(manifest);
      }, this.#options.debounceMs),
    };
    this.#timers.set(manifest, entry);
    this.#options.onBundle(manifest);
  }
}
