/**
 * What the scrape-time collectors read: the bound router and its parts. One stats snapshot serves a
 * whole scrape (prom-client calls every collector in the same tick), so a scrape costs one
 * `router.stats()` however many metrics read it.
 */
import type { Router, StatsSnapshot } from '@evroute/core';
import type { AlertView } from './api-types.js';
import type { PluginsProvider } from './router-views.js';

/** What {@link AdminMetrics.bind} points the collectors at. */
export interface MetricsTarget {
  readonly router: Router;
  /** The router's parts by name (source, sinks, services): read for lag and cache counters. */
  readonly components?: Readonly<Record<string, unknown>>;
  /** The hot-deploy plugin loader, for `evroute_plugin_bundles` and (with `stats()`) load failures. */
  readonly plugins?: PluginsProvider;
  /** Readiness now, for `evroute_ready`. */
  readonly ready?: () => boolean;
  /** Alert states, for `evroute_alert_firing`. */
  readonly alerts?: () => readonly AlertView[];
}

/** The current target of a metrics object (none until bound). */
export class ScrapeTarget {
  target: MetricsTarget | undefined;
  #snapshot: StatsSnapshot | undefined;
  /** Plugin load failures counted with `pluginLoadFailed`, by code. */
  readonly loadFailures = new Map<string, number>();
  /** Last plugin id seen serving each route, so a route's counters keep their label after it is disabled. */
  readonly pluginOfRoute = new Map<string, string>();

  /** The router's counters, taken once per scrape. */
  stats(): StatsSnapshot | undefined {
    const router = this.target?.router;
    if (!router) return undefined;
    if (!this.#snapshot) {
      this.#snapshot = router.stats();
      for (const route of router.table().routes) {
        const id = route.handle?.registered.id;
        if (id) this.pluginOfRoute.set(route.id, id);
        else if (!this.pluginOfRoute.has(route.id)) this.pluginOfRoute.set(route.id, route.row.processor);
      }
      queueMicrotask(() => (this.#snapshot = undefined));
    }
    return this.#snapshot;
  }

  /** The plugin label of a route id. */
  pluginOf(routeId: string): string {
    return this.pluginOfRoute.get(routeId) ?? '';
  }
}
