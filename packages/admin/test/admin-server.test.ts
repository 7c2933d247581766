// Every endpoint of the admin server against a running router: reads, readiness naming the failing
// part, the token check on the mutating endpoints, and the error shape (a code and a message, no stack).
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import { createAdmin, type Admin, type PluginsView, type ReadyView, type RoutesView, type StatusView } from '@evroute/admin';
import { startRouter, type Fixture } from './fixtures/router.js';

const TOKEN = 'test-token-0123456789';
const open: { admin: Admin; fx: Fixture }[] = [];

async function setup(options: Partial<Parameters<typeof createAdmin>[0]> = {}): Promise<{ admin: Admin; fx: Fixture; url: string }> {
  const fx = await startRouter();
  const admin = createAdmin({ router: fx.router, metrics: fx.metrics, port: 0, token: TOKEN, components: { source: fx.source, 'sink:mem': fx.sink }, ...options });
  await admin.start();
  open.push({ admin, fx });
  return { admin, fx, url: admin.url! };
}

afterEach(async () => {
  for (const { admin, fx } of open.splice(0)) {
    await admin.close();
    await fx.router.stop();
  }
});

async function get(url: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text, headers: res.headers };
}

async function post(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe('admin server', () => {
  it('binds 127.0.0.1 by default and answers /healthz', async () => {
    const { url } = await setup();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('/readyz is 200 when every part is healthy and 503 naming the failing component otherwise', async () => {
    const { url, fx } = await setup();
    const ok = await get(`${url}/readyz`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ready: true, failing: [] });
    expect((ok.body as ReadyView).checks.map((c) => c.name)).toEqual(['router', 'source', 'sink:mem']);
    await fx.sink.close(); // the sink now reports unhealthy
    const down = await get(`${url}/readyz`);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ready: false, failing: ['sink:mem'] });
    expect((down.body as ReadyView).checks.find((c) => c.name === 'sink:mem')).toEqual({ name: 'sink:mem', ok: false, reason: 'reports unhealthy' });
  });

  it('/readyz names a part whose health check throws', async () => {
    const { url } = await setup({ components: { 'config-db': { healthy: () => { throw new Error('pool closed'); } } } });
    const res = await get(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ failing: ['config-db'], checks: expect.arrayContaining([{ name: 'config-db', ok: false, reason: 'health check threw: pool closed' }]) });
  });

  it('/metrics serves the Prometheus text format with the router counters', async () => {
    const { url, fx } = await setup();
    fx.send('order_paid', 3);
    await waitFor(() => fx.router.stats().acknowledged === 3);
    const res = await get(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.body).toContain('evroute_events_processed_total{route="1",plugin="echo@1.2.0"} 3');
    expect(res.body).toContain('evroute_events_received_total 3');
    expect(res.body).toContain('evroute_ready 1');
  });

  it('/routes shows the live table, its version, plugin versions and counters', async () => {
    const { url, fx } = await setup();
    fx.send('order_paid', 2);
    await waitFor(() => fx.router.stats().acknowledged === 2);
    const { status, body } = await get(`${url}/routes`);
    const view = body as RoutesView;
    expect(status).toBe(200);
    expect(view.version).toBe(fx.router.table().version);
    expect(view.routes.map((r) => [r.id, r.key, r.plugin, r.pluginVersion, r.enabled, r.processed])).toEqual([
      ['1', 'shop:order_paid', 'echo', '1.2.0', true, 2],
      ['2', 'shop:order_refunded', 'flaky', '2.0.0', true, 0],
      ['3', 'shop:order_lost', null, null, false, 0],
    ]);
    expect(view.routes[0]?.outputs).toEqual({ out: { sink: 'mem', target: 'out' } });
  });

  it('/plugins lists registered versions and the loader bundles with their last error', async () => {
    const loader = { list: () => [{ name: 'greet', version: '3.0.0', state: 'failed', lastError: { code: 'EVR_ERR_HOTDEPLOY_HASH_MISMATCH', message: 'greet.mjs does not match' }, path: '/plugins/greet' }] };
    const { url } = await setup({ plugins: loader });
    const { body } = await get(`${url}/plugins`);
    const view = body as PluginsView;
    expect(view.registered).toEqual(
      expect.arrayContaining([
        { name: 'echo', version: '1.2.0', aliases: ['com.example.EchoProcessor'], routes: ['1'] },
        { name: 'flaky', version: '2.0.0', aliases: [], routes: ['2'] },
      ]),
    );
    expect(view.bundles).toEqual([{ name: 'greet', version: '3.0.0', state: 'failed', lastError: { code: 'EVR_ERR_HOTDEPLOY_HASH_MISMATCH', message: 'greet.mjs does not match' }, details: { path: '/plugins/greet' } }]);
  });

  it('/plugins without a loader says bundles: null; /breakers, /alerts, /stats, /stats/history and /status answer', async () => {
    const { url, fx } = await setup();
    fx.send('order_refunded', 1);
    await waitFor(() => fx.router.stats().acknowledged === 1);
    expect(((await get(`${url}/plugins`)).body as PluginsView).bundles).toBeNull();
    expect((await get(`${url}/breakers`)).body).toEqual({ breakers: [{ route: '2', plugin: 'flaky@2.0.0', state: 'closed' }] });
    const alerts = (await get(`${url}/alerts`)).body as { alerts: { name: string; state: string }[] };
    expect(alerts.alerts.map((a) => [a.name, a.state])).toEqual([
      ['processing_latency_high', 'inactive'],
      ['error_rate_high', 'inactive'],
      ['processor_failure', 'inactive'],
      ['dead_letter_growth', 'inactive'],
      ['breaker_open', 'inactive'],
    ]);
    expect((await get(`${url}/stats`)).body).toMatchObject({ received: 1, acknowledged: 1 });
    expect((await get(`${url}/stats/history`)).body).toMatchObject({ intervalSeconds: 2, samples: expect.any(Array) });
    const status = (await get(`${url}/status`)).body as StatusView;
    expect(status).toMatchObject({ service: 'evroute', ready: { ready: true }, config: { routes: 3, enabled: 2, paused: 0 } });
    expect(status.routes).toHaveLength(3);
  });

  it('/ serves the self-contained status page with a strict content security policy', async () => {
    const { url } = await setup();
    const res = await get(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(res.body).toContain('<title>evroute status</title>');
    expect(res.body).not.toMatch(/(src|href)="https?:/);
  });

  it('pauses and resumes a route with the token; 401 without it or with a wrong one', async () => {
    const { url, fx } = await setup();
    const none = await post(`${url}/routes/1/pause`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'EVR_ERR_ADMIN_UNAUTHORIZED', message: expect.stringContaining('Authorization: Bearer') } });
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect((await post(`${url}/routes/1/pause`, 'wrong-token-000')).status).toBe(401);
    expect(fx.router.pausedRoutes()).toEqual([]);

    const paused = await post(`${url}/routes/1/pause`, TOKEN);
    expect(paused).toMatchObject({ status: 200, body: { route: '1', paused: true } });
    expect(fx.router.pausedRoutes()).toEqual(['1']);
    expect(((await get(`${url}/routes`)).body as RoutesView).routes[0]).toMatchObject({ id: '1', paused: true });
    fx.send('order_paid', 2);
    await waitFor(() => fx.router.stats().parked === 2, { message: 'events of the paused route parked' });

    const resumed = await post(`${url}/routes/1/resume`, TOKEN);
    expect(resumed).toMatchObject({ status: 200, body: { route: '1', paused: false } });
    await waitFor(() => fx.router.stats().acknowledged === 2, { message: 'parked events processed after resume' });
  });

  it('answers 404 EVR_ERR_ADMIN_ROUTE_UNKNOWN for a route id not in the table', async () => {
    const { url } = await setup();
    const res = await post(`${url}/routes/99/pause`, TOKEN);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'EVR_ERR_ADMIN_ROUTE_UNKNOWN' } });
  });

  it('without a configured token the mutating endpoints are disabled (403)', async () => {
    const fx = await startRouter();
    const admin = createAdmin({ router: fx.router, metrics: fx.metrics, port: 0 });
    await admin.start();
    open.push({ admin, fx });
    const res = await post(`${admin.url!}/config/reload`, 'anything-at-all');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'EVR_ERR_ADMIN_TOKEN_NOT_SET' } });
  });

  it('explains an event posted to /explain (token required), naming the route and the verdict', async () => {
    const { url } = await setup();
    const event = JSON.stringify({ domain: 'shop', type: 'order_paid', eventId: 'x1', timestamp: 1, payload: {} });
    const ask = (token?: string) =>
      fetch(`${url}/explain`, { method: 'POST', body: event, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    expect((await ask()).status).toBe(401);
    const res = await ask(TOKEN);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decoded: true, key: 'shop:order_paid', verdict: 'processed by 1 route', routes: [expect.objectContaining({ id: '1', runs: true })] });
  });

  it('reloads the routing config now, and reports a failed reload as 502 without a stack', async () => {
    const { url, fx } = await setup();
    const ok = await post(`${url}/config/reload`, TOKEN);
    const before = fx.router.table().version;
    expect(ok).toMatchObject({ status: 200, body: { reloaded: true, outcome: 'applied', version: before } });
    expect(before).toBeGreaterThan(1);
    expect(fx.config.refreshes).toBe(1);
    fx.config.failRefresh = true;
    const failed = await post(`${url}/config/reload`, TOKEN);
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({ error: { code: 'EVR_ERR_ADMIN_RELOAD_FAILED', message: expect.stringContaining('last good routing table keeps serving') } });
  });

  it('answers 404 and 405 with the error shape, and hides internal errors (no stack, no message)', async () => {
    const { url } = await setup({ plugins: { list: () => { throw new TypeError('secret internals at /home/x/loader.js:12'); } } });
    const missing = await get(`${url}/nope`);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'EVR_ERR_ADMIN_NOT_FOUND' } } });
    const wrongMethod = await post(`${url}/routes`, TOKEN);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect((await fetch(`${url}/routes/1/pause`)).status).toBe(405);
    const internal = await get(`${url}/plugins`);
    expect(internal.status).toBe(500);
    expect(internal.body).toEqual({ error: { code: 'EVR_ERR_ADMIN_INTERNAL', message: 'the admin server failed while answering; see its log' } });
    expect(JSON.stringify(internal.body)).not.toMatch(/secret|at \//);
  });

  it('fails to start with EVR_ERR_ADMIN_LISTEN_FAILED when the port is taken', async () => {
    const { admin: first, fx } = await setup();
    const port = Number(new URL(first.url!).port);
    const second = createAdmin({ router: fx.router, port });
    await expect(second.start()).rejects.toMatchObject({ code: 'EVR_ERR_ADMIN_LISTEN_FAILED', message: expect.stringContaining('in use') });
    await second.close();
  });

  it('refuses bad options', async () => {
    const fx = await startRouter();
    open.push({ admin: createAdmin({ router: fx.router, port: 0 }), fx });
    expect(() => createAdmin({ router: fx.router, port: 70_000 })).toThrow(expect.objectContaining({ code: 'EVR_ERR_ADMIN_OPTIONS_INVALID' }));
    expect(() => createAdmin({ router: fx.router, token: 'short' })).toThrow(expect.objectContaining({ code: 'EVR_ERR_ADMIN_OPTIONS_INVALID' }));
    expect(() => createAdmin({ router: fx.router, alerts: { rules: { error_rate_high: { threshold: 5 } } } })).toThrow(/ratio between 0 and 1/);
    expect(() => createAdmin({ router: fx.router, alerts: { rules: { cpu_high: {} } } })).toThrow(/unknown rule/);
    expect(() => createAdmin({ router: fx.router, webhook: { url: 'ftp://x' } })).toThrow(/http or https/);
  });
});
