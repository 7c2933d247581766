// Holds ops/ to the code: the Prometheus rules file has the in-process alert rules with the same
// thresholds, windows, `for` and severities, and neither it nor the Grafana dashboard queries a metric
// that does not exist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ALERT_NAMES, alertDefaults, createAdminMetrics } from '@evroute/admin';

const repo = join(import.meta.dirname, '..', '..', '..');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}

const rules = parse(readFileSync(join(repo, 'ops', 'prometheus', 'evroute-rules.yml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
const dashboard = JSON.parse(readFileSync(join(repo, 'ops', 'grafana', 'evroute-dashboard.json'), 'utf8')) as {
  schemaVersion: number;
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
};

/** `5m` → 300 000 ms. */
const ms = (duration: string | undefined): number => {
  if (duration === undefined) return 0;
  const m = /^(\d+)([smh])$/.exec(duration);
  if (!m) throw new Error(`cannot read duration ${duration}`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
};

/** Metric names an expression uses (histogram series suffixes stripped). */
const metricsIn = (expr: string): string[] => [...expr.matchAll(/\bevroute_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));

async function registered(): Promise<Set<string>> {
  return new Set((await createAdminMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
}

describe('ops/prometheus/evroute-rules.yml', () => {
  const group = rules.groups.find((g) => g.name === 'evroute')!;

  it('has the in-process rules, in order, with their severities and `for`', () => {
    expect(group.rules.map((r) => r.alert)).toEqual([...ALERT_NAMES]);
    expect(group.rules.map((r) => [r.alert, r.labels.severity, ms(r.for)])).toEqual(ALERT_NAMES.map((name) => [name, alertDefaults[name].severity, alertDefaults[name].forMs]));
    expect(group.rules.filter((r) => r.annotations.summary.length < 10 || r.annotations.description.length < 10)).toEqual([]);
  });

  it('uses the in-process thresholds and windows', () => {
    for (const rule of group.rules) {
      const defaults = alertDefaults[rule.alert as keyof typeof alertDefaults];
      expect(rule.expr).toContain(`> ${defaults.threshold}`);
      const windows = [...rule.expr.matchAll(/\[(\d+[smh])\]/g)].map((m) => ms(m[1]));
      expect([rule.alert, [...new Set(windows)]]).toEqual([rule.alert, defaults.windowMs === 0 ? [] : [defaults.windowMs]]);
    }
    expect(group.rules.find((r) => r.alert === 'error_rate_high')!.expr).toContain(`>= ${alertDefaults.error_rate_high.minEvents}`);
    expect(group.rules.find((r) => r.alert === 'processing_latency_high')!.expr).toContain(`histogram_quantile(${alertDefaults.processing_latency_high.quantile},`);
  });

  it('queries only metrics that exist', async () => {
    const known = await registered();
    const used = rules.groups.flatMap((g) => g.rules.flatMap((r) => metricsIn(r.expr)));
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('ops/grafana/evroute-dashboard.json', () => {
  it('has a Prometheus datasource variable that every panel uses', () => {
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.filter((p) => p.datasource?.uid !== '${datasource}').map((p) => p.title)).toEqual([]);
    expect(panels.length).toBeGreaterThan(15);
  });

  it("has the seed's panels plus lag, dead letters, breakers and the config version", () => {
    const titles = dashboard.panels.map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Events per second',
        'Processing latency p95 by route',
        'Error rate',
        'End-to-end latency (event time → sink commit)',
        'Consumer lag by partition',
        'Dead letters per second by code',
        'Circuit breakers',
        'Routing table version by instance',
      ]),
    );
  });

  it('queries only metrics that exist', async () => {
    const known = await registered();
    const used = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricsIn(t.expr)));
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((name) => !known.has(name))).toEqual([]);
  });
});
