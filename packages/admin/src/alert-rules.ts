/**
 * The alert rules evaluated in-process: the seed's three (processing latency > 30 s warning, error rate
 * > 5 % critical, processor failures > 10 critical) plus dead-letter growth and an open circuit
 * breaker. `ops/prometheus/evroute-rules.yml` holds the same rules in PromQL with the same defaults.
 * Each rule turns the change over its sliding window into one value and fires while value > threshold.
 */
import type { BreakerView } from '@evroute/core';
import type { AlertSeverity } from './api-types.js';
import { PROCESSING_BUCKETS, quantileOf } from './bucket-histogram.js';
import { adminError } from './errors.js';

/** The rule names (the `alert` label of `evroute_alert_firing` and of the Prometheus rules). */
export const ALERT_NAMES = ['processing_latency_high', 'error_rate_high', 'processor_failure', 'dead_letter_growth', 'breaker_open'] as const;

/** One of {@link ALERT_NAMES}. */
export type AlertName = (typeof ALERT_NAMES)[number];

/** Settings of one rule; anything left out takes the rule's default. */
export interface AlertRuleOptions {
  /** Default true. */
  readonly enabled?: boolean;
  /** The rule fires while its value is greater than this. */
  readonly threshold?: number;
  /** The sliding window the value is computed over, ms. */
  readonly windowMs?: number;
  /** How long the condition must hold before the alert fires, ms (the Prometheus rule's `for`). */
  readonly forMs?: number;
  readonly severity?: AlertSeverity;
  /** processing_latency_high only: the quantile compared with the threshold (default 0.95). */
  readonly quantile?: number;
  /** error_rate_high only: fewer route runs than this in the window never fire (default 20). */
  readonly minEvents?: number;
}

/** A rule with every setting resolved. */
export interface ResolvedRule {
  readonly name: AlertName;
  readonly threshold: number;
  readonly windowMs: number;
  readonly forMs: number;
  readonly severity: AlertSeverity;
  readonly quantile: number;
  readonly minEvents: number;
  readonly description: string;
}

/** The defaults, as in the seed and `ops/prometheus/evroute-rules.yml`. */
export const alertDefaults: Readonly<Record<AlertName, Omit<ResolvedRule, 'name'>>> = {
  processing_latency_high: { threshold: 30, windowMs: 300_000, forMs: 60_000, severity: 'warning', quantile: 0.95, minEvents: 1, description: 'p95 route processing time over the window, seconds' },
  error_rate_high: { threshold: 0.05, windowMs: 300_000, forMs: 60_000, severity: 'critical', quantile: 0.95, minEvents: 20, description: 'failed / all route runs over the window (0.05 = 5 %)' },
  processor_failure: { threshold: 10, windowMs: 300_000, forMs: 0, severity: 'critical', quantile: 0.95, minEvents: 1, description: 'route runs that failed (to the dead-letter output) over the window' },
  dead_letter_growth: { threshold: 0, windowMs: 300_000, forMs: 0, severity: 'warning', quantile: 0.95, minEvents: 1, description: 'records written to the dead-letter output over the window' },
  breaker_open: { threshold: 0, windowMs: 0, forMs: 0, severity: 'critical', quantile: 0.95, minEvents: 1, description: 'circuit breakers open now' },
};

/** Resolves rule options against the defaults; throws `EVR_ERR_ADMIN_OPTIONS_INVALID` for a bad value. */
export function resolveRules(options: Partial<Record<string, AlertRuleOptions>> = {}): ResolvedRule[] {
  for (const name of Object.keys(options)) {
    if (!(ALERT_NAMES as readonly string[]).includes(name)) throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', `alerts.rules.${name}: unknown rule; the rules are ${ALERT_NAMES.join(', ')}`);
  }
  const rules: ResolvedRule[] = [];
  for (const name of ALERT_NAMES) {
    const given = options[name] ?? {};
    if (given.enabled === false) continue;
    const rule: ResolvedRule = { name, ...alertDefaults[name], ...withoutUndefined(given) };
    const bad = (key: string, want: string): never => {
      throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', `alerts.rules.${name}.${key} must be ${want}`);
    };
    if (!(rule.threshold >= 0)) bad('threshold', 'a number >= 0');
    if (name === 'error_rate_high' && rule.threshold > 1) bad('threshold', 'a ratio between 0 and 1 (0.05 means 5 %)');
    if (!(rule.windowMs >= 0)) bad('windowMs', 'a number of ms >= 0');
    if (!(rule.forMs >= 0)) bad('forMs', 'a number of ms >= 0');
    if (!(rule.quantile > 0 && rule.quantile < 1)) bad('quantile', 'between 0 and 1');
    if (rule.severity !== 'warning' && rule.severity !== 'critical') bad('severity', "'warning' or 'critical'");
    rules.push(rule);
  }
  return rules;
}

function withoutUndefined(o: AlertRuleOptions): Partial<Omit<ResolvedRule, 'name' | 'description'>> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'enabled'));
}

/** What the evaluator samples on each tick: cumulative totals and the breakers now. */
export interface AlertSample {
  readonly t: number;
  readonly processed: number;
  readonly failed: number;
  readonly deadLettered: number;
  readonly failedByRoute: Readonly<Record<string, number>>;
  /** Processing-time bucket counts over all routes (cumulative since start). */
  readonly latency: Float64Array;
  readonly breakers: readonly BreakerView[];
}

/** A rule's value over its window, and a one-line summary with the numbers. */
export interface RuleValue {
  readonly value: number | null;
  readonly summary: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** Evaluates one rule from the newest sample and the sample at the start of its window. */
export function evaluateRule(rule: ResolvedRule, now: AlertSample, base: AlertSample): RuleValue {
  const windowText = `${Math.round((now.t - base.t) / 1000)} s`;
  switch (rule.name) {
    case 'processing_latency_high': {
      const delta = now.latency.map((n, i) => n - (base.latency[i] ?? 0));
      const q = quantileOf(rule.quantile, delta, PROCESSING_BUCKETS);
      return { value: q ?? null, summary: q === undefined ? '' : `p${Math.round(rule.quantile * 100)} processing time ${q.toFixed(3)} s over ${windowText} (threshold ${rule.threshold} s)` };
    }
    case 'error_rate_high': {
      const failed = now.failed - base.failed;
      const runs = now.processed - base.processed + failed;
      if (runs < rule.minEvents || runs <= 0) return { value: null, summary: '' };
      const rate = failed / runs;
      return { value: rate, summary: `error rate ${pct(rate)} (${failed} of ${runs} route runs failed) over ${windowText} (threshold ${pct(rule.threshold)})` };
    }
    case 'processor_failure': {
      const failed = now.failed - base.failed;
      const worst = Object.entries(now.failedByRoute)
        .map(([route, n]) => [route, n - (base.failedByRoute[route] ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([route, n]) => `route ${route}: ${n}`);
      return { value: failed, summary: `${failed} failed route runs over ${windowText}${worst.length ? ` (${worst.join(', ')})` : ''} (threshold ${rule.threshold})` };
    }
    case 'dead_letter_growth': {
      const grown = now.deadLettered - base.deadLettered;
      return { value: grown, summary: `${grown} records dead-lettered over ${windowText} (threshold ${rule.threshold})` };
    }
    case 'breaker_open': {
      const open = now.breakers.filter((b) => b.state === 'open');
      return { value: open.length, summary: `${open.length} circuit breaker(s) open${open.length ? `: ${open.map((b) => `route ${b.route} (${b.plugin})`).join(', ')}` : ''}` };
    }
    default:
      return rule.name satisfies never;
  }
}
