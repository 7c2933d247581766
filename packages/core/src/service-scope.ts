/**
 * Host services for plugins (dimension lookups, clients), through one tsyringe child container per
 * plugin: a plugin sees the host's shared services plus the ones registered for it alone, and can
 * never reach the router's own components. Only this file and the composition root touch tsyringe.
 */
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { ServiceLookup } from './plugin.js';

/** Services as the host hands them to `createRouter`: shared, plus per-plugin overrides. */
export interface ServiceOptions {
  /** Services every plugin may look up by name. */
  readonly shared?: Readonly<Record<string, unknown>>;
  /** Services for one plugin name only; they shadow shared ones of the same name. */
  readonly perPlugin?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Builds and caches the per-plugin child containers. */
export class ServiceScopes {
  readonly #parent: DependencyContainer;
  readonly #perPlugin: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly #scopes = new Map<string, ServiceLookup>();

  constructor(options: ServiceOptions = {}, parent: DependencyContainer = rootContainer) {
    // Shared services live in one child of the given container, never in tsyringe's global container.
    this.#parent = parent.createChildContainer();
    for (const [name, value] of Object.entries(options.shared ?? {})) this.#parent.register(name, { useValue: value });
    this.#perPlugin = options.perPlugin ?? {};
  }

  /** The lookup for one plugin: its own child container over the shared one. */
  for(pluginName: string): ServiceLookup {
    let lookup = this.#scopes.get(pluginName);
    if (lookup) return lookup;
    const child = this.#parent.createChildContainer();
    for (const [name, value] of Object.entries(this.#perPlugin[pluginName] ?? {})) child.register(name, { useValue: value });
    lookup = {
      get: <T>(name: string): T | undefined => (child.isRegistered(name, true) ? child.resolve<T>(name) : undefined),
      has: (name: string): boolean => child.isRegistered(name, true),
    };
    this.#scopes.set(pluginName, lookup);
    return lookup;
  }
}
