/**
 * Fault-isolation settings: router-wide defaults (mapped from the seed's `fault.isolation.*`
 * properties), overridable per route by reserved `config_json` keys. The reserved keys are removed from
 * the config before the plugin's schema sees it, so plugins need not declare them.
 */
import type { BackoffOptions } from './backoff.js';
import type { BreakerOptions } from './circuit-breaker.js';

/** What happens to an event while its processor's breaker is open or its retries are exhausted. */
export type FallbackPolicy = 'dead-letter' | 'park';

/** Router-wide fault-isolation options (`RouterOptions.faultIsolation`). */
export interface FaultIsolationOptions {
  /** Per-event processing timeout for asynchronous processors, ms (default 30 000; 0 = none). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt for retriable failures (default 3; route key `retry_times`). */
  readonly retries?: number;
  /** Backoff between retries (default 100 ms doubling, at most 5 s, with jitter). */
  readonly backoff?: BackoffOptions;
  /** The circuit breaker; `false` disables it (seed `fault.isolation.circuit.breaker.enabled`). */
  readonly breaker?: BreakerOptions | false;
  /** Default `dead-letter` (seed `fault.isolation.fallback.enabled=true`); `park` holds and retries. */
  readonly fallback?: FallbackPolicy;
  /** Most calls in flight per processor instance (bulkhead, default 64; route key `max_concurrency`). */
  readonly maxConcurrent?: number;
}

/** The resolved settings of one route. */
export interface IsolationSettings {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoff: BackoffOptions;
  readonly breaker: BreakerOptions | false;
  readonly fallback: FallbackPolicy;
  readonly maxConcurrent: number;
}

/** `config_json` keys that belong to the router, not the plugin. */
export const RESERVED_CONFIG_KEYS = ['retry_times', 'timeout_ms', 'fallback', 'max_concurrency', 'circuit_breaker'] as const;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * Splits a route config into the plugin's part and the resolved isolation settings. Throws a plain
 * Error with a message naming the bad reserved key; the router turns it into a refusal.
 */
export function splitIsolation(config: unknown, defaults: FaultIsolationOptions = {}): { pluginConfig: unknown; settings: IsolationSettings } {
  const base: IsolationSettings = {
    timeoutMs: defaults.timeoutMs ?? 30_000,
    retries: defaults.retries ?? 3,
    backoff: defaults.backoff ?? { initialMs: 100, maxMs: 5_000 },
    breaker: defaults.breaker ?? {},
    fallback: defaults.fallback ?? 'dead-letter',
    maxConcurrent: defaults.maxConcurrent ?? 64,
  };
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return { pluginConfig: config, settings: base };
  const own = { ...(config as Record<string, unknown>) };
  const reserved: Record<string, unknown> = {};
  for (const key of RESERVED_CONFIG_KEYS) {
    if (key in own) {
      reserved[key] = own[key];
      delete own[key];
    }
  }
  const bad = (key: string, want: string): never => {
    throw new Error(`config_json.${key} must be ${want}`);
  };
  let { timeoutMs, retries, fallback, maxConcurrent, breaker } = base;
  if ('retry_times' in reserved) retries = num(reserved['retry_times']) ?? bad('retry_times', 'a non-negative integer');
  if ('timeout_ms' in reserved) timeoutMs = num(reserved['timeout_ms']) ?? bad('timeout_ms', 'a non-negative integer');
  if ('max_concurrency' in reserved) maxConcurrent = num(reserved['max_concurrency']) || bad('max_concurrency', 'a positive integer');
  if ('fallback' in reserved) {
    const f = reserved['fallback'];
    fallback = f === 'dead-letter' || f === 'park' ? f : bad('fallback', "'dead-letter' or 'park'");
  }
  if ('circuit_breaker' in reserved) {
    const cb = reserved['circuit_breaker'];
    if (cb === false) breaker = false;
    else if (typeof cb === 'object' && cb !== null) {
      const o = cb as Record<string, unknown>;
      const pick = (k: string): number | undefined => (k in o ? (num(o[k]) ?? bad(`circuit_breaker.${k}`, 'a non-negative integer')) : undefined);
      const failureThreshold = pick('failure_threshold');
      const successThreshold = pick('success_threshold');
      const openMs = pick('open_ms');
      breaker = {
        ...breaker,
        ...(failureThreshold === undefined ? {} : { failureThreshold }),
        ...(successThreshold === undefined ? {} : { successThreshold }),
        ...(openMs === undefined ? {} : { openMs }),
      };
    } else bad('circuit_breaker', 'false or an object');
  }
  return { pluginConfig: own, settings: { ...base, timeoutMs, retries, fallback, maxConcurrent, breaker } };
}

/**
 * Maps the seed's `fault.isolation.*` properties onto {@link FaultIsolationOptions}:
 * - `fault.isolation.enabled=false`: no breaker, no retries, no timeout (failures go straight to the dead-letter output);
 * - `fault.isolation.circuit.breaker.enabled=false`: no breaker;
 * - `fault.isolation.failure.threshold` → `breaker.failureThreshold` (default 5);
 * - `fault.isolation.success.threshold` → `breaker.successThreshold` (default 3);
 * - `fault.isolation.timeout.ms` → `breaker.openMs` (default 30 000; the seed used it for the wait before half-open);
 * - `fault.isolation.fallback.enabled=true` → `fallback: 'dead-letter'`; `false` → `fallback: 'park'` (no fallback:
 *   hold the events and retry until the processor recovers).
 * Unknown `fault.isolation.*` keys are returned in `unknown` so the caller can warn about them.
 */
export function isolationFromSeedProperties(props: Readonly<Record<string, string>>): { options: FaultIsolationOptions; unknown: string[] } {
  const known = new Set(['enabled', 'circuit.breaker.enabled', 'failure.threshold', 'success.threshold', 'timeout.ms', 'fallback.enabled']);
  const get = (k: string): string | undefined => props[`fault.isolation.${k}`]?.trim();
  const int = (k: string): number | undefined => {
    const v = get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const unknown = Object.keys(props).filter((k) => k.startsWith('fault.isolation.') && !known.has(k.slice('fault.isolation.'.length)));
  if (get('enabled') === 'false') return { options: { breaker: false, retries: 0, timeoutMs: 0, fallback: 'dead-letter' }, unknown };
  const failureThreshold = int('failure.threshold');
  const successThreshold = int('success.threshold');
  const openMs = int('timeout.ms');
  const breaker: FaultIsolationOptions['breaker'] =
    get('circuit.breaker.enabled') === 'false'
      ? false
      : {
          ...(failureThreshold === undefined ? {} : { failureThreshold }),
          ...(successThreshold === undefined ? {} : { successThreshold }),
          ...(openMs === undefined ? {} : { openMs }),
        };
  const fallback = get('fallback.enabled') === 'false' ? 'park' : 'dead-letter';
  return { options: { breaker, fallback }, unknown };
}
