/**
 * `pnpm bench [--quick] [--only <id,...>]`: runs the benchmarks and regenerates docs/benchmarks.json,
 * docs/benchmarks.md and the charts in docs/benchmarks/. Every figure is measured side by side with a
 * baseline in the same run. Starts the Kafka broker and MariaDB when they are not running (and stops
 * what it started), as scripts/test.sh does.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderCharts } from './charts.js';
import { runConfigPropagation } from './config-propagation.js';
import { BenchContext } from './context.js';
import { runDispatch } from './dispatch.js';
import { explainDispatch } from './dispatch-limits.js';
import { runEndToEnd } from './e2e.js';
import { runHotSwap } from './hot-swap.js';
import { runMySqlBatch } from './mysql-batch.js';
import { runReloadMemory } from './reload-memory.js';
import { mergeResults, type BenchResult } from './results.js';
import { renderMarkdown } from './report.js';
import { runScaleOut } from './scale-out.js';
import { ensureServices } from './services.js';
import { QuietGate } from './quiet-gate.js';
import { quietKafkajsTimerWarnings } from './quiet-warnings.js';

quietKafkajsTimerWarnings();

/** Every result id, in the order the report lists them. */
const IDS = [
  'dispatch', 'e2e', 'flink', 'config-propagation-mysql', 'config-propagation-kafka', 'hot-swap-latency', 'hot-swap-throughput',
  'reload-memory-inprocess', 'reload-memory-worker', 'mysql-batch-100', 'mysql-batch-1000', 'mysql-batch-5000', 'scale-out-2', 'scale-out-3',
] as const;

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const only = values.only?.split(',').map((id) => id.trim());
const unknown = only?.filter((id) => !(IDS as readonly string[]).includes(id) && !IDS.some((known) => known.startsWith(`${id}-`)));
if (unknown !== undefined && unknown.length > 0) throw new Error(`unknown benchmark id(s) ${unknown.join(', ')}; known: ${IDS.join(', ')}`);
/** True when `id` (or, for a prefix such as `mysql-batch`, any id under it) was asked for. */
const want = (id: string): boolean => !only || only.some((o) => o === id || id.startsWith(`${o}-`));
const log = (line: string): void => console.error(`[bench] ${line}`);
const docs = new URL('../../../docs/', import.meta.url);
const started = performance.now();
const fresh: BenchResult[] = [];
const gate = new QuietGate(values.quick, log);

if (want('dispatch')) {
  log('dispatch: in-memory pipeline vs a bare loop');
  const quiet = await gate.wait();
  const result = await runDispatch({ quick: values.quick });
  fresh.push(await explainDispatch({ ...result, details: { ...result.details, quiet } }, values.quick));
}
if (IDS.some((id) => id !== 'dispatch' && want(id))) {
  const services = await ensureServices(log);
  const ctx = new BenchContext(values.quick, services, log, gate);
  // Ctrl-C: still stop the broker this run started (it runs in its own session and would outlive us).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping what this run started`);
      services.down().then(
        () => process.exit(130),
        () => process.exit(130),
      );
    });
  }
  try {
    if (want('e2e') || want('flink')) fresh.push(...(await runEndToEnd(ctx, { e2e: want('e2e'), flink: want('flink') })));
    if (want('scale-out-2') || want('scale-out-3')) fresh.push(...(await runScaleOut(ctx)));
    if (want('config-propagation-mysql') || want('config-propagation-kafka')) {
      fresh.push(...(await runConfigPropagation(ctx, { mysql: want('config-propagation-mysql'), kafka: want('config-propagation-kafka') })));
    }
    if (want('hot-swap-latency') || want('hot-swap-throughput')) fresh.push(...(await runHotSwap(ctx)));
    if (want('reload-memory-inprocess') || want('reload-memory-worker')) fresh.push(...(await runReloadMemory(ctx)));
    if (IDS.some((id) => id.startsWith('mysql-batch-') && want(id))) fresh.push(...(await runMySqlBatch(ctx)));
  } finally {
    await ctx.close();
    await services.down();
  }
}

const kept = fresh.filter((r) => want(r.id));
for (const r of kept) {
  const ratio = r.ratio === null ? '' : ` (${r.ratio.toFixed(2)}× baseline)`;
  console.log(`${r.id}: ${r.value} ${r.unit}${ratio}; goal ${r.goal}: ${r.met === null ? 'reported' : r.met ? 'met' : 'MISSED'}`);
}
const all = mergeResults(new URL('benchmarks.json', docs).pathname, kept);
const charts = await renderCharts(all, new URL('benchmarks/', docs));
writeFileSync(new URL('benchmarks.md', docs), renderMarkdown(all, charts, IDS));
log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; wrote docs/benchmarks.json, docs/benchmarks.md and ${charts.size} charts`);
