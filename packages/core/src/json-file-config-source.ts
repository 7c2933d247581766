/**
 * A routing table in a JSON file, watched with chokidar: edit the file and the router applies the new
 * table. The file holds `{ "routes": [...] }` or a bare array; rows use either our field names
 * (`eventType`, `processor`) or the seed's `routing_configs` column names (`event_type`,
 * `processor_class`, `config_json`), so a row exported from the MySQL table works as is.
 */
import { readFile } from 'node:fs/promises';
import { watch, type FSWatcher } from 'chokidar';
import { EvrouteError } from './errors.js';
import type { ConfigSource, ConfigSourceHandler, RouteRow } from './config-source.js';
import { routeFromColumns } from './route-row.js';

/** Settings of a {@link JsonFileConfigSource}. */
export interface JsonFileConfigSourceOptions {
  readonly path: string;
  /** Watch the file for changes (default true). */
  readonly watch?: boolean;
}

export class JsonFileConfigSource implements ConfigSource {
  readonly name = 'json-file';
  readonly #options: JsonFileConfigSourceOptions;
  #handler: ConfigSourceHandler | undefined;
  #watcher: FSWatcher | undefined;
  #version = 0;
  #lastText: string | undefined;
  #healthy = false;

  constructor(options: JsonFileConfigSourceOptions) {
    this.#options = options;
  }

  async start(handler: ConfigSourceHandler): Promise<void> {
    this.#handler = handler;
    await this.#read(true);
    if (this.#options.watch !== false) {
      this.#watcher = watch(this.#options.path, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } });
      this.#watcher.on('change', () => void this.#read(false));
      this.#watcher.on('add', () => void this.#read(false));
      await new Promise<void>((resolve) => this.#watcher?.once('ready', resolve));
    }
  }

  refresh(): Promise<void> {
    return this.#read(false);
  }

  async close(): Promise<void> {
    await this.#watcher?.close();
    this.#watcher = undefined;
    this.#handler = undefined;
  }

  healthy(): boolean {
    return this.#healthy;
  }

  async #read(first: boolean): Promise<void> {
    try {
      const text = await readFile(this.#options.path, 'utf8');
      if (!first && text === this.#lastText) return;
      const parsed = JSON.parse(text) as unknown;
      const rows = Array.isArray(parsed) ? parsed : (parsed as { routes?: unknown })?.routes;
      if (!Array.isArray(rows)) throw new Error('expected an array of routes or { "routes": [...] }');
      const routes: RouteRow[] = [];
      const invalid: { id: string; reason: string }[] = [];
      rows.forEach((row: unknown, i) => {
        try {
          routes.push(routeFromColumns(row, String(i + 1)));
        } catch (error) {
          const id = (row as { id?: unknown } | null)?.id;
          invalid.push({ id: typeof id === 'string' || typeof id === 'number' ? String(id) : String(i + 1), reason: (error as Error).message });
        }
      });
      this.#lastText = text;
      this.#healthy = true;
      this.#handler?.snapshot({ version: ++this.#version, routes, ...(invalid.length > 0 ? { invalid } : {}) });
    } catch (cause) {
      this.#healthy = false;
      const error = new EvrouteError('EVR_ERR_CONFIG_SOURCE_FAILED', `cannot read routing file ${this.#options.path}: ${(cause as Error).message}`, { cause });
      if (first) throw error;
      this.#handler?.error(error);
    }
  }
}
