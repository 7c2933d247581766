/**
 * `reload-memory-inprocess`, `reload-memory-worker`: memory kept per hot reload of a plugin, in-process
 * (ESM modules are never unloaded) and worker-isolated (a worker's isolate is freed on terminate).
 * Each arm runs in a fresh `node --expose-gc` child (reload-memory-child.js), alternating; the figure
 * is the slope of RSS after forced GC over the measured reloads (least squares over a sample every 5
 * reloads: RSS moves by a few MiB between samples as threads come and go), after a warm-up in which V8
 * sizes its heaps.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchContext } from './context.js';
import type { Quiet } from './quiet-gate.js';
import { load } from './proc-cpu.js';
import { machine, median, spread, type BenchResult } from './results.js';

const run = promisify(execFile);
const KiB = 1024;
const MiB = 1024 * 1024;

interface ChildResult {
  readonly mode: 'in-process' | 'worker';
  readonly reloads: number;
  readonly warmup: number;
  readonly bundleBytes: number;
  readonly seconds: number;
  readonly samples: ReadonlyArray<{ reload: number; rss: number; heapUsed: number }>;
  readonly stats: unknown;
}

/** Least-squares slope of y over x, with its standard error. */
function fit(points: ReadonlyArray<readonly [number, number]>): { slope: number; stderr: number } {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  if (sxx === 0 || n < 3) return { slope: 0, stderr: Number.NaN };
  const slope = sxy / sxx;
  const residuals = points.reduce((a, [x, y]) => a + (y - (my + slope * (x - mx))) ** 2, 0);
  return { slope, stderr: Math.sqrt(residuals / (n - 2) / sxx) };
}

async function child(mode: ChildResult['mode'], reloads: number, warmup: number): Promise<ChildResult> {
  const script = fileURLToPath(new URL('./reload-memory-child.js', import.meta.url));
  const { stdout } = await run(process.execPath, ['--expose-gc', script, mode, String(reloads), String(warmup), '5'], { maxBuffer: 16 * MiB, timeout: 600_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildResult;
}

const rssFit = (r: ChildResult): { slope: number; stderr: number } => fit(r.samples.map((s) => [s.reload, s.rss / KiB]));
const rssSlope = (r: ChildResult): number => rssFit(r).slope;
const heapSlope = (r: ChildResult): number => fit(r.samples.map((s) => [s.reload, s.heapUsed / KiB])).slope;

function curvePoints(results: readonly ChildResult[]): Array<{ x: number; y: number; series: string }> {
  return results.flatMap((r, i) => r.samples.map((s) => ({ x: s.reload, y: Number(((s.rss - (r.samples[0]?.rss ?? 0)) / MiB).toFixed(2)), series: `${r.mode} #${Math.floor(i / 2) + 1}` })));
}

function armDetails(results: readonly ChildResult[]): Record<string, unknown> {
  return {
    rssPerReloadKiB: spread(results.map(rssSlope), 1),
    rssSlopeStdErrKiB: spread(results.map((r) => rssFit(r).stderr), 1),
    heapPerReloadKiB: spread(results.map(heapSlope), 1),
    rssGrowthMiB: spread(results.map((r) => ((r.samples.at(-1)?.rss ?? 0) - (r.samples[0]?.rss ?? 0)) / MiB), 2),
    secondsPerChild: spread(results.map((r) => r.seconds), 1),
    stats: results[0]?.stats,
  };
}

/** Why the worker figure missed: the real growth per reload, or the noise of RSS in a thread-heavy process. */
function workerLimits(worker: readonly ChildResult[], inProcess: readonly ChildResult[]): string {
  const fits = worker.map(rssFit);
  const heap = median(worker.map(heapSlope));
  const goal = Math.min(100, 0.3 * median(inProcess.map(rssSlope)));
  const withinNoise = fits.every((f) => f.slope - 2 * f.stderr <= goal);
  return (
    `worker reloads kept ${fits.map((f) => `${f.slope.toFixed(1)} ± ${(2 * f.stderr).toFixed(1)}`).join(', ')} KiB of RSS per reload (slope ± 2 standard errors, one per child) against ${median(inProcess.map(rssSlope)).toFixed(1)} in-process, ` +
    `while the main heap grew ${heap.toFixed(1)} KiB per reload (in-process: ${median(inProcess.map(heapSlope)).toFixed(1)}): the workers' isolates are freed, and what RSS keeps is memory the allocator holds on to after threads end, which moves by megabytes between samples. ` +
    (withinNoise
      ? `Every child's interval reaches below the goal (${goal.toFixed(1)} KiB), so the miss is within the noise of this measurement; a full run (5 children per arm) narrows it.`
      : `At least one child's interval lies wholly above the goal (${goal.toFixed(1)} KiB): worker reloads keep memory beyond the noise.`)
  );
}

export async function runReloadMemory(ctx: BenchContext): Promise<BenchResult[]> {
  const reloads = 100;
  const warmup = 150; // V8 grows its heaps in steps over the first ~150 reloads of a fresh process, then stays flat
  const pairs = ctx.quick ? 2 : 5;
  ctx.log(`reload-memory: ${pairs} child(ren) per arm, ${warmup} warm-up + ${reloads} measured reloads each`);
  const loadBefore = load();
  const inProcess: ChildResult[] = [];
  const worker: ChildResult[] = [];
  const quiet: Quiet[] = [];
  for (let i = 0; i < pairs; i++) {
    quiet.push(await ctx.quiet());
    inProcess.push(await child('in-process', reloads, warmup));
    worker.push(await child('worker', reloads, warmup));
    ctx.log(`  in-process ${rssSlope(inProcess.at(-1) as ChildResult).toFixed(1)} KiB/reload, worker ${rssSlope(worker.at(-1) as ChildResult).toFixed(1)} KiB/reload`);
  }
  const ours = median(worker.map(rssSlope));
  const theirs = median(inProcess.map(rssSlope));
  const common = { reloads, warmupReloads: warmup, children: pairs, bundleBytes: inProcess[0]?.bundleBytes, load: loadBefore, quiet };
  const both = curvePoints(inProcess.flatMap((r, i) => [r, worker[i] as ChildResult]));
  const date = new Date().toISOString();
  return [
    {
      id: 'reload-memory-inprocess',
      name: 'RSS kept per hot reload of a plugin loaded in-process (ESM modules are never unloaded)',
      unit: 'KiB/reload',
      value: Number(theirs.toFixed(1)),
      baseline: null,
      ratio: null,
      goal: 'reported (the slope is documented; the loader refuses in-process loads past maxReloads, default 200)',
      met: null,
      command: ctx.command('reload-memory-inprocess'),
      machine: machine(),
      date,
      details: {
        ...common,
        ...armDetails(inProcess),
        curve: { x: 'reloads after warm-up', y: 'RSS growth after GC (MiB)', points: both.filter((p) => p.series.startsWith('in-process')) },
        notes: ['An in-process plugin version stays in memory until the process exits (Node cannot evict an ES module); a deployment that reloads often should use worker isolation or restart past a count.'],
      },
    },
    {
      id: 'reload-memory-worker',
      name: 'RSS kept per hot reload of a plugin in worker isolation, vs in-process',
      unit: 'KiB/reload',
      value: Number(ours.toFixed(1)),
      baseline: Number(theirs.toFixed(1)),
      ratio: theirs > 0 ? ours / theirs : null,
      goal: '≤ 100 KiB per reload (≤ 10 MiB per 100) and ≤ 0.3× in-process',
      met: ours <= 100 && ours <= 0.3 * theirs,
      command: ctx.command('reload-memory-worker'),
      machine: machine(),
      date,
      details: {
        ...common,
        ...armDetails(worker),
        curve: { x: 'reloads after warm-up', y: 'RSS growth after GC (MiB)', points: both },
        ...(ours <= 100 && ours <= 0.3 * theirs ? {} : { limits: workerLimits(worker, inProcess) }),
        notes: ['Lower is better: the ratio is worker ÷ in-process memory kept per reload, measured in alternating fresh processes.'],
      },
    },
  ];
}
