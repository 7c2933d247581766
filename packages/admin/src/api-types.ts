/**
 * The JSON the admin HTTP API answers, endpoint by endpoint (docs/guides/operations.md shows
 * examples). The admin client returns these types; the status page reads `/status` and `/stats/history`.
 */
import type { BreakerState, BreakerView, StatsSnapshot } from '@evroute/core';

/** One route of the live routing table (`GET /routes`). Route configs are not shown: they may hold secrets. */
export interface RouteView {
  readonly id: string;
  readonly domain: string;
  readonly eventType: string;
  /** `domain:type`. */
  readonly key: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly fanout: boolean;
  /** Paused by an operator (`POST /routes/:id/pause`): its events are parked until it is resumed. */
  readonly paused: boolean;
  /** The processor the config row names (plugin name, alias or `name@range`). */
  readonly processor: string;
  /** The plugin serving the route, or null for a disabled route. */
  readonly plugin: string | null;
  readonly pluginVersion: string | null;
  /** Output name → sink and table/topic; null when disabled for this route. */
  readonly outputs: Readonly<Record<string, { readonly sink: string; readonly target: string } | null>>;
  /** Events this route processed (since the router started). */
  readonly processed: number;
  /** Events this route failed (they went to the dead-letter output). */
  readonly failed: number;
  /** The circuit breaker of its processor instance, null when it has none yet. */
  readonly breaker: BreakerState | null;
}

/** `GET /routes`: the live routing table. */
export interface RoutesView {
  /** The router's table version (increases with every applied change). */
  readonly version: number;
  /** The config source's snapshot version the table was built from. */
  readonly sourceVersion: number;
  readonly routes: readonly RouteView[];
  /** Rows refused when this version was built. */
  readonly refused: readonly { readonly id: string; readonly code: string; readonly message: string; readonly keptPrevious: boolean }[];
  /** Route ids paused now (a paused id may no longer be in the table). */
  readonly paused: readonly string[];
}

/** A plugin version registered with the router. */
export interface RegisteredPluginView {
  readonly name: string;
  readonly version: string;
  readonly aliases: readonly string[];
  /** Ids of the live routes it serves. */
  readonly routes: readonly string[];
}

/** A bundle as the hot-deploy plugin loader reports it (fields it does not report are null). */
export interface BundleView {
  readonly name: string | null;
  readonly version: string | null;
  /** The loader's state word, e.g. `loaded`, `failed`, `retired`. */
  readonly state: string | null;
  readonly lastError: { readonly code: string | null; readonly message: string } | null;
  /** Other scalar fields the loader reports (path, isolation, loadedAt, ...). */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/** `GET /plugins`. */
export interface PluginsView {
  readonly registered: readonly RegisteredPluginView[];
  /** The plugin loader's bundles, or null when no loader was given to the admin server. */
  readonly bundles: readonly BundleView[] | null;
}

/** `GET /breakers`. */
export interface BreakersView {
  readonly breakers: readonly BreakerView[];
}

/** One readiness check. */
export interface CheckView {
  readonly name: string;
  readonly ok: boolean;
  readonly reason?: string;
}

/** `GET /readyz` (503 when not ready). */
export interface ReadyView {
  readonly ready: boolean;
  /** Names of the failing checks, e.g. `["source"]`. */
  readonly failing: readonly string[];
  readonly checks: readonly CheckView[];
}

/** Alert severities, as in the seed's rules. */
export type AlertSeverity = 'warning' | 'critical';

/** `inactive` (condition false), `pending` (true, not yet for `forMs`), `firing`. */
export type AlertState = 'inactive' | 'pending' | 'firing';

/** One alert rule and its state (`GET /alerts`). */
export interface AlertView {
  readonly name: string;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  /** The value last evaluated (null when there was no data, e.g. no events in the window). */
  readonly value: number | null;
  readonly threshold: number;
  readonly windowSeconds: number;
  /** ISO time the current state began (null for inactive). */
  readonly since: string | null;
  /** One line saying what is wrong, with numbers (empty when inactive). */
  readonly summary: string;
  /** What the rule checks. */
  readonly description: string;
}

/** A firing or resolved transition (`GET /alerts` `recent`, the webhook body, the log line). */
export interface AlertTransition {
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly state: 'firing' | 'resolved';
  readonly value: number | null;
  readonly threshold: number;
  /** ISO time of the transition. */
  readonly at: string;
  readonly summary: string;
}

/** `GET /alerts`. */
export interface AlertsView {
  readonly alerts: readonly AlertView[];
  /** The latest transitions, newest first. */
  readonly recent: readonly AlertTransition[];
}

/** Rates over one history interval, events per second. */
export interface Rates {
  readonly inPerSecond: number;
  readonly processedPerSecond: number;
  readonly failedPerSecond: number;
  readonly deadLetteredPerSecond: number;
}

/** One sample of `GET /stats/history`: the time (epoch ms) and the rates since the sample before. */
export interface HistorySample extends Rates {
  readonly t: number;
}

/** `GET /stats/history`: throughput over the last minutes, oldest first. */
export interface HistoryView {
  readonly intervalSeconds: number;
  readonly samples: readonly HistorySample[];
}

/** `GET /status`: everything the status page and `evroute status` show, in one answer. */
export interface StatusView {
  readonly service: 'evroute';
  readonly coreVersion: string;
  /** ISO time the admin server started. */
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  readonly ready: ReadyView;
  readonly config: {
    readonly version: number;
    readonly sourceVersion: number;
    readonly routes: number;
    readonly enabled: number;
    readonly paused: number;
    readonly refused: number;
  };
  readonly stats: StatsSnapshot;
  /** Rates over the latest history interval. */
  readonly throughput: Rates;
  readonly routes: readonly RouteView[];
  readonly plugins: PluginsView;
  readonly breakers: readonly BreakerView[];
  readonly alerts: readonly AlertView[];
}

/** What `POST /routes/:id/pause|resume` answer. */
export interface PauseView {
  readonly route: string;
  readonly paused: boolean;
}

/** What `POST /config/reload` answers: what happened, and the table version live afterwards. */
export interface ReloadView {
  readonly reloaded: true;
  /**
   * `applied`: a new table went live; `unchanged`: the source had nothing newer (or no new table went
   * live within a second of the source answering); `refused`: the snapshot was refused as a whole
   * (all-or-nothing policy; see `/routes` and the log).
   */
  readonly outcome: 'applied' | 'unchanged' | 'refused';
  readonly version: number;
}

/** The error body of every failed request. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}
