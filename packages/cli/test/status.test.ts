// evroute status | routes | plugins against the admin API of a running `evroute run`, and the admin
// section of a run config: exit codes, aligned tables, --json, the token, and an unreachable admin API.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import type { RoutesView, StatusView } from '@evroute/admin';
import { main } from '@evroute/cli';

const fixtures = join(import.meta.dirname, 'fixtures');
const TOKEN = 'cli-status-token-0001';

function capture(): { out: string[]; err: string[]; io: { out: (t: string) => void; err: (t: string) => void }; text: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => void out.push(t), err: (t) => void err.push(t) }, text: () => out.join('') };
}

/** A free TCP port on 127.0.0.1 (nothing listens on it when this resolves). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// A source adapter module written at test time: it delivers `count` events, then finishes only once
// the stop file exists, so `evroute run` stays up while the test talks to its admin API.
const GATED_SOURCE = `
import { existsSync } from 'node:fs';
class GatedSource {
  name = 'gated'; #acked = 0; #count; #stopFile; #timer; #finish; #done = new Promise((r) => (this.#finish = r));
  constructor(options) { this.#count = options.count; this.#stopFile = options.stopFile; }
  async start(handler) {
    const records = Array.from({ length: this.#count }, (_, i) => ({
      value: JSON.stringify({ domain: 'demo', type: 'say', eventId: 'e' + i, timestamp: Date.now(), payload: { text: 'hi ' + i } }),
      key: null, headers: {}, topic: 'gated', partition: 0, offset: String(i), timestamp: Date.now(),
    }));
    await handler.deliver(records);
    this.#timer = setInterval(() => { if (existsSync(this.#stopFile) && this.#acked === this.#count) this.#finish(); }, 10);
  }
  ack(records) { this.#acked += records.length; }
  healthy() { return true; }
  done() { return this.#done; }
  async close() { clearInterval(this.#timer); }
}
export const evrouteAdapters = { sources: { gated: (options) => new GatedSource(options) } };
`;

interface Run {
  dir: string;
  url: string;
  exit: Promise<number>;
  stop: () => Promise<number>;
}

const running: Run[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) await run.stop();
});

/** Starts `evroute run` in-process with the gated source and the admin server on a free port. */
async function startRun(admin: Record<string, unknown> = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'evroute-status-'));
  writeFileSync(join(dir, 'gated-source.mjs'), GATED_SOURCE);
  writeFileSync(join(dir, 'routes.json'), JSON.stringify([{ id: 1, domain: 'demo', event_type: 'say', processor_class: 'com.example.UpperProcessor', enabled: 1, priority: 0 }]));
  const port = await freePort();
  const config = {
    source: { type: 'gated', package: './gated-source.mjs', options: { count: 5, stopFile: join(dir, 'stop') } },
    config: { type: 'json-file', options: { path: 'routes.json', watch: false } },
    sinks: { out: { type: 'jsonl', options: { path: 'out.jsonl' } } },
    outputs: { shouted: { sink: 'out', target: 'shouts' } },
    deadLetter: { type: 'jsonl', options: { path: 'dead.jsonl' } },
    plugins: { modules: [join(fixtures, 'upper-plugin.mjs')] },
    logLevel: 'silent',
    admin: { port, token: TOKEN, alerts: { intervalMs: 100 }, ...admin },
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(config));
  const exit = main(['run', '--config', join(dir, 'run.json')], capture().io);
  const url = `http://127.0.0.1:${port}`;
  const run: Run = {
    dir,
    url,
    exit,
    stop: async () => {
      writeFileSync(join(dir, 'stop'), '');
      return exit;
    },
  };
  running.push(run);
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, { message: 'evroute run serves /readyz', timeout: 15_000 });
  await waitFor(async () => ((await (await fetch(`${url}/stats`)).json()) as { acknowledged: number }).acknowledged === 5, { message: 'the 5 events acknowledged' });
  return run;
}

describe('evroute status | routes | plugins', () => {
  it('status prints readiness, counters, the routes and the alerts as aligned tables', async () => {
    const run = await startRun();
    const c = capture();
    expect(await main(['status', '--url', run.url], c.io)).toBe(0);
    const text = c.text();
    expect(text).toMatch(new RegExp(`^evroute at ${run.url}: ready · up \\d+m \\d+s · core 0\\.1\\.0$`, 'm'));
    expect(text).toContain('routing table v1 (source v');
    expect(text).toMatch(/^events: 5 received · 5 processed · 0 failed · 0 dead-lettered · 0 in flight · 0 parked$/m);
    expect(text).toMatch(/^ROUTE\s+DOMAIN:TYPE\s+PLUGIN\s+PRIORITY\s+STATE\s+PROCESSED\s+FAILED\s+BREAKER$/m);
    expect(text).toMatch(/^1\s+demo:say\s+upper@1\.0\.0\s+0\s+enabled\s+5\s+0\s+closed$/m);
    expect(text).toMatch(/^processor_failure\s+critical\s+inactive\s+0\s+10$/m);
    // Columns line up: every routes-table line has its PROCESSED figure ending at the same offset.
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('ROUTE'))!;
    const row = lines.find((l) => l.startsWith('1 '))!;
    expect(row.indexOf('enabled')).toBe(header.indexOf('STATE'));

    const j = capture();
    expect(await main(['status', '--url', run.url, '--json'], j.io)).toBe(0);
    const status = JSON.parse(j.text()) as StatusView;
    expect(status).toMatchObject({ service: 'evroute', ready: { ready: true }, stats: { acknowledged: 5 } });
    // The parts with a health check: the gated source and the json-file config source (JSONL sinks have none).
    expect(status.ready.checks.map((ch) => ch.name)).toEqual(['router', 'source', 'config']);
  });

  it('routes lists the table, and pause / resume / reload need the token', async () => {
    const run = await startRun();
    const list = capture();
    expect(await main(['routes', '--url', run.url], list.io)).toBe(0);
    expect(list.text()).toMatch(/^routing table v1 \(source v\d+\)\nROUTE/);

    const denied = capture();
    expect(await main(['routes', 'pause', '1', '--url', run.url], denied.io)).toBe(1);
    expect(denied.err.join('')).toContain('evroute routes pause: EVR_ERR_ADMIN_UNAUTHORIZED');
    expect(denied.err.join('')).toContain('pass --token or set EVROUTE_ADMIN_TOKEN');

    const paused = capture();
    expect(await main(['routes', 'pause', '1', '--url', run.url, '--token', TOKEN], paused.io)).toBe(0);
    expect(paused.text()).toBe('route 1 paused: its events are parked until it is resumed\n');
    const j = capture();
    expect(await main(['routes', 'list', '--url', run.url, '--json'], j.io)).toBe(0);
    expect((JSON.parse(j.text()) as RoutesView).routes[0]).toMatchObject({ id: '1', paused: true });
    expect(await main(['routes', 'resume', '1', '--url', run.url, '--token', TOKEN], capture().io)).toBe(0);
    const reload = capture();
    expect(await main(['routes', 'reload', '--url', run.url, '--token', TOKEN], reload.io)).toBe(0);
    expect(reload.text()).toMatch(/^routing config reloaded: (a new table is live|the source had nothing newer); the live table is v\d+\n$/);

    const unknown = capture();
    expect(await main(['routes', 'pause', '42', '--url', run.url, '--token', TOKEN], unknown.io)).toBe(1);
    expect(unknown.err.join('')).toContain('EVR_ERR_ADMIN_ROUTE_UNKNOWN');
    expect(await main(['routes', 'pause', '--url', run.url], capture().io)).toBe(2);
    expect(await main(['routes', 'frobnicate', '--url', run.url], capture().io)).toBe(2);
  });

  it('plugins lists the registered versions and the routes they serve', async () => {
    const run = await startRun();
    const c = capture();
    expect(await main(['plugins', '--url', run.url], c.io)).toBe(0);
    expect(c.text()).toMatch(/^PLUGIN\s+VERSION\s+ALIASES\s+ROUTES\nupper\s+1\.0\.0\s+com\.example\.UpperProcessor\s+1\n$/);
    const j = capture();
    expect(await main(['plugins', '--url', run.url, '--json'], j.io)).toBe(0);
    expect(JSON.parse(j.text())).toEqual({ registered: [{ name: 'upper', version: '1.0.0', aliases: ['com.example.UpperProcessor'], routes: ['1'] }], bundles: null });
  });

  it('evroute run serves /metrics with the router metrics and stops the admin server with the router', async () => {
    const run = await startRun();
    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(metrics).toContain('evroute_events_processed_total{route="1",plugin="upper@1.0.0"} 5');
    expect(metrics).toContain('evroute_processing_duration_seconds_count{route="1",plugin="upper@1.0.0"} 5');
    expect(metrics).toContain('process_cpu_user_seconds_total');
    expect(await run.stop()).toBe(0);
    expect(readFileSync(join(run.dir, 'out.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
    await expect(fetch(`${run.url}/healthz`)).rejects.toThrow('fetch failed');
  });

  it('exits 1 with a clear message when the admin API cannot be reached', async () => {
    const c = capture();
    const url = `http://127.0.0.1:${await freePort()}`;
    expect(await main(['status', '--url', url], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/^evroute status: EVR_ERR_ADMIN_UNREACHABLE: cannot reach the admin API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); is `evroute run` running/);
    expect(c.out).toEqual([]);
    expect(await main(['plugins', '--url', 'not a url'], capture().io)).toBe(2);
  });

  it('evroute run goes on without the admin server when its port is taken, unless admin.required', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'evroute-status-'));
      writeFileSync(join(dir, 'in.jsonl'), `${JSON.stringify({ domain: 'demo', type: 'say', eventId: 'a', timestamp: 1, payload: { text: 'x' } })}\n`);
      writeFileSync(join(dir, 'routes.json'), JSON.stringify([{ id: 1, domain: 'demo', event_type: 'say', processor_class: 'upper', enabled: 1, priority: 0 }]));
      const base = {
        source: { type: 'jsonl', options: { path: 'in.jsonl' } },
        config: { type: 'json-file', options: { path: 'routes.json', watch: false } },
        sinks: { out: { type: 'jsonl', options: { path: 'out.jsonl' } } },
        outputs: { shouted: { sink: 'out' } },
        plugins: { modules: [join(fixtures, 'upper-plugin.mjs')] },
        logLevel: 'silent',
      };
      writeFileSync(join(dir, 'lenient.json'), JSON.stringify({ ...base, admin: { port } }));
      expect(await main(['run', '--config', join(dir, 'lenient.json')], capture().io)).toBe(0);
      expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toContain('"X!"');
      writeFileSync(join(dir, 'strict.json'), JSON.stringify({ ...base, admin: { port, required: true } }));
      const strict = capture();
      expect(await main(['run', '--config', join(dir, 'strict.json')], strict.io)).toBe(1);
      expect(strict.err.join('')).toContain(`EVR_ERR_ADMIN_LISTEN_FAILED: the admin server cannot listen on 127.0.0.1:${port}: the address is in use`);
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...base, admin: { port: 99999, alerts: { rules: { cpu_high: {} } } } }));
      const bad = capture();
      expect(await main(['validate', '--config', join(dir, 'bad.json'), '--json'], bad.io)).toBe(2);
      expect((JSON.parse(bad.text()) as { problems: string[] }).problems).toEqual(expect.arrayContaining(['/admin/port: must be <= 65535', "/admin/alerts/rules: unknown key 'cpu_high'"]));
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
