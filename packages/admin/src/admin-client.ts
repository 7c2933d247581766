/**
 * A client of the admin HTTP API, for `evroute status|routes|plugins` and for scripts. Every method
 * rejects with a coded error: `EVR_ERR_ADMIN_UNREACHABLE` when nothing answers at the URL, the
 * server's own code (e.g. `EVR_ERR_ADMIN_UNAUTHORIZED`) when it answers with an error, and
 * `EVR_ERR_ADMIN_BAD_RESPONSE` when the answer is not the admin API's JSON.
 */
import { EvrouteError } from '@evroute/core';
import type { AlertsView, BreakersView, PauseView, PluginsView, ReadyView, ReloadView, RoutesView, StatusView } from './api-types.js';
import { adminErrors, adminError } from './errors.js';

/** Where the admin API is and how to call it. */
export interface AdminClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  /** Bearer token for pause, resume and reload. */
  readonly token?: string;
  /** Per-request timeout, ms (default 5 000). */
  readonly timeoutMs?: number;
}

/** The calls of the admin API. */
export interface AdminClient {
  status(): Promise<StatusView>;
  routes(): Promise<RoutesView>;
  plugins(): Promise<PluginsView>;
  breakers(): Promise<BreakersView>;
  alerts(): Promise<AlertsView>;
  /** `/readyz`; resolves (does not reject) when not ready. */
  ready(): Promise<ReadyView>;
  pause(routeId: string): Promise<PauseView>;
  resume(routeId: string): Promise<PauseView>;
  reload(): Promise<ReloadView>;
}

/** Makes a client. Throws `EVR_ERR_ADMIN_OPTIONS_INVALID` when `url` is not an http(s) URL. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  let base: URL;
  try {
    base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  } catch {
    throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', `'${options.url}' is not a URL; give the admin API as http://host:port`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', `'${options.url}' is not an http(s) URL`);

  async function call<T>(method: 'GET' | 'POST', path: string, accept: readonly number[] = []): Promise<T> {
    const url = new URL(path, base);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
    } catch (cause) {
      const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message;
      throw adminError('EVR_ERR_ADMIN_UNREACHABLE', `cannot reach the admin API at ${base.origin} (${reason}); is \`evroute run\` running with the admin server enabled, and is --url right?`, { cause, context: { url: url.href } });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw adminError('EVR_ERR_ADMIN_BAD_RESPONSE', `${method} ${url.pathname} answered HTTP ${response.status} with something that is not JSON; is ${base.origin} an evroute admin server?`);
    }
    if (response.ok || accept.includes(response.status)) return body as T;
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code === 'string' && typeof error.message === 'string') {
      const retriable = Object.hasOwn(adminErrors, error.code) ? adminErrors[error.code as keyof typeof adminErrors].retriable : false;
      throw new EvrouteError(error.code as `EVR_ERR_${string}`, error.message, { retriable, context: { status: response.status, url: url.href } });
    }
    throw adminError('EVR_ERR_ADMIN_BAD_RESPONSE', `${method} ${url.pathname} answered HTTP ${response.status} without an error body`);
  }

  const segment = (id: string): string => encodeURIComponent(id);
  return {
    status: () => call('GET', 'status'),
    routes: () => call('GET', 'routes'),
    plugins: () => call('GET', 'plugins'),
    breakers: () => call('GET', 'breakers'),
    alerts: () => call('GET', 'alerts'),
    ready: () => call('GET', 'readyz', [503]),
    pause: (id) => call('POST', `routes/${segment(id)}/pause`),
    resume: (id) => call('POST', `routes/${segment(id)}/resume`),
    reload: () => call('POST', 'config/reload'),
  };
}
