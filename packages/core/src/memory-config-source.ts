/**
 * A programmatic config source: the application sets the routing table in code, e.g. from its own
 * configuration, and may change it at any time with {@link InMemoryConfigSource.set}.
 */
import type { ConfigSnapshot, ConfigSource, ConfigSourceHandler, RouteRow } from './config-source.js';

export class InMemoryConfigSource implements ConfigSource {
  readonly name: string = 'memory';
  #routes: readonly RouteRow[];
  #version = 0;
  #handler: ConfigSourceHandler | undefined;

  constructor(routes: readonly RouteRow[] = []) {
    this.#routes = routes;
  }

  /** The routes as last set. */
  get routes(): readonly RouteRow[] {
    return this.#routes;
  }

  /** Replaces the whole table; the router applies it as a new version. */
  set(routes: readonly RouteRow[], invalid?: ConfigSnapshot['invalid']): void {
    this.#routes = routes;
    this.#version++;
    this.#handler?.snapshot({ version: this.#version, routes, ...(invalid ? { invalid } : {}) });
  }

  /** Changes one route by id (adding it when absent). */
  upsert(route: RouteRow): void {
    const others = this.#routes.filter((r) => r.id !== route.id);
    this.set([...others, route]);
  }

  /** Removes one route by id. */
  remove(id: string): void {
    this.set(this.#routes.filter((r) => r.id !== id));
  }

  start(handler: ConfigSourceHandler): Promise<void> {
    this.#handler = handler;
    this.#version++;
    handler.snapshot({ version: this.#version, routes: this.#routes });
    return Promise.resolve();
  }

  /** Reports a failure to the router, as a broken backing store would. */
  fail(error: unknown): void {
    this.#handler?.error(error);
  }

  refresh(): Promise<void> {
    this.#version++;
    this.#handler?.snapshot({ version: this.#version, routes: this.#routes });
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#handler = undefined;
    return Promise.resolve();
  }
}
