/**
 * The measured process of `reload-memory`: `node --expose-gc reload-memory-child.js <in-process|worker>
 * <reloads> <warm-up reloads> <sample every>`. A router with an idle source hot-loads distinct versions
 * of a plugin of ordinary size (~10 KB of code and tables) through a `PluginLoader`, removing the
 * previous version once the new one serves, as a deploy tool does; after the warm-up it samples RSS and
 * heap after forced GC. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRouter, InMemoryConfigSource, PluginLoader, WorkerPluginHost, writeBundle, type IsolationMode } from '@evroute/core';
import { pino } from 'pino';

const [mode, reloads, warmup, every] = [process.argv[2] as IsolationMode, Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] ?? 10)];
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const dir = mkdtempSync(join(tmpdir(), 'evroute-bench-reload-'));
const logger = pino({ level: 'silent' });
const idle = { name: 'idle', start: () => Promise.resolve(), ack: () => undefined, close: () => Promise.resolve() };
const router = createRouter({
  source: idle,
  config: new InMemoryConfigSource([{ id: '1', domain: 'd', eventType: 't', processor: 'heavy', enabled: true, priority: 0 }]),
  logger,
  faultIsolation: { breaker: false },
});
const loader = new PluginLoader({ dir, registry: router.registry, trust: { policy: 'hash-only' }, logger, watch: false, maxReloads: 10_000, isolation: mode, worker: { idleMs: 600_000, execArgv: [] } });

/** The plugin's source: a 400-entry table and a config schema, so each version is a real module. */
function source(version: string): string {
  const table = JSON.stringify(Array.from({ length: 400 }, (_, i) => `subject-${i}-${version}`));
  return `import { definePlugin } from '@evroute/core';
const TABLE = ${table};
export default definePlugin({ name: 'heavy', version: '${version}', core: '^0.1.0', outputs: { out: {} },
  configSchema: { type: 'object', properties: { tag: { type: 'string', default: 'x' } }, additionalProperties: false },
  create: (config) => ({ process: (e) => [{ to: 'out', value: { id: e.eventId, s: TABLE[e.eventId.length % TABLE.length], tag: config.tag } }] }) });
`;
}

let bundleBytes = 0;
async function reload(i: number): Promise<void> {
  const version = `1.0.${i}`;
  const code = source(version);
  bundleBytes = Buffer.byteLength(code);
  await writeBundle(join(dir, '.incoming', version), { name: 'heavy', version, core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': code } });
  await rename(join(dir, '.incoming', version), join(dir, `heavy@${version}`));
  await loader.rescan();
  for (let t = 0; router.table().routes[0]?.handle?.registered.plugin.version !== version; t++) {
    if (t > 2000) throw new Error(`the route did not move to ${version}`);
    await sleep(5);
  }
  if (i > 0) {
    rmSync(join(dir, `heavy@1.0.${i - 1}`), { recursive: true });
    await loader.rescan();
  }
}

/** Waits for superseded workers to end, collects garbage, and reads the memory. */
async function settle(): Promise<{ rss: number; heapUsed: number }> {
  for (let t = 0; WorkerPluginHost.running() > 2; t++) {
    if (t > 2000) throw new Error('old workers were not terminated');
    await sleep(5);
  }
  for (let i = 0; i < 4; i++) {
    gc?.();
    await sleep(10);
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

await loader.start();
await router.start();
const started = performance.now();
let i = 0;
for (; i < warmup; i++) await reload(i);
const samples: Array<{ reload: number; rss: number; heapUsed: number }> = [{ reload: 0, ...(await settle()) }];
for (; i < warmup + reloads; i++) {
  await reload(i);
  if ((i + 1 - warmup) % every === 0) samples.push({ reload: i + 1 - warmup, ...(await settle()) });
}
await router.stop();
await loader.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ mode, reloads, warmup, bundleBytes, seconds: (performance.now() - started) / 1000, samples, stats: loader.stats() })}\n`);
