/**
 * `scale-out-2`, `scale-out-3`: 1, 2 and 3 evroute instances (processes) in one consumer group over the
 * 6-partition end-to-end topic, in rotating order per round; each figure is the throughput of N
 * instances against one instance in the same rounds. On this machine the instances, the broker and
 * MariaDB share 2 cores, so more instances mostly compete for CPU: what is measured is that scaling out
 * does not collapse throughput (rebalancing, partition skew, write contention) and what the second core
 * still allows, not the speed-up on a machine with a core per instance.
 */
import { cpus } from 'node:os';
import { DEFAULT_MYSQL_BATCH_SIZE } from '@evroute/mysql';
import type { BenchContext } from './context.js';
import type { Quiet } from './quiet-gate.js';
import { cleanRun, type CleanRun } from './clean-run.js';
import { runInstances, type RunOutcome } from './instances.js';
import { load } from './proc-cpu.js';
import { machine, median, spread, type BenchResult } from './results.js';

const COUNTS = [1, 2, 3] as const;

export async function runScaleOut(ctx: BenchContext): Promise<BenchResult[]> {
  const { topic, db } = await ctx.workload();
  const rounds = ctx.quick ? 3 : 5;
  const loadBefore = load();
  ctx.log(`scale-out: ${rounds} rounds of 1, 2 and 3 instances in one group`);
  const runs = new Map<number, Array<CleanRun<RunOutcome> & { quiet: Quiet }>>(COUNTS.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const order = COUNTS.map((_, i) => COUNTS[(i + round) % COUNTS.length] as number);
    for (const count of order) {
      const quiet = await ctx.quiet();
      const outcome = await cleanRun(ctx, `${count} instance(s)`, async () => {
        await db.truncate();
        return runInstances({ side: 'evroute', count, brokers: ctx.services.brokers, topic: topic.topic, mysqlUrl: db.url, batchSize: DEFAULT_MYSQL_BATCH_SIZE, events: topic.events, timeoutMs: 300_000 });
      });
      const { rows } = await db.counts();
      if (rows !== topic.expectedRows) throw new Error(`${count} instances left ${rows} rows, expected ${topic.expectedRows}`);
      runs.get(count)?.push({ ...outcome, quiet });
      ctx.log(`  ${count} instance(s): ${outcome.eventsPerSecond} events/s, ${outcome.cpuSecondsPer100k} CPU s per 100k (all instances), machine busy ${outcome.machineBusyCpuSeconds ?? '?'} CPU s in ${outcome.seconds} s`);
    }
  }
  const single = runs.get(1) ?? [];
  const one = median(single.map((r) => r.eventsPerSecond));
  const cores = cpus().length;
  return [2, 3].map((count): BenchResult => {
    const these = runs.get(count) ?? [];
    const value = median(these.map((r) => r.eventsPerSecond));
    const ratio = value / one;
    const busy = (rs: readonly RunOutcome[]): number => median(rs.map((r) => (r.machineBusyCpuSeconds ?? Number.NaN) / r.seconds));
    return {
      id: `scale-out-${count}`,
      name: `${count} evroute instances in one consumer group vs 1, Kafka → MariaDB wide table`,
      unit: 'events/s',
      value: Math.round(value),
      baseline: Math.round(one),
      ratio,
      goal: `≥ 0.8× one instance (no collapse; the speed-up is capped by ${cores} shared cores)`,
      met: ratio >= 0.8,
      command: ctx.command(`scale-out-${count}`),
      machine: machine(),
      date: new Date().toISOString(),
      details: {
        count,
        partitions: 6,
        events: topic.events,
        rounds,
        loadBefore,
        instances: spread(these.map((r) => r.eventsPerSecond)),
        single: spread(single.map((r) => r.eventsPerSecond)),
        cpuSecondsPer100k: { instances: spread(these.map((r) => r.cpuSecondsPer100k), 2), single: spread(single.map((r) => r.cpuSecondsPer100k), 2) },
        machineCoresBusy: { instances: Number(busy(these).toFixed(2)), single: Number(busy(single).toFixed(2)), cores },
        runs: these,
        notes: [
          `This machine has ${cores} cores, shared by the evroute instances, the Kafka broker and MariaDB. With one instance about ${busy(single).toFixed(2)} cores are busy (machine-wide, other work included); with ${count} instances ${busy(these).toFixed(2)}. So ${count} instances can only use what is left of the second core: the ratio shows that, and that scaling out does not collapse (rebalancing, more connections, smaller fetches per instance, more CPU per event: ${median(these.map((r) => r.cpuSecondsPer100k)).toFixed(2)} against ${median(single.map((r) => r.cpuSecondsPer100k)).toFixed(2)} CPU s per 100k). It says nothing about a machine with a core per instance.`,
          'Every instance starts at once after the group has settled (each holds its first batch until go), so no rebalance happens during a timed run.',
        ],
      },
    };
  });
}
