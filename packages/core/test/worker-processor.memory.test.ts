// Memory per reload. A child `node --expose-gc` (plain Node on the built core, as in production) hot-loads
// 100 distinct versions of a plugin through the PluginLoader into a running router, in-process and in
// worker isolation, and measures RSS and heap growth after forced GC. In-process ESM modules can never be
// unloaded, so that figure is measured and reported; worker reloads free their memory, so that growth is
// held to at most 10 MiB. Figures go to test/.results/reload-memory.json (folded into docs/benchmarks.json).
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const RELOADS = 100;
// The router's own heap grows in steps for the first ~150 reloads of a fresh process (V8 sizing its heap
// to the reload churn; measured: +15 MiB between reloads 50 and 150, flat from 150 to 400), so growth is
// measured over 100 reloads after that.
const WARMUP = 150;
const MiB = 1024 * 1024;

// Runs in the child. argv: mode (in-process | worker), reloads, warm-up reloads.
const CHILD = String.raw`
import { mkdtempSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createRouter, InMemoryConfigSource, PluginLoader, WorkerPluginHost, writeBundle } from '@evroute/core';

const [mode, reloads, warmup] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const dir = mkdtempSync(join(tmpdir(), 'evroute-reload-memory-'));
const logger = pino({ level: 'silent' });
const source = { name: 'idle', start: async () => undefined, ack: () => undefined, close: async () => undefined };
const config = new InMemoryConfigSource([{ id: '1', domain: 'd', eventType: 't', processor: 'heavy', enabled: true, priority: 0 }]);
const router = createRouter({ source, config, plugins: [], logger, faultIsolation: { breaker: false } });
const loader = new PluginLoader({ dir, registry: router.registry, trust: { policy: 'hash-only' }, logger, watch: false, maxReloads: 10_000, isolation: mode, worker: { idleMs: 600_000, execArgv: [] } });
await loader.start();
await router.start();

// A plugin of ordinary size: ~20 KB of code and tables at module top level.
const source$ = (v) => "import { definePlugin } from '@evroute/core';\n" +
  'const TABLE = ' + JSON.stringify(Array.from({ length: 400 }, (_, i) => 'subject-' + i + '-' + v)) + ';\n' +
  "export default definePlugin({ name: 'heavy', version: '" + v + "', core: '^0.1.0', outputs: { out: {} },\n" +
  "  configSchema: { type: 'object', properties: { tag: { type: 'string', default: 'x' } }, additionalProperties: false },\n" +
  "  create: (config) => ({ process: (e) => [{ to: 'out', value: { id: e.eventId, s: TABLE[e.eventId.length % TABLE.length], tag: config.tag } }] }) });\n";
let bundleBytes = 0;
async function reload(i) {
  const v = '1.0.' + i;
  const code = source$(v);
  bundleBytes = Buffer.byteLength(code);
  await writeBundle(join(dir, '.incoming', v), { name: 'heavy', version: v, core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': code } });
  await rename(join(dir, '.incoming', v), join(dir, 'heavy@' + v));
  await loader.rescan();
  for (let t = 0; router.table().routes[0]?.handle?.registered.plugin.version !== v; t++) {
    if (t > 2000) throw new Error('route did not move to ' + v + ': ' + JSON.stringify(loader.list().slice(-2)));
    await new Promise((r) => setTimeout(r, 5));
  }
  // Like a deploy tool, remove the version before the new one once the new one serves.
  if (i > 0) {
    rmSync(join(dir, 'heavy@1.0.' + (i - 1)), { recursive: true });
    await loader.rescan();
  }
}
async function settle() {
  for (let t = 0; WorkerPluginHost.running() > 2; t++) {
    if (t > 2000) throw new Error('old workers were not terminated');
    await new Promise((r) => setTimeout(r, 5));
  }
  for (let i = 0; i < 6; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}
let i = 0;
for (; i < warmup; i++) await reload(i);
const before = await settle();
for (; i < warmup + reloads; i++) await reload(i);
const after = await settle();
await router.stop();
await loader.close();
process.stdout.write(JSON.stringify({ mode, reloads, bundleBytes, before, after, stats: loader.stats() }));
`;

interface ChildResult {
  mode: string;
  reloads: number;
  bundleBytes: number;
  before: { rss: number; heapUsed: number };
  after: { rss: number; heapUsed: number };
}

async function measure(mode: 'in-process' | 'worker'): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD, mode, String(RELOADS), String(WARMUP)], {
    cwd: join(import.meta.dirname, '..'),
    maxBuffer: 16 * MiB,
  });
  return JSON.parse(stdout) as ChildResult;
}

function figures(r: ChildResult): Record<string, number> {
  return {
    rssGrowthMiB: (r.after.rss - r.before.rss) / MiB,
    heapGrowthMiB: (r.after.heapUsed - r.before.heapUsed) / MiB,
    rssPerReloadKiB: (r.after.rss - r.before.rss) / r.reloads / 1024,
    heapPerReloadKiB: (r.after.heapUsed - r.before.heapUsed) / r.reloads / 1024,
  };
}

describe('reload memory', () => {
  it(`${RELOADS} worker-isolated reloads grow RSS by at most 10 MiB; the in-process cost per reload is measured`, { timeout: 300_000 }, async () => {
    const inProcess = await measure('in-process');
    const worker = await measure('worker');
    const results = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${process.platform}`,
      reloads: RELOADS,
      warmupReloads: WARMUP,
      bundleBytes: inProcess.bundleBytes,
      'reload-memory-inprocess': { ...figures(inProcess), raw: inProcess },
      'reload-memory-worker': { ...figures(worker), raw: worker },
    };
    mkdirSync(join(import.meta.dirname, '.results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, '.results', 'reload-memory.json'), `${JSON.stringify(results, null, 2)}\n`);
    expect(inProcess.reloads).toBe(RELOADS);
    expect(worker.after.rss - worker.before.rss).toBeLessThanOrEqual(10 * MiB);
    // Worker reloads retain no module code in the router's heap; in-process ones do.
    expect(worker.after.heapUsed - worker.before.heapUsed).toBeLessThan(inProcess.after.heapUsed - inProcess.before.heapUsed);
  });
});
