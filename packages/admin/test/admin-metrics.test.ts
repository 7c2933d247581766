// The Prometheus metrics: every one is exposed once bound to a running router, the values follow the
// router, the registry merges into a host's, and docs/reference/metrics.md lists exactly these metrics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import { BucketHistogram, createAdminMetrics, quantileOf } from '@evroute/admin';
import { startRouter, type Fixture } from './fixtures/router.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function bound(components: Record<string, unknown> = {}, options: Parameters<typeof startRouter>[0] = {}): Promise<{ fx: Fixture; text: () => Promise<string> }> {
  const fx = await startRouter(options);
  const unbind = fx.metrics.bind({ router: fx.router, components, ready: () => true, alerts: () => [] });
  stops.push(async () => {
    unbind();
    await fx.router.stop();
  });
  return { fx, text: () => fx.metrics.registry.metrics() };
}

/** The value of one exposition line, e.g. `line(text, 'evroute_events_received_total')`. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('admin metrics', () => {
  it('follow the router: events in, out and failed per route and plugin version, dead letters, config version', async () => {
    const { fx, text } = await bound();
    fx.send('order_paid', 4);
    fx.send('order_refunded', 2, { fail: true });
    fx.send('order_unknown', 1);
    await waitFor(() => fx.router.stats().acknowledged === 7);
    const t = await text();
    expect(value(t, 'evroute_events_received_total')).toBe(7);
    expect(value(t, 'evroute_events_acknowledged_total')).toBe(7);
    expect(value(t, 'evroute_events_processed_total{route="1",plugin="echo@1.2.0"}')).toBe(4);
    expect(value(t, 'evroute_events_failed_total{route="2",plugin="flaky@2.0.0"}')).toBe(2);
    expect(value(t, 'evroute_events_unmatched_total')).toBe(1);
    expect(value(t, 'evroute_outputs_written_total')).toBe(4);
    expect(value(t, 'evroute_dead_letters_total{code="EVR_ERR_PROCESSOR_FAILED"}')).toBe(2);
    expect(value(t, 'evroute_dead_letters_total{code="EVR_ERR_ROUTE_UNMATCHED"}')).toBe(1);
    expect(value(t, 'evroute_config_version')).toBe(fx.router.table().version);
    expect(value(t, 'evroute_routes{state="enabled"}')).toBe(2);
    expect(value(t, 'evroute_routes{state="disabled"}')).toBe(1);
    expect(value(t, 'evroute_active_processors{plugin="echo@1.2.0"}')).toBe(1);
    expect(value(t, 'evroute_circuit_breaker_state{route="2",plugin="flaky@2.0.0",state="closed"}')).toBe(1);
    expect(value(t, 'evroute_circuit_breaker_state{route="2",plugin="flaky@2.0.0",state="open"}')).toBe(0);
    expect(value(t, 'evroute_plugin_info{plugin="flaky",version="2.0.0"}')).toBe(1);
    expect(value(t, 'evroute_plugin_loads_total{plugin="echo"}')).toBe(1);
    expect(value(t, 'evroute_ready')).toBe(1);
  });

  it('fill the histograms from the timing hooks: processing, end-to-end, sink writes and batch sizes', async () => {
    const { fx, text } = await bound();
    fx.send('order_paid', 10);
    await waitFor(() => fx.router.stats().acknowledged === 10);
    const t = await text();
    expect(value(t, 'evroute_processing_duration_seconds_count{route="1",plugin="echo@1.2.0"}')).toBe(10);
    expect(value(t, 'evroute_processing_duration_seconds_bucket{route="1",plugin="echo@1.2.0",le="+Inf"}')).toBe(10);
    expect(value(t, 'evroute_end_to_end_latency_seconds_count')).toBe(10);
    expect(value(t, 'evroute_sink_rows_total{sink="mem",outcome="ok"}')).toBe(10);
    expect(value(t, 'evroute_sink_write_duration_seconds_count{sink="mem",outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(value(t, 'evroute_sink_batch_rows_sum{sink="mem"}')).toBe(10);
    // Buckets are cumulative and end at the count.
    const buckets = t.split('\n').filter((l) => l.startsWith('evroute_processing_duration_seconds_bucket{')).map((l) => Number(l.split(' ')[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets.at(-1)).toBe(10);
  });

  it('read consumer lag and dimension cache counters from the parts that report them', async () => {
    const kafkaLike = { positions: () => [{ topic: 'events', partition: 0, committed: '5', acknowledged: '7', window: 2, lag: '12' }, { topic: 'events', partition: 1, lag: null }] };
    const lookup = { stats: () => ({ hits: 40, misses: 2, coalesced: 0, errors: 0, fetches: 1, evictions: 0, size: 2, inflight: 0 }) };
    const { text } = await bound({ source: kafkaLike, 'services:students': lookup, broken: { lag: () => { throw new Error('x'); } } });
    const t = await text();
    expect(value(t, 'evroute_consumer_lag_records{topic="events",partition="0"}')).toBe(12);
    expect(t).not.toContain('partition="1"');
    expect(value(t, 'evroute_dimension_cache_hits_total{lookup="services:students"}')).toBe(40);
    expect(value(t, 'evroute_dimension_cache_misses_total{lookup="services:students"}')).toBe(2);
    expect(value(t, 'evroute_dimension_cache_entries{lookup="services:students"}')).toBe(2);
  });

  it('count plugin load failures from the loader and from pluginLoadFailed, and bundles by state', async () => {
    const fx = await startRouter();
    const loader = { list: () => [{ state: 'loaded' }, { state: 'refused' }, { state: 'refused' }], stats: () => ({ refusedByCode: { EVR_ERR_HOTDEPLOY_HASH_MISMATCH: 2 } }) };
    const unbind = fx.metrics.bind({ router: fx.router, plugins: loader });
    stops.push(async () => {
      unbind();
      await fx.router.stop();
    });
    fx.metrics.pluginLoadFailed('EVR_ERR_HOTDEPLOY_HASH_MISMATCH');
    fx.metrics.pluginLoadFailed('EVR_ERR_PLUGIN_CORE_RANGE');
    const t = await fx.metrics.registry.metrics();
    expect(value(t, 'evroute_plugin_load_failures_total{code="EVR_ERR_HOTDEPLOY_HASH_MISMATCH"}')).toBe(3);
    expect(value(t, 'evroute_plugin_load_failures_total{code="EVR_ERR_PLUGIN_CORE_RANGE"}')).toBe(1);
    expect(value(t, 'evroute_plugin_bundles{state="refused"}')).toBe(2);
    expect(value(t, 'evroute_plugin_bundles{state="loaded"}')).toBe(1);
  });

  it('count sink retries and breaker transitions from the instrumentation channels', async () => {
    const { fx, text } = await bound({}, { faultIsolation: { retries: 0, breaker: { failureThreshold: 2, openMs: 60_000 } } });
    fx.sink.failNext = 1;
    fx.send('order_paid', 1);
    await waitFor(() => fx.router.stats().acknowledged === 1);
    expect(value(await text(), 'evroute_sink_retries_total{sink="mem"}')).toBe(1);
    expect(value(await text(), 'evroute_sink_rows_total{sink="mem",outcome="error"}')).toBe(1);
    fx.send('order_refunded', 2, { fail: true });
    await waitFor(() => fx.router.stats().acknowledged === 3);
    expect(value(await text(), 'evroute_circuit_breaker_transitions_total{route="2",plugin="flaky@2.0.0",to="open"}')).toBe(1);
    expect(value(await text(), 'evroute_circuit_breaker_state{route="2",plugin="flaky@2.0.0",state="open"}')).toBe(1);
  });

  it('go into an injected registry that merges with a host registry', async () => {
    const host = new Registry();
    new Counter({ name: 'host_requests_total', help: 'host metric', registers: [host] }).inc(3);
    const metrics = createAdminMetrics({ registry: new Registry() });
    const merged = await Registry.merge([host, metrics.registry]).metrics();
    expect(merged).toContain('host_requests_total 3');
    expect(merged).toContain('# TYPE evroute_processing_duration_seconds histogram');
    expect(() => createAdminMetrics({ registry: metrics.registry })).toThrow(/already been registered/);
  });

  it('docs/reference/metrics.md lists every metric, and no other', async () => {
    const metrics = createAdminMetrics();
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name).sort();
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'reference', 'metrics.md'), 'utf8');
    const documented = [...new Set([...doc.matchAll(/^\| `(evroute_[a-z_]+)` \|/gm)].map((m) => m[1]!))].sort();
    expect(documented).toEqual(names);
    expect(names.length).toBeGreaterThanOrEqual(30);
  });
});

describe('bucket histogram', () => {
  it('computes quantiles as PromQL histogram_quantile does', () => {
    const bounds = [1, 2, 4];
    expect(quantileOf(0.5, [0, 10, 0, 0], bounds)).toBe(1.5);
    expect(quantileOf(0.95, [10, 0, 0, 0], bounds)).toBe(0.95);
    expect(quantileOf(0.5, [0, 0, 0, 3], bounds)).toBe(4); // in +Inf: the highest finite bound
    expect(quantileOf(0.5, [0, 0, 0, 0], bounds)).toBeUndefined();
  });

  it('observes with le semantics (a value equal to a bound counts in that bucket)', async () => {
    const registry = new Registry();
    const h = new BucketHistogram({ name: 't_seconds', help: 'h', labelNames: ['a'], buckets: [0.1, 1], registry });
    const s = h.series({ a: 'x' });
    s.observe(0.1);
    s.observe(0.5);
    s.observe(3);
    expect(Array.from(s.counts)).toEqual([1, 1, 1]);
    const text = await registry.metrics();
    expect(text).toContain('t_seconds_bucket{a="x",le="0.1"} 1');
    expect(text).toContain('t_seconds_bucket{a="x",le="1"} 2');
    expect(text).toContain('t_seconds_bucket{a="x",le="+Inf"} 3');
    expect(text).toContain('t_seconds_sum{a="x"} 3.6');
    expect(quantileOf(0.5, h.total(), [0.1, 1])).toBeCloseTo(0.55);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('t_seconds_bucket');
  });
});
