/**
 * `e2e` and `flink`: Kafka → wrongbook add/fix processing → MariaDB wide table, evroute against the
 * hand-written kafkajs + mysql2 pipeline and against the Flink job, in alternating rounds over the same
 * topic (each run: the table emptied, a new consumer group from the earliest offset, every event written
 * and the row count checked). One uncounted warm-up run per Node side first. When a goal is missed, one
 * more run of each Node side is CPU-profiled to show where the time goes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MYSQL_BATCH_SIZE } from '@evroute/mysql';
import { uniqueName } from '@evroute/testkit';
import type { BenchContext, Workload } from './context.js';
import type { Quiet } from './quiet-gate.js';
import { earlyStops, flinkSeconds, flinkUnavailable, runFlink, type FlinkRun } from './flink.js';
import { e2eLimits, flinkLimits, type SideCost } from './e2e-limits.js';
import { cleanRun, type CleanRun } from './clean-run.js';
import { runInstances, type RunOutcome } from './instances.js';
import { load } from './proc-cpu.js';
import { newestProfile, summarizeProfile, type ProfileSummary } from './profile.js';
import { machine, median, spread, type BenchResult } from './results.js';

type Side = RunOutcome['side'];
/** A run and the fingerprint of the table it left (see tableFingerprint). */
type E2eRun = CleanRun<RunOutcome> & { readonly fingerprint: string; readonly quiet: Quiet };

const per100k = (seconds: number, events: number): number => Number(((seconds / events) * 100_000).toFixed(2));
/** Wall time with a database write in flight, per event (one instance). */
const writeMicrosPerEvent = (r: RunOutcome): number => (r.writeBusyShare * r.seconds * 1e6) / r.events;

async function pipelineRun(ctx: BenchContext, { topic, db }: Workload, side: Side, execArgv: readonly string[] = []): Promise<E2eRun> {
  const quiet = await ctx.quiet();
  const outcome = await cleanRun(ctx, side, async () => {
    await db.truncate();
    return runInstances({ side, count: 1, brokers: ctx.services.brokers, topic: topic.topic, mysqlUrl: db.url, batchSize: DEFAULT_MYSQL_BATCH_SIZE, events: topic.events, timeoutMs: 300_000, execArgv });
  });
  const { rows } = await db.counts();
  if (rows !== topic.expectedRows) throw new Error(`${side} run left ${rows} rows in the wide table, expected ${topic.expectedRows}`);
  if (outcome.rejected > 0) throw new Error(`${side} run rejected ${outcome.rejected} events; the workload has no bad ones`);
  ctx.log(`  ${side}: ${outcome.eventsPerSecond} events/s, ${outcome.cpuSecondsPer100k} CPU s per 100k events (load ${outcome.load})`);
  return { ...outcome, fingerprint: await db.fingerprint(), quiet };
}

/** Runs one Node side once more under --cpu-prof and summarizes the profile. */
async function profiled(ctx: BenchContext, workload: Workload, side: Side): Promise<ProfileSummary | string> {
  const dir = mkdtempSync(join(tmpdir(), `evroute-bench-prof-${side}-`));
  try {
    await pipelineRun(ctx, workload, side, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const file = newestProfile(dir);
    return file === undefined ? 'no profile was written' : summarizeProfile(file);
  } catch (error) {
    return `profiling failed: ${String(error)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sideDetails(runs: readonly E2eRun[]): Record<string, unknown> {
  return {
    eventsPerSecond: spread(runs.map((r) => r.eventsPerSecond)),
    cpuSecondsPer100k: spread(runs.map((r) => r.cpuSecondsPer100k), 2),
    eventLoopUtilization: spread(runs.map((r) => r.eventLoopUtilization), 3),
    writeBusyShare: spread(runs.map((r) => r.writeBusyShare), 3),
    writeMicrosPerEvent: spread(runs.map(writeMicrosPerEvent), 1),
    backpressurePerRun: spread(runs.map((r) => r.backpressure)),
    mysqldCpuSecondsPer100k: spread(runs.map((r) => per100k(r.mysqldCpuSeconds ?? Number.NaN, r.events)), 2),
    maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)),
    runs,
  };
}

/** Runs the rounds and returns the `e2e` and/or `flink` results. */
export async function runEndToEnd(ctx: BenchContext, want: { readonly e2e: boolean; readonly flink: boolean }): Promise<BenchResult[]> {
  const workload = await ctx.workload();
  const { topic } = workload;
  const rounds = ctx.quick ? 3 : 5;
  let flinkReason = want.flink ? await flinkUnavailable() : 'not requested';
  const settings = await workload.db.settings();
  const loadBefore = load();
  ctx.log(`e2e: warm-up, then ${rounds} alternating rounds${flinkReason === undefined ? ' with Flink' : ''}`);
  await pipelineRun(ctx, workload, 'evroute');
  if (want.e2e) await pipelineRun(ctx, workload, 'baseline');
  const runs: Record<Side, E2eRun[]> = { evroute: [], baseline: [] };
  const flink: Array<FlinkRun & { quiet: Quiet }> = [];
  for (let round = 0; round < rounds; round++) {
    const order: Side[] = want.e2e ? (round % 2 === 0 ? ['evroute', 'baseline'] : ['baseline', 'evroute']) : ['evroute'];
    for (const side of order) runs[side].push(await pipelineRun(ctx, workload, side));
    if (flinkReason !== undefined) continue;
    try {
      const quiet = await ctx.quiet();
      const r = await runFlink({ brokers: ctx.services.brokers, topic: topic.topic, expectedRows: topic.expectedRows, mysqlUrl: ctx.services.mysqlUrl, database: uniqueName('flinkbench'), timeoutSeconds: 300 });
      flink.push({ ...r, quiet });
      ctx.log(`  flink: ${Math.round(r.events / flinkSeconds(r))} events/s from its first event (${r.eventsPerSecond} from job start), ${r.cpuSecondsProcessing ?? r.cpuSeconds} CPU s`);
    } catch (error) {
      flinkReason = `the Flink driver failed: ${error instanceof Error ? error.message : String(error)}`;
      ctx.log(`  flink: ${flinkReason}`);
    }
  }
  const ours = median(runs.evroute.map((r) => r.eventsPerSecond));
  const theirs = median(runs.baseline.map((r) => r.eventsPerSecond));
  const ratio = ours / theirs;
  const flinkRates = flink.map((r) => r.events / flinkSeconds(r));
  const flinkRatio = flinkRates.length > 0 ? ours / median(flinkRates) : null;
  const needProfile = (want.e2e && ratio < 1) || (flinkRatio !== null && flinkRatio < 1.5);
  const profile = needProfile ? { evroute: await profiled(ctx, workload, 'evroute'), ...(want.e2e ? { baseline: await profiled(ctx, workload, 'baseline') } : {}) } : undefined;
  const common = {
    workload: { ...topic, source: '@evroute/wrongbook generateEvents (no deletes, no bad messages) + one sentinel add per partition' },
    batchSize: DEFAULT_MYSQL_BATCH_SIZE,
    rounds,
    mariadb: settings,
    kafka: ctx.services.kafkaVersion,
    loadBefore,
    loadAfter: load(),
    tableFingerprints: [...new Set([...runs.evroute, ...runs.baseline].map((r) => r.fingerprint))],
    method: 'Each run in its own process: a new consumer group reads the topic from the earliest offset; the first fetched batch is held until go; timed from go to the last durable write (acknowledged/committed); CPU is the process\'s own over that span (mysqld from /proc). Rows checked after each run.',
  };
  const results: BenchResult[] = [];
  const date = new Date().toISOString();
  const cost = (rs: readonly E2eRun[]): SideCost => ({
    eventsPerSecond: median(rs.map((r) => r.eventsPerSecond)),
    cpuPer100k: median(rs.map((r) => r.cpuSecondsPer100k)),
    eventLoopUtilization: median(rs.map((r) => r.eventLoopUtilization)),
    writeBusyShare: median(rs.map((r) => r.writeBusyShare)),
    writeMicrosPerEvent: median(rs.map(writeMicrosPerEvent)),
    backpressure: median(rs.map((r) => r.backpressure)),
  });
  if (want.e2e) {
    const cpuRatio = median(runs.evroute.map((r) => r.cpuSecondsPer100k)) / median(runs.baseline.map((r) => r.cpuSecondsPer100k));
    results.push({
      id: 'e2e',
      name: 'Kafka → wrongbook add/fix → MariaDB wide table: evroute vs a hand-written kafkajs + mysql2 pipeline',
      unit: 'events/s',
      value: Math.round(ours),
      baseline: Math.round(theirs),
      ratio,
      goal: '≥ 1.0× hand-written (floor 0.85×)',
      met: ratio >= 1,
      command: ctx.command('e2e'),
      machine: machine(),
      date,
      details: {
        ...common,
        floorMet: ratio >= 0.85,
        ...(ratio < 1 ? { limits: e2eLimits(ratio, cost(runs.evroute), cost(runs.baseline), profile, topic.events) } : {}),
        notes: [
          `Same work on both sides: the same ${topic.events} events (wrongbook adds and fixes from the generator, with its duplicates and mixed spellings), the same row builders (@evroute/wrongbook, no dimension enrichment), the same upsert SQL (MySqlSink's compileUpsert) in statements of ${DEFAULT_MYSQL_BATCH_SIZE} rows, and every run left the same table (tableFingerprints holds every distinct fingerprint seen).`,
          'evroute runs as a user would assemble it with default settings: KafkaSource → router with the two wrongbook plugins → MySqlSink (batch 1000, linger 50 ms, maxInFlight 10 000); the hand-written loop reads a batch, builds rows, writes them, commits the offsets, then reads the next.',
          `CPU per 100k events: evroute ${median(runs.evroute.map((r) => r.cpuSecondsPer100k)).toFixed(2)} s, hand-written ${median(runs.baseline.map((r) => r.cpuSecondsPer100k)).toFixed(2)} s (process CPU, all threads, from go to the last write).`,
        ],
        cpuRatio: Number(cpuRatio.toFixed(3)),
        roundRatios: runs.evroute.map((r, i) => Number((r.eventsPerSecond / (runs.baseline[i]?.eventsPerSecond ?? Number.NaN)).toFixed(3))),
        evroute: sideDetails(runs.evroute),
        baseline: sideDetails(runs.baseline),
        ...(profile === undefined ? {} : { profile }),
      },
    });
  }
  if (want.flink) {
    results.push({
      id: 'flink',
      name: 'Same pipeline: evroute vs the original system as an Apache Flink DataStream job (packages/bench/flink)',
      unit: 'events/s',
      value: Math.round(ours),
      baseline: flinkRatio === null ? null : Math.round(median(flinkRates)),
      ratio: flinkRatio,
      goal: '≥ 1.5× Flink',
      met: flinkRatio === null ? null : flinkRatio >= 1.5,
      command: ctx.command('flink'),
      machine: machine(),
      date,
      details:
        flinkRatio === null
          ? { measured: false, reason: flinkReason ?? 'no Flink run completed', evroute: sideDetails(runs.evroute) }
          : {
              ...common,
              measured: true,
              ...(flinkReason !== undefined && flinkReason !== 'not requested' ? { driverFailure: `${flinkReason} (after ${flink.length} runs)` } : {}),
              ...(flinkRatio < 1.5
                ? {
                    limits: flinkLimits(
                      flinkRatio,
                      cost(runs.evroute),
                      { eventsPerSecond: median(flinkRates), cpuPer100k: median(flink.map((r) => per100k(r.cpuSecondsProcessing ?? r.cpuSeconds, r.events))), parallelism: flink[0]?.parallelism },
                      profile?.evroute,
                    ),
                  }
                : {}),
              sameTableAsEvroute: flink.every((r) => r.tableFingerprint === runs.evroute[0]?.fingerprint),
              notes: [
                'Each Flink run is one call of its driver, packages/bench/flink/run-bench.sh <brokers> <topic> <mysql-db> <expected-rows>; the job (packages/bench/flink) reads the same topic from the earliest offset with parallelism 2 and writes the same upsert SQL into a fresh database; it has no dimension enrichment, and neither has the evroute side here.',
                earlyStops(flink) ?? 'Every Flink run had written every event when the driver stopped it, and left the same table as evroute.',
              ],
              flinkTiming: 'events / secondsFromFirstEvent of the driver (as evroute is timed from its first held batch); eventsPerSecond of the driver counts from the job RUNNING',
              evroute: sideDetails(runs.evroute),
              flink: {
                eventsPerSecond: spread(flinkRates),
                eventsPerSecondFromJobRunning: spread(flink.map((r) => r.eventsPerSecond)),
                cpuSecondsPer100k: spread(flink.map((r) => per100k(r.cpuSecondsProcessing ?? r.cpuSeconds, r.events)), 2),
                runs: flink,
              },
              ...(profile === undefined ? {} : { profile: { evroute: profile.evroute } }),
            },
    });
  }
  return results;
}
