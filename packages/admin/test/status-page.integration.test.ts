// The live status page in a real headless Chromium (Debian's, installed by scripts/ensure-chromium.sh
// when missing) against a running router with traffic, a failing route with an open breaker, a firing
// alert and a plugin loader. Checks what the page shows, that it makes no request beyond the admin
// server and raises no errors (a CSP violation would), and saves test-results/status-page.png.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import { createAdmin, createAdminClient, type Admin } from '@evroute/admin';
import { startRouter, type Fixture } from './fixtures/router.js';

const repo = join(import.meta.dirname, '..', '..', '..');
const screenshot = join(repo, 'test-results', 'status-page.png');
const TOKEN = 'page-test-token-42';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
let fx: Fixture;
let admin: Admin;
let traffic: NodeJS.Timeout | undefined;

beforeAll(async () => {
  // Fails (never skips) when Chromium is missing and cannot be installed.
  const executablePath = execFileSync('bash', [join(repo, 'scripts', 'ensure-chromium.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  browser = await chromium.launch({ executablePath, args: ARGS, timeout: 60_000 });

  fx = await startRouter({ faultIsolation: { retries: 0, breaker: { failureThreshold: 5, openMs: 600_000 } } });
  const loader = {
    list: () => [
      { name: 'echo', version: '1.2.0', state: 'loaded', path: 'plugins/echo' },
      { name: 'greet', version: '0.9.0', state: 'failed', lastError: { code: 'EVR_ERR_HOTDEPLOY_HASH_MISMATCH', message: 'greet.mjs does not match the sha256 in plugin.json' } },
    ],
  };
  admin = createAdmin({
    router: fx.router,
    metrics: fx.metrics,
    port: 0,
    token: TOKEN,
    plugins: loader,
    components: { source: fx.source, 'sink:mem': fx.sink },
    history: { intervalMs: 200, capacity: 150 },
    alerts: { intervalMs: 100, rules: { processor_failure: { threshold: 3, windowMs: 60_000 } } },
  });
  await admin.start();
  fx.send('order_refunded', 6, { fail: true }); // opens route 2's breaker
  let tick = 0;
  traffic = setInterval(() => {
    tick++;
    fx.send('order_paid', 5 + (tick % 7));
    if (tick % 4 === 0) fx.send('order_refunded', 1);
  }, 50);
  // Enough history for a chart with a shape.
  await waitFor(async () => (await (await fetch(`${admin.url!}/stats/history`)).json() as { samples: unknown[] }).samples.length >= 12, { timeout: 20_000, message: '12 history samples' });
}, 120_000);

afterAll(async () => {
  clearInterval(traffic);
  await browser?.close();
  await admin?.close();
  await fx?.router.stop();
});

/** Texts of the cells of one table body, row by row. */
async function rows(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`#${id} tr`, (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td') as ArrayLike<{ textContent: string | null }>, (td) => (td.textContent ?? '').trim())));
}

describe('status page', () => {
  it('shows routes, plugins and versions, breakers, alerts and a throughput chart, with no outside requests', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(admin.url!);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    await waitFor(async () => (await page.textContent('#alerts-count'))?.includes('firing'), { message: 'the page shows a firing alert' });

    expect(await page.textContent('#ready')).toBe('ready');
    expect(await page.textContent('#meta')).toMatch(/^routing table v\d+ · core 0\.1\.0 · up /);
    const routes = await rows(page, 'routes');
    expect(routes.map((r) => r.slice(0, 5))).toEqual([
      ['1', 'shop:order_paid', 'echo@1.2.0', '0', 'enabled'],
      ['2', 'shop:order_refunded', 'flaky@2.0.0', '0', 'enabled'],
      ['3', 'shop:order_lost', 'echo', '0', 'disabled'],
    ]);
    expect(Number(routes[0]![5]!.replaceAll(',', ''))).toBeGreaterThan(50);
    expect(routes[1]![7]).toBe('open');
    const plugins = await rows(page, 'plugins');
    expect(plugins).toEqual(
      expect.arrayContaining([
        ['echo', '1.2.0', 'com.example.EchoProcessor', '1', 'registered'],
        ['echo', '1.2.0', '', '', 'bundle loaded'],
        ['flaky', '2.0.0', '', '2', 'registered'],
        ['greet', '0.9.0', '', 'greet.mjs does not match the sha256 in plugin.json', 'bundle failed'],
      ]),
    );
    expect(await rows(page, 'breakers')).toEqual(expect.arrayContaining([['2', 'flaky@2.0.0', 'open']]));
    const alerts = await rows(page, 'alerts');
    expect(alerts.find((a) => a[0] === 'processor_failure')?.slice(1, 3)).toEqual(['critical', 'firing']);
    expect(alerts.find((a) => a[0] === 'breaker_open')?.slice(1, 3)).toEqual(['critical', 'firing']);
    expect(alerts.find((a) => a[0] === 'processing_latency_high')?.[2]).toBe('inactive');

    const tiles = await page.$$eval('#tiles .tile', (ts) => ts.map((t) => [t.querySelector('.label')?.textContent, t.querySelector('.value')?.textContent]));
    expect(tiles.map((t) => t[0])).toEqual(['Received', 'Processed', 'Failed', 'Dead letters', 'In flight', 'Routes']);
    expect(tiles[5]?.[1]).toBe('2 / 3');

    const paths = await page.$$eval('#chart path', (ps) => ps.map((p) => ({ series: p.getAttribute('data-series'), points: (p.getAttribute('d') ?? '').split(/[ML]/).length - 1 })));
    expect(paths.map((p) => p.series)).toEqual(['in', 'processed', 'failed']);
    for (const p of paths) expect(p.points).toBeGreaterThanOrEqual(10);

    mkdirSync(join(repo, 'test-results'), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });

    // An operator pauses route 1: the next poll shows it.
    await createAdminClient({ url: admin.url!, token: TOKEN }).pause('1');
    await waitFor(async () => (await rows(page, 'routes'))[0]?.[4] === 'paused', { message: 'route 1 shown paused' });
    await createAdminClient({ url: admin.url!, token: TOKEN }).resume('1');
    const origin = new URL(admin.url!).origin;
    expect(requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a banner while the admin API cannot be reached', async () => {
    const page = await browser.newPage();
    await page.goto(admin.url!);
    await page.waitForSelector('body[data-loaded="true"]');
    await page.route('**/status', (route) => route.abort());
    await page.waitForSelector('#banner:not([hidden])', { timeout: 10_000 });
    expect(await page.textContent('#banner')).toContain('cannot be reached');
    await page.close();
  });
});
