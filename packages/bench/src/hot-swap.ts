/**
 * `hot-swap-latency`, `hot-swap-throughput`: new versions of a plugin dropped into the watched folder of
 * a `PluginLoader` (signed bundles under the `require-signature` policy, renamed in from `.incoming/` as
 * a deploy tool does) while the router runs flat out on an in-memory source. Latency is from the drop
 * to the first event processed by the new version (watch, verify, stage, import, dry-run create,
 * register, route swap); throughput compares the events processed in the 500 ms after each drop with
 * the 500 ms before it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  BUNDLE_MANIFEST,
  createRouter,
  describeBundle,
  generateSigningKeys,
  InMemoryConfigSource,
  PluginLoader,
  signBundleManifest,
  writeBundle,
  writeManifest,
  type BundleInput,
  type Sink,
  type SinkRecord,
  type Source,
  type SourceHandler,
  type SourceRecord,
} from '@evroute/core';
import { waitFor } from '@evroute/testkit';
import { pino } from 'pino';
import type { BenchContext } from './context.js';
import { load } from './proc-cpu.js';
import { machine, percentile, spread, type BenchResult } from './results.js';

const WINDOW_MS = 500;
const GAP_MS = 1_100; // between drops: the window before a drop never overlaps the previous swap

/** Delivers tick events to 4 partitions as fast as the pipeline accepts them, until closed. */
class FlatOutSource implements Source {
  readonly name = 'flat-out';
  #stopped = false;
  start(handler: SourceHandler): Promise<void> {
    void (async () => {
      const stamp = Date.now();
      for (let n = 0, batch = 0; !this.#stopped; batch++) {
        const records: SourceRecord[] = [];
        for (let i = 0; i < 1000; i++, n++) {
          const value = Buffer.from(`{"domain":"bench","type":"tick","eventId":"e${n}","timestamp":${stamp},"payload":{"n":${n}}}`);
          records.push({ value, key: null, headers: {}, topic: 'ticks', partition: batch % 4, offset: String(n) });
        }
        await handler.deliver(records).catch(() => (this.#stopped = true));
        await yieldToLoop(); // a socket-fed source yields between fetches; this one does too
      }
    })();
    return Promise.resolve();
  }
  ack(): void {}
  close(): Promise<void> {
    this.#stopped = true;
    return Promise.resolve();
  }
}

/** Per version: when it first processed an event; per 10 ms: how many events were processed. */
class TimingSink implements Sink {
  readonly name = 'timing';
  readonly firstAt = new Map<number, number>();
  readonly per10ms = new Map<number, number>();
  write(records: readonly SinkRecord[]): Promise<void> {
    for (const r of records) {
      const at = r.value['at'] as number;
      const version = r.value['k'] as number;
      if (!this.firstAt.has(version)) this.firstAt.set(version, at);
      const bucket = Math.floor(at / 10);
      this.per10ms.set(bucket, (this.per10ms.get(bucket) ?? 0) + 1);
    }
    return Promise.resolve();
  }
  between(from: number, to: number): number {
    let n = 0;
    for (let b = Math.floor(from / 10); b < Math.floor(to / 10); b++) n += this.per10ms.get(b) ?? 0;
    return n;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Version 1.k.0 of the `tick` plugin: stamps each event with its version and processing time. */
function bundle(k: number): BundleInput {
  const version = `1.${k}.0`;
  const code = `import { definePlugin } from '@evroute/core';
export default definePlugin({
  name: 'tick', version: '${version}', core: '^0.1.0', outputs: { out: {} },
  create: () => ({ process: (event) => [{ to: 'out', value: { id: event.eventId, k: ${k}, at: Date.now() } }] }),
});
`;
  return { name: 'tick', version, core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': code } };
}

export async function runHotSwap(ctx: BenchContext): Promise<BenchResult[]> {
  const swaps = ctx.quick ? 10 : 20;
  ctx.log(`hot-swap: ${swaps} signed versions dropped ${GAP_MS} ms apart under full load`);
  const root = mkdtempSync(join(tmpdir(), 'evroute-bench-hot-swap-'));
  const plugins = join(root, 'plugins');
  const keys = generateSigningKeys();
  for (let k = 0; k <= swaps; k++) {
    const dir = join(plugins, '.incoming', `tick@1.${k}.0`);
    const input = bundle(k);
    await writeBundle(dir, input);
    await writeManifest(join(dir, BUNDLE_MANIFEST), signBundleManifest(describeBundle(input), keys.privateKey));
  }
  await rename(join(plugins, '.incoming', 'tick@1.0.0'), join(plugins, 'tick@1.0.0'));
  const sink = new TimingSink();
  const logger = pino({ level: 'silent' });
  const router = createRouter({
    source: new FlatOutSource(),
    config: new InMemoryConfigSource([{ id: '1', domain: 'bench', eventType: 'tick', processor: 'tick', enabled: true, priority: 0 }]),
    sinks: { timing: sink },
    outputs: { out: { sink: 'timing' } },
    logger,
    batch: { size: 1000, lingerMs: 5 },
  });
  const loader = new PluginLoader({ dir: plugins, registry: router.registry, trust: { policy: 'require-signature', publicKeys: [keys.publicKey] }, logger });
  const quiet = await ctx.quiet();
  const loadBefore = load();
  const drops: number[] = [];
  try {
    await loader.start();
    await router.start();
    await waitFor(() => router.stats().acknowledged > 200_000, { timeout: 60_000, message: 'events flowing' });
    for (let k = 1; k <= swaps; k++) {
      const last = drops.at(-1);
      if (last !== undefined) await waitFor(() => Date.now() - last >= GAP_MS, { interval: 5, message: 'gap between drops' });
      await rename(join(plugins, '.incoming', `tick@1.${k}.0`), join(plugins, `tick@1.${k}.0`));
      drops.push(Date.now());
      await waitFor(() => sink.firstAt.has(k), { timeout: 10_000, interval: 5, message: `tick@1.${k}.0 serving` });
    }
    await waitFor(() => Date.now() - (drops.at(-1) ?? 0) >= WINDOW_MS, { interval: 5 });
  } finally {
    await router.stop({ timeoutMs: 10_000 });
    await loader.close();
    rmSync(root, { recursive: true, force: true });
  }
  const latencies = drops.map((drop, i) => (sink.firstAt.get(i + 1) ?? Number.NaN) - drop);
  const before = drops.map((drop) => sink.between(drop - WINDOW_MS, drop));
  const after = drops.map((drop) => sink.between(drop, drop + WINDOW_MS));
  const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
  const rate = (events: number): number => Math.round(events / ((swaps * WINDOW_MS) / 1000));
  const p99 = percentile(latencies, 99);
  const common = { swaps, windowMs: WINDOW_MS, gapMs: GAP_MS, trust: 'require-signature (Ed25519)', isolation: 'in-process', load: loadBefore, quiet };
  const date = new Date().toISOString();
  return [
    {
      id: 'hot-swap-latency',
      name: 'Signed plugin version dropped into the watched folder → first event processed by it, under full load',
      unit: 'ms',
      value: p99,
      baseline: null,
      ratio: null,
      goal: 'p99 ≤ 500 ms',
      met: p99 <= 500,
      command: ctx.command('hot-swap-latency'),
      machine: machine(),
      date,
      details: {
        ...common,
        p50: percentile(latencies, 50),
        p99,
        latencyMs: spread(latencies),
        notes: [
          'The load is an in-memory source delivering as fast as the router accepts (one core busy with routing), so the loader\'s file watching, signature check, staging copy, import and dry-run create compete with the pipeline on its own thread.',
          'Timed from the rename of the bundle folder into the watched folder to the first event the new version processed.',
        ],
      },
    },
    {
      id: 'hot-swap-throughput',
      name: `Events processed in the ${WINDOW_MS} ms after a plugin drop vs the ${WINDOW_MS} ms before it`,
      unit: 'events/s',
      value: rate(sum(after)),
      baseline: rate(sum(before)),
      ratio: sum(after) / sum(before),
      goal: '≥ 0.9× the rate before the drop',
      met: sum(after) / sum(before) >= 0.9,
      command: ctx.command('hot-swap-throughput'),
      machine: machine(),
      date,
      details: { ...common, perSwapRatio: spread(drops.map((_, i) => (after[i] ?? 0) / (before[i] || 1)), 3), eventsBefore: before, eventsAfter: after },
    },
  ];
}
