/**
 * The Flink baseline: the original system's shape as a Flink DataStream job (packages/bench/flink, a
 * Maven project kept only for measuring), run by its driver over the same topic into a fresh database:
 *
 *   packages/bench/flink/run-bench.sh <brokers> <topic> <mysql-db> <expected-rows>
 *
 * which prints one JSON line `{"system":"flink","events":N,"seconds":S,"eventsPerSecond":R,"cpuSeconds":C,…}`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPool } from 'mysql2/promise';
import { WIDE_TABLE } from '@evroute/wrongbook';
import { tableFingerprint } from './bench-database.js';
import { repoRoot } from './services.js';

const run = promisify(execFile);
const driver = join(repoRoot, 'packages/bench/flink/run-bench.sh');

/** One Flink run as the driver reports it (fields beyond the contract are optional). */
export interface FlinkRun {
  readonly system: 'flink';
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly cpuSeconds: number;
  readonly secondsFromFirstEvent?: number;
  readonly cpuSecondsProcessing?: number;
  readonly flinkVersion?: string;
  readonly parallelism?: number;
  readonly peakRssMiB?: number;
  readonly mysqldCpuSeconds?: number | null;
  readonly counters?: string;
  /** See tableFingerprint (bench-database.ts): added by this module before the database is dropped. */
  tableFingerprint?: string | undefined;
  readonly [field: string]: unknown;
}

/** Why the Flink baseline cannot run here, or undefined when it can. */
export async function flinkUnavailable(): Promise<string | undefined> {
  if (!existsSync(driver)) return 'packages/bench/flink/run-bench.sh does not exist (the Flink baseline job is not in the tree)';
  for (const tool of ['java', 'mvn', 'jq', 'mysql']) {
    const found = await run('bash', ['-c', `command -v ${tool}`]).then(
      () => true,
      () => false,
    );
    if (!found) return `the Flink driver needs \`${tool}\` on PATH`;
  }
  return undefined;
}

/** Seconds the measured rate is taken over: from the job's first event when the driver reports it (as evroute's runs count from their first batch), else from the job running. */
export function flinkSeconds(r: FlinkRun): number {
  return typeof r.secondsFromFirstEvent === 'number' && r.secondsFromFirstEvent > 0 ? r.secondsFromFirstEvent : r.seconds;
}

/** The job's `rows_written` counter when the driver stopped it, if it reports one. */
export function rowsWritten(r: FlinkRun): number | undefined {
  const match = /rows_written=(\d+)/.exec(typeof r.counters === 'string' ? r.counters : '');
  return match === null ? undefined : Number(match[1]);
}

/** A note on Flink runs that the driver stopped before every event was written (undefined when none was). */
export function earlyStops(runs: readonly FlinkRun[]): string | undefined {
  const early = runs.filter((r) => (rowsWritten(r) ?? r.events) < r.events);
  if (early.length === 0) return undefined;
  const flush = typeof runs[0]?.['flushMs'] === 'number' ? `${runs[0]['flushMs']} ms` : 'its';
  return (
    `In ${early.length} of ${runs.length} Flink runs the driver's stopping rule (the wide table holds the expected row count) fired before the job had written every event ` +
    `(its rows_written counter: ${early.map((r) => `${rowsWritten(r)} of ${r.events}`).join(', ')}), and the table then differs from evroute's: ` +
    `those runs are timed without the last partial batch (up to one ${flush} flush), which flatters Flink.`
  );
}

/** Runs the Flink job once over `topic` into a new database (dropped afterwards). */
export async function runFlink(options: { brokers: readonly string[]; topic: string; expectedRows: number; mysqlUrl: string; database: string; timeoutSeconds: number }): Promise<FlinkRun> {
  const url = new URL(options.mysqlUrl);
  const env = {
    ...process.env,
    MYSQL_HOST: url.hostname,
    MYSQL_PORT: url.port || '3306',
    MYSQL_USER: decodeURIComponent(url.username || 'root'),
    MYSQL_PASSWORD: decodeURIComponent(url.password),
    TIMEOUT_S: String(options.timeoutSeconds),
  };
  let result: (FlinkRun & { tableFingerprint?: string | undefined }) | undefined;
  try {
    const { stdout } = await run('bash', [driver, options.brokers.join(','), options.topic, options.database, String(options.expectedRows)], {
      env,
      maxBuffer: 16 << 20,
      timeout: (options.timeoutSeconds + 180) * 1000,
    }).catch((error: unknown) => {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`run-bench.sh failed: ${stderr.trim().split('\n').slice(-8).join(' | ') || String(error)}`, { cause: error });
    });
    const line = stdout.trim().split('\n').at(-1) ?? '';
    const parsed = JSON.parse(line) as FlinkRun;
    if (parsed.system !== 'flink' || typeof parsed.eventsPerSecond !== 'number') throw new Error(`run-bench.sh printed no result line: ${line.slice(0, 200)}`);
    result = { ...parsed };
    return result;
  } finally {
    const admin = createPool({ uri: options.mysqlUrl, connectionLimit: 1 });
    try {
      if (result !== undefined) result.tableFingerprint = await tableFingerprint(admin, `\`${options.database}\`.\`${WIDE_TABLE}\``).catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS \`${options.database}\``);
    } finally {
      await admin.end();
    }
  }
}
