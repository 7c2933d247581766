/**
 * `createAdmin`: the admin server of a router: `/metrics`, `/healthz`, `/readyz`, the JSON API, the
 * status page, the in-process alerts and their webhook. Off unless a host creates it (`evroute run`
 * does, unless `admin.enabled` is false). Binds 127.0.0.1:9464 by default.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Router } from '@evroute/core';
import { createAdminMetrics, type AdminMetrics } from './admin-metrics.js';
import { adminEndpoints } from './admin-endpoints.js';
import { AlertEvaluator, type AlertOptions } from './alert-evaluator.js';
import { AlertWebhook, type WebhookOptions } from './alert-webhook.js';
import { adminError } from './errors.js';
import { AdminHttpServer } from './http-server.js';
import { Readiness } from './readiness.js';
import type { PluginsProvider } from './router-views.js';
import { StatsHistory, type StatsHistoryOptions } from './stats-history.js';

/** Defaults of the admin server. */
export const adminDefaults = { host: '127.0.0.1', port: 9464 } as const;

/** Options of {@link createAdmin}. */
export interface AdminOptions {
  readonly router: Router;
  /**
   * The metrics made by `createAdminMetrics` BEFORE the router, whose `routerMetrics` the router was
   * created with. Without it the admin server makes its own, and the latency histograms stay empty.
   */
  readonly metrics?: AdminMetrics;
  /** Used only when `metrics` is not given: where to register the metrics it makes. */
  readonly registry?: Registry;
  /** Default `127.0.0.1`: only this machine can connect. `0.0.0.0` opens it to the network. */
  readonly host?: string;
  /** Default 9464; 0 picks a free port (read it from `admin.url`). */
  readonly port?: number;
  /** Bearer token for the mutating endpoints; without one they answer 403. */
  readonly token?: string;
  readonly alerts?: AlertOptions;
  /** Post alert transitions here. */
  readonly webhook?: WebhookOptions;
  /** The hot-deploy plugin loader, shown at `/plugins`. */
  readonly plugins?: PluginsProvider;
  /**
   * The router's parts by name (`source`, `sink:db`, `dead-letter`, services...): checked by `/readyz`
   * when they have `healthy()`, read for consumer lag and cache counters (see component-roles.ts).
   */
  readonly components?: Readonly<Record<string, unknown>>;
  /** Default: the router's logger, child `{ component: 'admin' }`. */
  readonly logger?: Logger;
  /** Sampling of the throughput history behind the status page chart. */
  readonly history?: StatsHistoryOptions;
}

/** A created admin server. */
export interface Admin {
  /**
   * Starts the alert evaluator and history sampling, then listens. Rejects with
   * `EVR_ERR_ADMIN_LISTEN_FAILED` when it cannot listen; alerts keep running until `close()`. The
   * server never keeps the process alive by itself (its socket and timers are unref'd).
   */
  start(): Promise<void>;
  /** Stops listening, the timers and the metric bindings; waits for queued webhook posts. Idempotent. */
  close(): Promise<void>;
  /** The base URL once listening, e.g. `http://127.0.0.1:9464`. */
  readonly url: string | undefined;
  readonly metrics: AdminMetrics;
  readonly alerts: AlertEvaluator;
  readonly readiness: Readiness;
}

/** Creates the admin server (not listening yet). Throws `EVR_ERR_ADMIN_OPTIONS_INVALID` for bad options. */
export function createAdmin(options: AdminOptions): Admin {
  const { router } = options;
  const host = options.host ?? adminDefaults.host;
  const port = options.port ?? adminDefaults.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', `admin port ${port} must be an integer from 0 to 65535`);
  if (options.token !== undefined && options.token.length < 8) throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', 'the admin token must be at least 8 characters');
  const logger = options.logger ?? router.logger.child({ component: 'admin' });
  const metrics = options.metrics ?? createAdminMetrics(options.registry ? { registry: options.registry } : {});
  if (!options.metrics) logger.info('createAdmin made its own metrics: pass createAdminMetrics().routerMetrics to createRouter to fill the latency histograms');
  const readiness = new Readiness(router, options.components);
  const history = new StatsHistory(router, options.history);
  const alerts = new AlertEvaluator(router, metrics.processing, logger, options.alerts);
  const webhook = options.webhook ? new AlertWebhook(options.webhook, logger) : undefined;
  const startedAt = Date.now();
  const server = new AdminHttpServer({
    host,
    port,
    token: options.token,
    logger,
    endpoints: adminEndpoints({ router, registry: metrics.registry, readiness, history, alerts, plugins: options.plugins, startedAt, logger }),
  });
  let url: string | undefined;
  let unbind: (() => void) | undefined;
  let stopWebhook: (() => void) | undefined;
  let closing: Promise<void> | undefined;

  return {
    get url() {
      return url;
    },
    metrics,
    alerts,
    readiness,
    async start() {
      if (!unbind) {
        unbind = metrics.bind({
          router,
          ...(options.components ? { components: options.components } : {}),
          ...(options.plugins ? { plugins: options.plugins } : {}),
          ready: () => readiness.ready(),
          alerts: () => alerts.alerts(),
        });
        if (webhook) stopWebhook = alerts.onTransition((t) => webhook.send(t));
        history.start();
        alerts.start();
      }
      url = await server.listen();
      const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
      if (!loopback) logger.warn({ host }, 'the admin server listens beyond this machine: its read endpoints are open to anyone who can connect');
      logger.info({ url, mutating: options.token ? 'token' : 'disabled' }, 'admin server listening');
    },
    close() {
      closing ??= (async () => {
        readiness.closing();
        alerts.stop();
        history.stop();
        stopWebhook?.();
        unbind?.();
        await server.close();
        await webhook?.idle();
        url = undefined;
      })();
      return closing;
    },
  };
}
