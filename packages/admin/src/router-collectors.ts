/**
 * The metrics read at scrape time from the bound router (`router.stats()`, the live table, breakers,
 * the registry) and its parts (lag, cache counters). Nothing here runs per event: each value is
 * rebuilt inside prom-client's `collect()` when Prometheus scrapes. docs/reference/metrics.md lists them.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { cacheStatsOf, lagOf } from './component-roles.js';
import type { ScrapeTarget } from './scrape-target.js';

type Sample<L extends string> = readonly [Readonly<Record<L, string>>, number];
type Reader<L extends string> = (target: ScrapeTarget) => Iterable<Sample<L>> | number | undefined;

/** A counter whose values are copied from a cumulative source at scrape time. */
function scrapedCounter<L extends string>(registry: Registry, target: ScrapeTarget, name: string, help: string, labelNames: readonly L[], read: Reader<L>): Counter<L> {
  return new Counter<L>({
    name,
    help,
    labelNames: [...labelNames],
    registers: [registry],
    collect(this: Counter<L>) {
      this.reset();
      const values = read(target);
      if (typeof values === 'number') this.inc(values);
      else if (values) for (const [labels, value] of values) this.inc(labels as Partial<Record<L, string>>, value);
    },
  });
}

/** A gauge whose values are read at scrape time. */
function scrapedGauge<L extends string>(registry: Registry, target: ScrapeTarget, name: string, help: string, labelNames: readonly L[], read: Reader<L>): Gauge<L> {
  return new Gauge<L>({
    name,
    help,
    labelNames: [...labelNames],
    registers: [registry],
    collect(this: Gauge<L>) {
      this.reset();
      const values = read(target);
      if (typeof values === 'number') this.set(values);
      else if (values) for (const [labels, value] of values) this.set(labels as Partial<Record<L, string>>, value);
    },
  });
}

function* byRoute(t: ScrapeTarget, counts: Readonly<Record<string, number>> | undefined): Iterable<Sample<'route' | 'plugin'>> {
  for (const [route, value] of Object.entries(counts ?? {})) yield [{ route, plugin: t.pluginOf(route) }, value];
}

function* parts(t: ScrapeTarget): Iterable<[string, unknown]> {
  yield* Object.entries(t.target?.components ?? {});
}

/** Registers every scrape-time metric on `registry`. */
export function registerRouterCollectors(registry: Registry, target: ScrapeTarget): void {
  const c = (name: string, help: string, read: (t: ScrapeTarget) => number | undefined): void => {
    scrapedCounter(registry, target, name, help, [], read);
  };
  const g = (name: string, help: string, read: (t: ScrapeTarget) => number | undefined): void => {
    scrapedGauge(registry, target, name, help, [], read);
  };
  c('evroute_events_received_total', 'Records the source delivered to the router (events in).', (t) => t.stats()?.received);
  c('evroute_events_acknowledged_total', 'Records acknowledged to the source: outputs durably written or dead-lettered.', (t) => t.stats()?.acknowledged);
  c('evroute_events_unmatched_total', 'Events no enabled route matched.', (t) => t.stats()?.unmatched);
  c('evroute_events_dropped_total', "Unmatched events dropped (the 'drop' unmatched policy).", (t) => t.stats()?.dropped);
  c('evroute_outputs_written_total', 'Processor outputs durably written to sinks (events out).', (t) => t.stats()?.outputs);
  c('evroute_outputs_discarded_total', 'Processor outputs discarded because their output is disabled for the route.', (t) => t.stats()?.outputsDiscarded);
  c('evroute_config_refused_total', 'Routing config rows refused (bad row, unknown processor, schema, create failure).', (t) => t.stats()?.configRefused);
  c('evroute_config_source_errors_total', 'Failures reported by the routing config source.', (t) => t.stats()?.configSourceErrors);
  g('evroute_events_in_flight', 'Records accepted and not yet acknowledged.', (t) => t.stats()?.inFlight);
  g('evroute_events_parked', 'Events held by the park fallback or a paused route.', (t) => t.stats()?.parked ?? (t.target ? 0 : undefined));
  g('evroute_config_version', 'Version of the live routing table (increases with every applied change).', (t) => t.target?.router.table().version);
  g('evroute_ready', '1 while /readyz answers ready, else 0.', (t) => (t.target?.ready ? (t.target.ready() ? 1 : 0) : undefined));

  scrapedCounter(registry, target, 'evroute_events_processed_total', 'Events a route processed successfully, by route and plugin version (seed: eventProcessedCounter).', ['route', 'plugin'], (t) =>
    byRoute(t, t.stats()?.processedByRoute),
  );
  scrapedCounter(registry, target, 'evroute_events_failed_total', 'Events a route failed; they went to the dead-letter output (seed: eventErrorCounter).', ['route', 'plugin'], (t) =>
    byRoute(t, t.stats()?.failedByRoute),
  );
  scrapedCounter(registry, target, 'evroute_dead_letters_total', 'Records written to the dead-letter output, by error code.', ['code'], (t) =>
    Object.entries(t.stats()?.deadLetteredByCode ?? {}).map(([code, n]) => [{ code }, n] as const),
  );
  scrapedGauge(registry, target, 'evroute_routes', 'Routes of the live table by state (enabled, disabled, paused).', ['state'], (t) => {
    const router = t.target?.router;
    if (!router) return undefined;
    const routes = router.table().routes;
    const paused = new Set(router.pausedRoutes());
    const enabled = routes.filter((r) => r.enabled).length;
    return [
      [{ state: 'enabled' }, enabled],
      [{ state: 'disabled' }, routes.length - enabled],
      [{ state: 'paused' }, routes.filter((r) => paused.has(r.id)).length],
    ];
  });
  scrapedGauge(registry, target, 'evroute_active_processors', 'Live processor instances by plugin version (seed: activeProcessorGauge).', ['plugin'], (t) => {
    const live = new Map<string, Set<string>>();
    for (const route of t.target?.router.table().routes ?? []) {
      if (!route.handle) continue;
      const id = route.handle.registered.id;
      live.set(id, (live.get(id) ?? new Set()).add(route.handle.key));
    }
    return [...live].map(([plugin, keys]) => [{ plugin }, keys.size] as const);
  });
  scrapedGauge(registry, target, 'evroute_circuit_breaker_state', 'Circuit breaker state per route instance: 1 for the current state, 0 for the others.', ['route', 'plugin', 'state'], (t) =>
    (t.target?.router.breakers() ?? []).flatMap((b) =>
      (['closed', 'half-open', 'open'] as const).map((state) => [{ route: b.route, plugin: b.plugin, state }, b.state === state ? 1 : 0] as const),
    ),
  );
  scrapedGauge(registry, target, 'evroute_plugin_info', 'Plugin versions registered with the router (value 1).', ['plugin', 'version'], (t) =>
    (t.target?.router.registry.list() ?? []).map((p) => [{ plugin: p.plugin.name, version: p.plugin.version }, 1] as const),
  );
  scrapedGauge(registry, target, 'evroute_plugin_bundles', 'Hot-deploy bundles by loader state (only with a plugin loader).', ['state'], (t) => {
    const counts = new Map<string, number>();
    for (const entry of t.target?.plugins?.list() ?? []) {
      const e = entry as { state?: unknown; status?: unknown } | null;
      const raw = e?.state ?? e?.status;
      const state = typeof raw === 'string' ? raw : 'unknown';
      counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    return [...counts].map(([state, n]) => [{ state }, n] as const);
  });
  scrapedCounter(registry, target, 'evroute_plugin_load_failures_total', 'Plugin bundles the loader refused, by error code.', ['code'], (t) => {
    const counts = new Map(t.loadFailures);
    const loader = t.target?.plugins as { stats?: () => { refusedByCode?: Readonly<Record<string, number>> } } | undefined;
    if (typeof loader?.stats === 'function') {
      for (const [code, n] of Object.entries(loader.stats().refusedByCode ?? {})) counts.set(code, (counts.get(code) ?? 0) + n);
    }
    return [...counts].map(([code, n]) => [{ code }, n] as const);
  });
  scrapedGauge(registry, target, 'evroute_consumer_lag_records', 'Consumer lag per partition: log end offset minus the acknowledged offset.', ['topic', 'partition'], (t) =>
    [...parts(t)].flatMap(([, part]) => (lagOf(part) ?? []).map((l) => [{ topic: l.topic, partition: String(l.partition) }, l.lag] as const)),
  );
  scrapedCounter(registry, target, 'evroute_dimension_cache_hits_total', 'Dimension lookup keys answered from the cache.', ['lookup'], (t) =>
    [...parts(t)].flatMap(([lookup, part]) => {
      const s = cacheStatsOf(part);
      return s ? [[{ lookup }, s.hits] as const] : [];
    }),
  );
  scrapedCounter(registry, target, 'evroute_dimension_cache_misses_total', 'Dimension lookup keys not in the cache (fetched from the database).', ['lookup'], (t) =>
    [...parts(t)].flatMap(([lookup, part]) => {
      const s = cacheStatsOf(part);
      return s ? [[{ lookup }, s.misses] as const] : [];
    }),
  );
  scrapedGauge(registry, target, 'evroute_dimension_cache_entries', 'Entries in a dimension lookup cache.', ['lookup'], (t) =>
    [...parts(t)].flatMap(([lookup, part]) => {
      const size = cacheStatsOf(part)?.size;
      return size === undefined ? [] : [[{ lookup }, size] as const];
    }),
  );
  scrapedGauge(registry, target, 'evroute_alert_firing', 'In-process alerts: 1 while firing, else 0.', ['alert', 'severity'], (t) =>
    (t.target?.alerts?.() ?? []).map((a) => [{ alert: a.name, severity: a.severity }, a.state === 'firing' ? 1 : 0] as const),
  );
}
