// In-process alerts driven by a fault-injecting plugin: each rule fires, is logged, exposed at /alerts
// and as evroute_alert_firing, posted to a webhook, and resolves once its sliding window has passed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import { createAdmin, type Admin, type AlertOptions, type AlertsView, type WebhookBody } from '@evroute/admin';
import { capturingLogger, startRouter, type Fixture } from './fixtures/router.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).toReversed()) await cleanup();
});

/** A local webhook receiver that keeps every JSON body posted to it. */
async function webhookReceiver(): Promise<{ url: string; bodies: WebhookBody[] }> {
  const bodies: WebhookBody[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as WebhookBody);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

async function setup(rules: NonNullable<AlertOptions['rules']>, routerOptions: Parameters<typeof startRouter>[0] = {}): Promise<{ fx: Fixture; admin: Admin; lines: Record<string, unknown>[]; hook: { url: string; bodies: WebhookBody[] } }> {
  const fx = await startRouter(routerOptions);
  const hook = await webhookReceiver();
  const { logger, lines } = capturingLogger();
  const admin = createAdmin({ router: fx.router, metrics: fx.metrics, port: 0, logger, alerts: { intervalMs: 50, rules }, webhook: { url: hook.url } });
  await admin.start();
  cleanups.push(async () => {
    await admin.close();
    await fx.router.stop();
  });
  return { fx, admin, lines, hook };
}

const stateOf = async (admin: Admin, name: string): Promise<string | undefined> => {
  const view = (await (await fetch(`${admin.url!}/alerts`)).json()) as AlertsView;
  return view.alerts.find((a) => a.name === name)?.state;
};

const firingMetric = async (admin: Admin, name: string): Promise<string | undefined> => {
  const text = await (await fetch(`${admin.url!}/metrics`)).text();
  return new RegExp(`^evroute_alert_firing\\{alert="${name}",severity="\\w+"\\} (\\d)$`, 'm').exec(text)?.[1];
};

describe('alerts', () => {
  it('processor_failure and error_rate_high fire on injected faults, then resolve when the window has passed', async () => {
    const { fx, admin, lines, hook } = await setup({
      processor_failure: { threshold: 3, windowMs: 800 },
      error_rate_high: { threshold: 0.2, windowMs: 800, forMs: 0, minEvents: 5 },
      processing_latency_high: { enabled: false },
      dead_letter_growth: { enabled: false },
      breaker_open: { enabled: false },
    });
    fx.send('order_paid', 5);
    fx.send('order_refunded', 6, { fail: true });
    await waitFor(async () => (await stateOf(admin, 'processor_failure')) === 'firing', { message: 'processor_failure firing' });
    await waitFor(async () => (await stateOf(admin, 'error_rate_high')) === 'firing', { message: 'error_rate_high firing' });
    expect(fx.router.stats().failedByRoute['2']).toBe(6);
    expect(await firingMetric(admin, 'processor_failure')).toBe('1');
    const firing = admin.alerts.alerts().find((a) => a.name === 'processor_failure');
    expect(firing).toMatchObject({ severity: 'critical', value: 6, threshold: 3, summary: expect.stringContaining('route 2: 6') });
    await waitFor(() => hook.bodies.length >= 2, { message: 'two firing webhooks' });
    expect(hook.bodies.map((b) => [b.alert, b.state])).toEqual(expect.arrayContaining([['processor_failure', 'firing'], ['error_rate_high', 'firing']]));
    expect(hook.bodies[0]).toMatchObject({ source: 'evroute', severity: 'critical', at: expect.any(String) });
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, alert: 'processor_failure', msg: expect.stringContaining('alert firing: processor_failure') }));

    // Healthy traffic only: once the failures are older than the window, both resolve.
    fx.send('order_paid', 20);
    await waitFor(async () => (await stateOf(admin, 'processor_failure')) === 'inactive', { message: 'processor_failure resolved', timeout: 5_000 });
    await waitFor(async () => (await stateOf(admin, 'error_rate_high')) === 'inactive', { message: 'error_rate_high resolved', timeout: 5_000 });
    expect(await firingMetric(admin, 'processor_failure')).toBe('0');
    await waitFor(() => hook.bodies.filter((b) => b.state === 'resolved').length === 2, { message: 'two resolved webhooks' });
    const order = hook.bodies.filter((b) => b.alert === 'processor_failure').map((b) => b.state);
    expect(order).toEqual(['firing', 'resolved']);
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, alert: 'processor_failure', msg: expect.stringContaining('alert resolved: processor_failure') }));
    const view = (await (await fetch(`${admin.url!}/alerts`)).json()) as AlertsView;
    expect(view.recent.filter((t) => t.alert === 'processor_failure').map((t) => t.state)).toEqual(['resolved', 'firing']);
  });

  it('processing_latency_high fires on a slow processor (p95 over the window) and resolves', async () => {
    const { fx, admin, hook } = await setup({
      processing_latency_high: { threshold: 0.05, windowMs: 600, forMs: 0 },
      error_rate_high: { enabled: false },
      processor_failure: { enabled: false },
      dead_letter_growth: { enabled: false },
      breaker_open: { enabled: false },
    });
    fx.send('order_refunded', 3, { sleepMs: 120 });
    await waitFor(async () => (await stateOf(admin, 'processing_latency_high')) === 'firing', { message: 'latency alert firing' });
    const alert = admin.alerts.alerts()[0]!;
    expect(alert.severity).toBe('warning');
    expect(alert.value).toBeGreaterThan(0.1);
    await waitFor(async () => (await stateOf(admin, 'processing_latency_high')) === 'inactive', { message: 'latency alert resolved', timeout: 5_000 });
    await waitFor(() => hook.bodies.length === 2);
    expect(hook.bodies.map((b) => b.state)).toEqual(['firing', 'resolved']);
  });

  it('breaker_open and dead_letter_growth fire when a breaker opens, and breaker_open resolves when it half-opens', async () => {
    const { fx, admin } = await setup(
      {
        breaker_open: {},
        dead_letter_growth: { threshold: 2, windowMs: 60_000 },
        processing_latency_high: { enabled: false },
        error_rate_high: { enabled: false },
        processor_failure: { enabled: false },
      },
      { faultIsolation: { retries: 0, breaker: { failureThreshold: 3, openMs: 700 } } },
    );
    fx.send('order_refunded', 4, { fail: true });
    await waitFor(async () => (await stateOf(admin, 'breaker_open')) === 'firing', { message: 'breaker_open firing' });
    expect(admin.alerts.alerts().find((a) => a.name === 'breaker_open')?.summary).toContain('route 2 (flaky@2.0.0)');
    await waitFor(async () => (await stateOf(admin, 'dead_letter_growth')) === 'firing', { message: 'dead_letter_growth firing' });
    await waitFor(async () => (await stateOf(admin, 'breaker_open')) === 'inactive', { message: 'breaker_open resolved after openMs', timeout: 5_000 });
    expect(await stateOf(admin, 'dead_letter_growth')).toBe('firing');
  });

  it('waits forMs before firing (pending first)', async () => {
    const { fx, admin } = await setup({
      processor_failure: { threshold: 0, windowMs: 60_000, forMs: 400 },
      processing_latency_high: { enabled: false },
      error_rate_high: { enabled: false },
      dead_letter_growth: { enabled: false },
      breaker_open: { enabled: false },
    });
    fx.send('order_refunded', 1, { fail: true });
    const since = (): string | null | undefined => admin.alerts.alerts()[0]?.since;
    await waitFor(async () => (await stateOf(admin, 'processor_failure')) === 'pending', { message: 'pending' });
    const pendingSince = Date.parse(since()!);
    await waitFor(async () => (await stateOf(admin, 'processor_failure')) === 'firing', { message: 'firing after forMs' });
    expect(Date.parse(since()!) - pendingSince).toBeGreaterThanOrEqual(400);
  });
});
