/**
 * The Prometheus metrics of a router. Create them BEFORE the router, because the router takes the
 * timing hooks at construction:
 *
 * ```ts
 * const metrics = createAdminMetrics();                                   // 1. metrics
 * const router = createRouter({ ...options, routerMetrics: metrics.routerMetrics }); // 2. router
 * const admin = createAdmin({ router, metrics });                         // 3. admin binds them
 * ```
 *
 * Counters and gauges are read from the router at scrape time (no per-event cost); histograms are fed
 * by the timing hooks, through {@link BucketHistogram} series cached per route and plugin.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import type { RouterMetrics } from '@evroute/core';
import { BATCH_SIZE_BUCKETS, BucketHistogram, END_TO_END_BUCKETS, PROCESSING_BUCKETS, SINK_WRITE_BUCKETS, type BucketCounts } from './bucket-histogram.js';
import { registerRouterCollectors } from './router-collectors.js';
import { ScrapeTarget, type MetricsTarget } from './scrape-target.js';

/** Options of {@link createAdminMetrics}. */
export interface AdminMetricsOptions {
  /**
   * Where to register the metrics. Default: a new Registry of their own, which a host merges with its
   * own (`Registry.merge([host, metrics.registry])`) or serves from the admin server's `/metrics`.
   */
  readonly registry?: Registry;
  /** Also collect prom-client's default process metrics (`process_*`, `nodejs_*`) into it. Default false. */
  readonly defaultMetrics?: boolean;
}

/** The metrics of one router; see the module comment for the order of creation. */
export interface AdminMetrics {
  readonly registry: Registry;
  /** Pass as `routerMetrics` to `createRouter`. */
  readonly routerMetrics: RouterMetrics;
  /** Route processing times, by route and plugin version (the alert evaluator reads it too). */
  readonly processing: BucketHistogram<'route' | 'plugin'>;
  /**
   * Points the scrape-time collectors at a router and its parts; `createAdmin` calls it. Returns the
   * function that unbinds (and unsubscribes from the instrumentation channels).
   */
  bind(target: MetricsTarget): () => void;
  /**
   * Counts a failed plugin load by error code, for a loader without `stats().refusedByCode` (the
   * core `PluginLoader` has it and is read at scrape time).
   */
  pluginLoadFailed(code: string): void;
}

/** Creates the metrics (see the module comment). Throws when `registry` already holds `evroute_*` metrics. */
export function createAdminMetrics(options: AdminMetricsOptions = {}): AdminMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const target = new ScrapeTarget();
  registerRouterCollectors(registry, target);

  const processing = new BucketHistogram({
    name: 'evroute_processing_duration_seconds',
    help: 'Time one route took to process one event, retries included, by route and plugin version (seed: processingTimeHistogram).',
    labelNames: ['route', 'plugin'],
    buckets: PROCESSING_BUCKETS,
    registry,
  });
  const endToEnd = new BucketHistogram({
    name: 'evroute_end_to_end_latency_seconds',
    help: 'Event time to acknowledgement (outputs committed to the sinks), per event.',
    labelNames: [],
    buckets: END_TO_END_BUCKETS,
    registry,
  });
  const sinkWrite = new BucketHistogram({
    name: 'evroute_sink_write_duration_seconds',
    help: 'Time of one sink write attempt, by sink and outcome (ok, error).',
    labelNames: ['sink', 'outcome'],
    buckets: SINK_WRITE_BUCKETS,
    registry,
  });
  const batchRows = new BucketHistogram({ name: 'evroute_sink_batch_rows', help: 'Rows per sink write attempt.', labelNames: ['sink'], buckets: BATCH_SIZE_BUCKETS, registry });
  const sinkRows = new Counter({ name: 'evroute_sink_rows_total', help: 'Rows in sink write attempts, by sink and outcome (ok, error).', labelNames: ['sink', 'outcome'], registers: [registry] });
  const sinkRetries = new Counter({ name: 'evroute_sink_retries_total', help: 'Sink writes retried after a retriable failure.', labelNames: ['sink'], registers: [registry] });
  const breakerTransitions = new Counter({
    name: 'evroute_circuit_breaker_transitions_total',
    help: 'Circuit breaker state changes, by route, plugin and new state.',
    labelNames: ['route', 'plugin', 'to'],
    registers: [registry],
  });
  const pluginLoads = new Counter({ name: 'evroute_plugin_loads_total', help: 'Plugin versions registered with the router (at start and hot-deployed), by plugin name.', labelNames: ['plugin'], registers: [registry] });

  // Series cached per route → plugin so the hook does two Map reads and no string building.
  const runSeries = new Map<string, Map<string, BucketCounts>>();
  const e2eSeries = endToEnd.series({});
  const sinkSeries = new Map<string, { ok: BucketCounts; error: BucketCounts; rows: BucketCounts }>();
  const sinkOf = (sink: string): { ok: BucketCounts; error: BucketCounts; rows: BucketCounts } => {
    let s = sinkSeries.get(sink);
    if (!s) {
      s = { ok: sinkWrite.series({ sink, outcome: 'ok' }), error: sinkWrite.series({ sink, outcome: 'error' }), rows: batchRows.series({ sink }) };
      sinkSeries.set(sink, s);
    }
    return s;
  };

  const routerMetrics: RouterMetrics = {
    routeRun(route, plugin, seconds) {
      let byPlugin = runSeries.get(route);
      if (!byPlugin) runSeries.set(route, (byPlugin = new Map()));
      let series = byPlugin.get(plugin);
      if (!series) byPlugin.set(plugin, (series = processing.series({ route, plugin })));
      series.observe(seconds);
    },
    endToEnd(seconds) {
      for (const s of seconds) e2eSeries.observe(s > 0 ? s : 0);
    },
    sinkWrite(sink, rows, seconds, ok) {
      const s = sinkOf(sink);
      (ok ? s.ok : s.error).observe(seconds);
      s.rows.observe(rows);
      sinkRows.inc({ sink, outcome: ok ? 'ok' : 'error' }, rows);
    },
  };

  const pluginLoadFailed = (code: string): void => {
    target.loadFailures.set(code, (target.loadFailures.get(code) ?? 0) + 1);
  };

  const bind = (next: MetricsTarget): (() => void) => {
    target.target = next;
    const seen = new Set<string>();
    const countLoads = (): void => {
      for (const p of next.router.registry.list()) {
        if (seen.has(p.id)) continue;
        seen.add(p.id);
        pluginLoads.inc({ plugin: p.plugin.name });
      }
    };
    countLoads();
    const stopRegistry = next.router.registry.onChange(countLoads);
    const subscriptions: [string, (message: unknown) => void][] = [
      ['evroute:sink:retry', (m) => sinkRetries.inc({ sink: String((m as { sink?: unknown }).sink) })],
      [
        'evroute:breaker:state',
        (m) => {
          const { route, plugin, to } = m as { route?: unknown; plugin?: unknown; to?: unknown };
          breakerTransitions.inc({ route: String(route), plugin: String(plugin), to: String(to) });
        },
      ],
    ];
    for (const [name, fn] of subscriptions) diagnosticsChannel.subscribe(name, fn);
    return () => {
      stopRegistry();
      for (const [name, fn] of subscriptions) diagnosticsChannel.unsubscribe(name, fn);
      if (target.target === next) target.target = undefined;
    };
  };

  return { registry, routerMetrics, processing, bind, pluginLoadFailed };
}
