/**
 * `evroute status`: reads a running router's admin API and prints readiness, counters, the routes and
 * the alerts as aligned tables (or the `/status` JSON with `--json`). Also the pieces `evroute routes`
 * and `evroute plugins` share: the client from `--url`/`--token`, the table printer, and the error
 * handling (exit 1 when the admin API cannot be reached or answers an error, 2 for bad usage).
 */
import { isEvrouteError } from '@evroute/core';
import { createAdminClient, type AdminClient, type AlertView, type RouteView, type StatusView } from '@evroute/admin';

/** The admin API `evroute run` serves by default. */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9464';

/** What the admin API commands take from the command line and the environment. */
export interface AdminCommandOptions {
  /** `--url`; default `EVROUTE_ADMIN_URL`, then {@link DEFAULT_ADMIN_URL}. */
  readonly url?: string | undefined;
  /** `--token`; default `EVROUTE_ADMIN_TOKEN`. */
  readonly token?: string | undefined;
  readonly json: boolean;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The environment to read the defaults from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A cell: text, or a number (right-aligned, with thousands separators). */
export type Cell = string | number;

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** Renders rows under upper-case headers in aligned columns, two spaces apart. */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map((c) => (typeof c === 'number' ? fmt.format(c) : c)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...text.map(line)].join('\n') + '\n';
}

/** Runs one admin API command: makes the client, maps errors to messages and exit codes. */
export async function withAdminClient(command: string, options: AdminCommandOptions, run: (client: AdminClient, url: string) => Promise<number>): Promise<number> {
  const env = options.env ?? process.env;
  const url = options.url ?? env['EVROUTE_ADMIN_URL'] ?? DEFAULT_ADMIN_URL;
  const token = options.token ?? env['EVROUTE_ADMIN_TOKEN'];
  try {
    return await run(createAdminClient({ url, ...(token ? { token } : {}) }), url);
  } catch (error) {
    if (!isEvrouteError(error)) throw error;
    let hint = '';
    if (error.code === 'EVR_ERR_ADMIN_UNAUTHORIZED' || error.code === 'EVR_ERR_ADMIN_TOKEN_NOT_SET') hint = '\n  (pass --token or set EVROUTE_ADMIN_TOKEN to the admin.token of the run config)';
    options.err(`evroute ${command}: ${error.code}: ${error.message}${hint}\n`);
    return error.code === 'EVR_ERR_ADMIN_OPTIONS_INVALID' ? 2 : 1;
  }
}

/** `1h 2m`, `3m 4s`. */
export function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  return `${m}m ${seconds % 60}s`;
}

/** The routes table of `status` and `routes`. */
export function routesTable(routes: readonly RouteView[]): string {
  if (routes.length === 0) return 'no routes in the live routing table\n';
  return renderTable(
    ['route', 'domain:type', 'plugin', 'priority', 'state', 'processed', 'failed', 'breaker'],
    routes.map((r) => [r.id, r.key, r.plugin ? `${r.plugin}@${r.pluginVersion ?? '?'}` : r.processor, r.priority, r.paused ? 'paused' : r.enabled ? 'enabled' : 'disabled', r.processed, r.failed, r.breaker ?? '-']),
  );
}

function alertsTable(alerts: readonly AlertView[]): string {
  if (alerts.length === 0) return 'alerts are disabled\n';
  const short = (v: number | null): string => (v === null ? '-' : fmt.format(v));
  return renderTable(
    ['alert', 'severity', 'state', 'value', 'threshold', 'summary'],
    alerts.map((a) => [a.name, a.severity, a.state, short(a.value), short(a.threshold), a.state === 'inactive' ? '' : a.summary]),
  );
}

const perSecond = (n: number): string => `${fmt.format(Math.round(n * 10) / 10)}/s`;

/** The text report of a `/status` answer. */
export function renderStatus(url: string, s: StatusView): string {
  const processed = Object.values(s.stats.processedByRoute).reduce((a, b) => a + b, 0);
  const failed = Object.values(s.stats.failedByRoute).reduce((a, b) => a + b, 0);
  const readiness = s.ready.ready ? 'ready' : `NOT READY (failing: ${s.ready.failing.join(', ')})`;
  const firing = s.alerts.filter((a) => a.state === 'firing').length;
  return [
    `evroute at ${url}: ${readiness} · up ${duration(s.uptimeSeconds)} · core ${s.coreVersion}`,
    `routing table v${s.config.version} (source v${s.config.sourceVersion}): ${s.config.routes} routes, ${s.config.enabled} enabled, ${s.config.paused} paused, ${s.config.refused} refused`,
    `events: ${fmt.format(s.stats.received)} received · ${fmt.format(processed)} processed · ${fmt.format(failed)} failed · ${fmt.format(s.stats.deadLettered)} dead-lettered · ${fmt.format(s.stats.inFlight)} in flight · ${fmt.format(s.stats.parked ?? 0)} parked`,
    `rates:  ${perSecond(s.throughput.inPerSecond)} in · ${perSecond(s.throughput.processedPerSecond)} processed · ${perSecond(s.throughput.failedPerSecond)} failed`,
    '',
    routesTable(s.routes),
    `alerts: ${firing === 0 ? 'none firing' : `${firing} firing`}`,
    alertsTable(s.alerts),
  ].join('\n');
}

/** `evroute status [--url <admin url>] [--json]`. Exit 0 when the admin API answered (ready or not), else 1. */
export function statusCommand(options: AdminCommandOptions): Promise<number> {
  return withAdminClient('status', options, async (client, url) => {
    const status = await client.status();
    options.out(options.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(url, status));
    return 0;
  });
}
