/**
 * Evaluates the alert rules in-process on a timer, over sliding windows of samples it keeps (router
 * counters, processing-time buckets, breaker states). Each firing and resolved transition is logged,
 * kept for `/alerts`, published on the `evroute:alert:transition` diagnostics channel, and handed to
 * listeners (the webhook). `evroute_alert_firing` reads {@link AlertEvaluator.view}.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Logger } from 'pino';
import type { Router } from '@evroute/core';
import type { AlertState, AlertTransition, AlertView, AlertsView } from './api-types.js';
import type { BucketHistogram } from './bucket-histogram.js';
import { evaluateRule, resolveRules, type AlertRuleOptions, type AlertSample, type ResolvedRule } from './alert-rules.js';
import { totalsOf } from './stats-history.js';

/** Alert settings (`createAdmin({ alerts })`, the `admin.alerts` section of a run config). */
export interface AlertOptions {
  /** Default true; false evaluates nothing (the endpoint and metric list no alerts). */
  readonly enabled?: boolean;
  /** Evaluate every this many ms (default 5 000). */
  readonly intervalMs?: number;
  /** Per-rule settings by rule name; see `alertDefaults`. */
  readonly rules?: Partial<Record<string, AlertRuleOptions>>;
}

const channel = diagnosticsChannel.channel('evroute:alert:transition');
const RECENT = 50;

interface RuleState {
  state: AlertState;
  since: number | undefined;
  value: number | null;
  summary: string;
}

/** The evaluator; `start()` begins the timer, `evaluate()` runs one round (tests call it too). */
export class AlertEvaluator {
  readonly #router: Router;
  readonly #processing: BucketHistogram<'route' | 'plugin'>;
  readonly #logger: Logger;
  readonly #rules: ResolvedRule[];
  readonly #intervalMs: number;
  readonly #states = new Map<string, RuleState>();
  readonly #samples: AlertSample[] = [];
  readonly #recent: AlertTransition[] = [];
  readonly #listeners = new Set<(t: AlertTransition) => void>();
  readonly #maxWindowMs: number;
  #timer: NodeJS.Timeout | undefined;

  /** Throws `EVR_ERR_ADMIN_OPTIONS_INVALID` for bad rule settings. */
  constructor(router: Router, processing: BucketHistogram<'route' | 'plugin'>, logger: Logger, options: AlertOptions = {}) {
    this.#router = router;
    this.#processing = processing;
    this.#logger = logger;
    this.#rules = options.enabled === false ? [] : resolveRules(options.rules);
    this.#intervalMs = options.intervalMs ?? 5_000;
    this.#maxWindowMs = Math.max(0, ...this.#rules.map((r) => r.windowMs));
    for (const rule of this.#rules) this.#states.set(rule.name, { state: 'inactive', since: undefined, value: null, summary: '' });
  }

  /** Evaluates once (the first sample: every window is empty) and starts the timer (unref'd). */
  start(): void {
    if (this.#timer || this.#rules.length === 0) return;
    this.evaluate();
    this.#timer = setInterval(() => this.evaluate(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Calls `listener` on every transition. Returns the unsubscribe function. */
  onTransition(listener: (t: AlertTransition) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Samples now and evaluates every rule; logs and publishes the transitions. */
  evaluate(now = Date.now()): void {
    const current = this.#sample(now);
    this.#samples.push(current);
    // Keep the newest sample at or before the longest window's start: it is that window's baseline.
    while (this.#samples.length > 2 && this.#samples[1]!.t <= now - this.#maxWindowMs) this.#samples.shift();
    for (const rule of this.#rules) {
      const base = this.#baseline(now - rule.windowMs);
      const { value, summary } = evaluateRule(rule, current, base);
      const s = this.#states.get(rule.name)!;
      s.value = value;
      const active = value !== null && value > rule.threshold;
      if (active) {
        s.summary = summary;
        if (s.state === 'inactive') {
          s.state = 'pending';
          s.since = now;
        }
        if (s.state === 'pending' && now - (s.since ?? now) >= rule.forMs) {
          s.state = 'firing';
          s.since = now;
          this.#transition(rule, 'firing', value, summary, now);
        }
      } else if (s.state !== 'inactive') {
        const wasFiring = s.state === 'firing';
        s.state = 'inactive';
        s.since = undefined;
        s.summary = '';
        if (wasFiring) this.#transition(rule, 'resolved', value, summary || `${rule.name} back under ${rule.threshold}`, now);
      }
    }
  }

  /** Every rule with its state. */
  alerts(): AlertView[] {
    return this.#rules.map((rule) => {
      const s = this.#states.get(rule.name)!;
      return {
        name: rule.name,
        severity: rule.severity,
        state: s.state,
        value: s.value,
        threshold: rule.threshold,
        windowSeconds: rule.windowMs / 1000,
        since: s.since === undefined ? null : new Date(s.since).toISOString(),
        summary: s.summary,
        description: rule.description,
      };
    });
  }

  /** `GET /alerts`. */
  view(): AlertsView {
    return { alerts: this.alerts(), recent: [...this.#recent] };
  }

  #baseline(start: number): AlertSample {
    let base = this.#samples[0]!;
    for (const s of this.#samples) {
      if (s.t > start) break;
      base = s;
    }
    return base;
  }

  #sample(t: number): AlertSample {
    const stats = this.#router.stats();
    const totals = totalsOf(stats, t);
    return { t, processed: totals.processed, failed: totals.failed, deadLettered: totals.deadLettered, failedByRoute: stats.failedByRoute, latency: this.#processing.total(), breakers: this.#router.breakers() };
  }

  #transition(rule: ResolvedRule, state: 'firing' | 'resolved', value: number | null, summary: string, now: number): void {
    const t: AlertTransition = { alert: rule.name, severity: rule.severity, state, value, threshold: rule.threshold, at: new Date(now).toISOString(), summary };
    const fields = { alert: rule.name, severity: rule.severity, value, threshold: rule.threshold };
    if (state === 'resolved') this.#logger.info(fields, `alert resolved: ${rule.name}: ${summary}`);
    else if (rule.severity === 'critical') this.#logger.error(fields, `alert firing: ${rule.name}: ${summary}`);
    else this.#logger.warn(fields, `alert firing: ${rule.name}: ${summary}`);
    this.#recent.unshift(t);
    if (this.#recent.length > RECENT) this.#recent.pop();
    if (channel.hasSubscribers) channel.publish(t);
    for (const listener of this.#listeners) {
      try {
        listener(t);
      } catch (error) {
        this.#logger.error({ err: error, alert: rule.name }, 'alert listener threw');
      }
    }
  }
}
