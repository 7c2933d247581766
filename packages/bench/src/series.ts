/**
 * The runs behind each figure, read back from a result's `details`: what its chart plots and what the
 * report's min–max lines summarize. Each benchmark stores its runs as `{ median, min, max, all }`
 * (results.ts `spread`) at the paths named here.
 */
import type { BenchResult } from './results.js';

/** The runs of one side of a figure. */
export interface Series {
  readonly label: string;
  readonly unit: string;
  readonly values: readonly number[];
}

/** A line over a run (memory after each reload), when a figure has one. */
export interface Curve {
  readonly x: string;
  readonly y: string;
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number; readonly series: string }>;
}

function at(details: unknown, path: string): unknown {
  let value: unknown = details;
  for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function runs(details: unknown, path: string): number[] | undefined {
  const all = at(details, `${path}.all`);
  return Array.isArray(all) && all.every((v) => typeof v === 'number') ? all : undefined;
}

/** [label, path] pairs per id (or id prefix), in plotting order. */
const PATHS: ReadonlyArray<readonly [RegExp, ReadonlyArray<readonly [string, string]>]> = [
  [/^dispatch$/, [['evroute', 'evroute'], ['bare loop', 'baseline']]],
  [/^e2e$/, [['evroute', 'evroute.eventsPerSecond'], ['kafkajs + mysql2 by hand', 'baseline.eventsPerSecond']]],
  [/^flink$/, [['evroute', 'evroute.eventsPerSecond'], ['Flink job', 'flink.eventsPerSecond']]],
  [/^config-propagation-/, [['change → router applied', 'latencyMs']]],
  [/^hot-swap-latency$/, [['drop → first event on the new version', 'latencyMs']]],
  [/^hot-swap-throughput$/, [['after ÷ before, per swap', 'perSwapRatio']]],
  [/^reload-memory-/, [['RSS growth per reload', 'rssPerReloadKiB']]],
  [/^mysql-batch-/, [['MySqlSink', 'sink'], ['mysql2 by hand', 'handWritten']]],
  [/^scale-out-/, [['N instances', 'instances'], ['1 instance', 'single']]],
];

/** The series of a result (empty when it has none, e.g. a figure that was not measured). */
export function seriesOf(result: BenchResult): Series[] {
  const paths = PATHS.find(([pattern]) => pattern.test(result.id))?.[1] ?? [];
  const out: Series[] = [];
  for (const [label, path] of paths) {
    const values = runs(result.details, path);
    const count = at(result.details, 'count');
    if (values !== undefined && values.length > 0) out.push({ label: label.replace('N instances', `${typeof count === 'number' ? count : 'N'} instances`), unit: result.unit, values });
  }
  return out;
}

/** The curve of a result, if it stores one under `details.curve`. */
export function curveOf(result: BenchResult): Curve | undefined {
  const curve = at(result.details, 'curve') as Curve | undefined;
  return curve !== undefined && Array.isArray(curve.points) ? curve : undefined;
}
