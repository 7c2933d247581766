/**
 * Prints the results table of docs/reliability.md from `.results/runs.jsonl`:
 * `node packages/faults/dist/report.js [--since 2026-01-01T00:00:00Z]`. One row per fault, over the runs
 * recorded since `--since` (default: all): runs, inputs, lost, double effects, recovery (median and
 * worst), result.
 */
import { readResults } from './results.js';
import { resultsTable } from './results-table.js';

const sinceAt = process.argv.indexOf('--since');
const since = sinceAt >= 0 ? Date.parse(process.argv[sinceAt + 1] ?? '') : 0;
process.stdout.write(`${resultsTable(readResults().filter((r) => Date.parse(r.at) >= since))}\n`);
