/**
 * The admin API's endpoints (docs/guides/operations.md documents each): read-only views of the router,
 * `/metrics`, health and readiness, the status page, and the token-protected operator actions (pause
 * and resume a route, reload the routing config now).
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CORE_VERSION, type Explanation, type Router } from '@evroute/core';
import type { AlertEvaluator } from './alert-evaluator.js';
import type { PauseView, ReloadView, StatusView } from './api-types.js';
import { reloadConfig } from './config-reload.js';
import { adminError } from './errors.js';
import type { Endpoint } from './http-server.js';
import type { Readiness } from './readiness.js';
import { pluginsView, routesView, type PluginsProvider } from './router-views.js';
import type { StatsHistory } from './stats-history.js';
import { STATUS_PAGE_HTML, STATUS_PAGE_CSP } from './status-page.js';

/** What the endpoints read and act on. */
export interface EndpointContext {
  readonly router: Router;
  readonly registry: Registry;
  readonly readiness: Readiness;
  readonly history: StatsHistory;
  readonly alerts: AlertEvaluator;
  readonly plugins: PluginsProvider | undefined;
  readonly startedAt: number;
  readonly logger: Logger;
}

const ROUTE_ACTION = /^\/routes\/([^/]+)\/(pause|resume)$/;

/** `GET /status`: everything the status page and `evroute status` show. */
export function statusView(ctx: EndpointContext): StatusView {
  const routes = routesView(ctx.router);
  return {
    service: 'evroute',
    coreVersion: CORE_VERSION,
    startedAt: new Date(ctx.startedAt).toISOString(),
    uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000),
    ready: ctx.readiness.evaluate(),
    config: {
      version: routes.version,
      sourceVersion: routes.sourceVersion,
      routes: routes.routes.length,
      enabled: routes.routes.filter((r) => r.enabled).length,
      paused: routes.paused.length,
      refused: routes.refused.length,
    },
    stats: ctx.router.stats(),
    throughput: ctx.history.latest(),
    routes: routes.routes,
    plugins: pluginsView(ctx.router, ctx.plugins),
    breakers: ctx.router.breakers(),
    alerts: ctx.alerts.alerts(),
  };
}

/** Every endpoint of the admin server. */
export function adminEndpoints(ctx: EndpointContext): Endpoint[] {
  const { router } = ctx;
  const pauseOrResume = (params: readonly string[]): { json: PauseView } => {
    const [id = '', action] = params;
    const known = router.table().routes.some((r) => r.id === id) || router.pausedRoutes().includes(id);
    if (!known) throw adminError('EVR_ERR_ADMIN_ROUTE_UNKNOWN', `no route '${id}' in routing table version ${router.table().version}; GET /routes lists them`, { context: { route: id } });
    if (action === 'pause') router.pauseRoute(id);
    else router.resumeRoute(id);
    return { json: { route: id, paused: router.pausedRoutes().includes(id) } };
  };
  return [
    { method: 'GET', path: '/', handle: () => ({ body: STATUS_PAGE_HTML, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': STATUS_PAGE_CSP } }) },
    { method: 'GET', path: '/healthz', handle: () => ({ json: { status: 'ok', uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000) } }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: () => {
        const view = ctx.readiness.evaluate();
        return { status: view.ready ? 200 : 503, json: view };
      },
    },
    { method: 'GET', path: '/metrics', handle: async () => ({ body: await ctx.registry.metrics(), contentType: ctx.registry.contentType }) },
    { method: 'GET', path: '/status', handle: () => ({ json: statusView(ctx) }) },
    { method: 'GET', path: '/routes', handle: () => ({ json: routesView(router) }) },
    { method: 'GET', path: '/plugins', handle: () => ({ json: pluginsView(router, ctx.plugins) }) },
    { method: 'GET', path: '/breakers', handle: () => ({ json: { breakers: router.breakers() } }) },
    { method: 'GET', path: '/alerts', handle: () => ({ json: ctx.alerts.view() }) },
    { method: 'GET', path: '/stats', handle: () => ({ json: router.stats() }) },
    { method: 'GET', path: '/stats/history', handle: () => ({ json: ctx.history.view() }) },
    { method: 'POST', path: ROUTE_ACTION, mutating: true, handle: pauseOrResume },
    {
      // What the router would do with an event (the body), and why; `?dryRun` is not offered here:
      // running plugin code on request is for `evroute explain --dry-run` on a config, not a live router.
      method: 'POST',
      path: '/explain',
      mutating: true,
      readsBody: true,
      handle: async (_params, body): Promise<{ json: Explanation }> => ({ json: await router.explain(body ?? '') }),
    },
    {
      method: 'POST',
      path: '/config/reload',
      mutating: true,
      handle: async (): Promise<{ json: ReloadView }> => {
        ctx.logger.info('routing config reload requested through the admin API');
        return { json: await reloadConfig(router) };
      },
    },
  ];
}
