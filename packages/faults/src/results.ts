/**
 * Where run outcomes go: one JSON line per run in `packages/faults/.results/runs.jsonl` (git-ignored),
 * which `report.ts` turns into the table of docs/reliability.md.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokenInvariants, type Counters } from './counters.js';

/** The results file. */
export const RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '.results', 'runs.jsonl');

/** One recorded run. */
export interface RunResult {
  readonly at: string;
  readonly passed: boolean;
  readonly broken: readonly string[];
  readonly counters: Omit<Counters, 'problems'>;
}

/** Appends a run's outcome; `error` is set when the run itself did not finish. */
export function recordResult(counters: Counters, error: string | undefined): void {
  const broken = error === undefined ? brokenInvariants(counters) : [error, ...brokenInvariants(counters)];
  const { problems: _problems, ...numbers } = counters;
  const result: RunResult = { at: new Date().toISOString(), passed: broken.length === 0, broken, counters: numbers };
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  appendFileSync(RESULTS_FILE, `${JSON.stringify(result)}\n`);
}

/** Every recorded run (oldest first). */
export function readResults(file = RESULTS_FILE): RunResult[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as RunResult);
}
