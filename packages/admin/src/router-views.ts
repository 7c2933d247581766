/**
 * Read-only views of a running router for the admin API: the live routing table with per-route
 * counters and breaker states, and the plugins (registry plus the hot-deploy loader's bundles).
 */
import type { BreakerState, Router } from '@evroute/core';
import type { BundleView, PluginsView, RouteView, RoutesView } from './api-types.js';

/** Anything that lists plugin bundles: the hot-deploy loader's `list()`; entries are read by duck typing. */
export interface PluginsProvider {
  list(): readonly unknown[];
}

/** The live routing table with counters, pause flags and breaker states. */
export function routesView(router: Router): RoutesView {
  const table = router.table();
  const stats = router.stats();
  const paused = router.pausedRoutes();
  const pausedSet = new Set(paused);
  const breakerOf = new Map<string, BreakerState>();
  for (const b of router.breakers()) breakerOf.set(b.route, b.state);
  const routes = table.routes.map((route): RouteView => {
    const registered = route.handle?.registered.plugin;
    const outputs: Record<string, { sink: string; target: string } | null> = {};
    for (const [name, out] of route.outputs) outputs[name] = out ? { sink: out.sink, target: out.target } : null;
    return {
      id: route.id,
      domain: route.domain,
      eventType: route.eventType,
      key: route.key,
      priority: route.priority,
      enabled: route.enabled,
      fanout: route.fanout,
      paused: pausedSet.has(route.id),
      processor: route.row.processor,
      plugin: registered?.name ?? null,
      pluginVersion: registered?.version ?? null,
      outputs,
      processed: stats.processedByRoute[route.id] ?? 0,
      failed: stats.failedByRoute[route.id] ?? 0,
      breaker: breakerOf.get(route.id) ?? null,
    };
  });
  return {
    version: table.version,
    sourceVersion: table.sourceVersion,
    routes,
    refused: table.refused.map((r) => ({ id: r.id, code: r.code, message: r.message, keptPrevious: r.keptPrevious })),
    paused,
  };
}

/** The registered plugin versions, and the loader's bundles when a loader is given. */
export function pluginsView(router: Router, provider?: PluginsProvider): PluginsView {
  const routesOf = new Map<string, string[]>();
  for (const route of router.table().routes) {
    const id = route.handle?.registered.id;
    if (id) routesOf.set(id, [...(routesOf.get(id) ?? []), route.id]);
  }
  const registered = router.registry.list().map((p) => ({
    name: p.plugin.name,
    version: p.plugin.version,
    aliases: [...(p.plugin.aliases ?? [])],
    routes: routesOf.get(p.id) ?? [],
  }));
  return { registered, bundles: provider ? provider.list().map(bundleView) : null };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Normalises one loader entry: name, version, state and last error, plus its other scalar fields. */
export function bundleView(entry: unknown): BundleView {
  const e = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
  const rawError = e['lastError'] ?? e['error'];
  let lastError: BundleView['lastError'] = null;
  if (typeof rawError === 'string') lastError = { code: null, message: rawError };
  else if (typeof rawError === 'object' && rawError !== null) {
    const err = rawError as Record<string, unknown>;
    lastError = { code: str(err['code']), message: str(err['message']) ?? JSON.stringify(rawError) };
  }
  const details: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(e)) {
    if (['name', 'version', 'state', 'lastError', 'error'].includes(key)) continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) details[key] = value as string | number | boolean | null;
    else if (value instanceof Date) details[key] = value.toISOString();
  }
  return { name: str(e['name']), version: str(e['version']), state: str(e['state']) ?? str(e['status']), lastError, details };
}
