/**
 * The benchmark results file, docs/benchmarks.json: one object per result, merged by id so a run of
 * one benchmark keeps the others' latest figures. docs/benchmarks.md is regenerated from it (report.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** One benchmark figure, side by side with its baseline. */
export interface BenchResult {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  /** evroute's figure (median of the runs). */
  readonly value: number;
  /** The hand-written baseline's figure in the same run, when there is one. */
  readonly baseline: number | null;
  /** value / baseline (higher is better for rates), or null. */
  readonly ratio: number | null;
  /** The goal, as text, e.g. ">= 0.7x baseline". */
  readonly goal: string;
  /** Whether the goal was met. */
  readonly met: boolean | null;
  readonly command: string;
  readonly machine: string;
  readonly date: string;
  /** Every run's figures, min–max, and anything else worth keeping. */
  readonly details: Record<string, unknown>;
}

/** A one-line description of this machine. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
}

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Reads the results file (empty when absent). */
export function readResults(path: string): BenchResult[] {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BenchResult[]) : [];
}

/** Writes results, replacing those with the same ids, sorted by id. */
export function mergeResults(path: string, fresh: readonly BenchResult[]): BenchResult[] {
  const byId = new Map(readResults(path).map((r) => [r.id, r]));
  for (const r of fresh) byId.set(r.id, r);
  const all = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
  return all;
}

/** `p`-th percentile (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Median, min, max and every value, rounded to `digits` decimals: the shape charts read (`all`). */
export function spread(values: readonly number[], digits = 0): { median: number; min: number; max: number; all: number[] } {
  const round = (n: number): number => Number(n.toFixed(digits));
  return { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)), all: values.map(round) };
}
