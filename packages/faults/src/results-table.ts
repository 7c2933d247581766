/** The results table of docs/reliability.md, from recorded runs (see `report.ts`). */
import type { RunResult } from './results.js';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** The markdown table of `results`. */
export function resultsTable(results: readonly RunResult[]): string {
  const byFault = new Map<string, RunResult[]>();
  for (const r of results) byFault.set(r.counters.fault, [...(byFault.get(r.counters.fault) ?? []), r]);
  const lines = ['| fault | runs | inputs | lost | double effects | recovery s (median / worst) | result |', '|---|---|---|---|---|---|---|'];
  for (const [fault, runs] of byFault) {
    const sum = (pick: (r: RunResult) => number): number => runs.reduce((n, r) => n + pick(r), 0);
    const recoveries = runs.map((r) => r.counters.recoveryMs).filter((v): v is number => v !== null);
    const passed = runs.filter((r) => r.passed).length;
    const recovery = recoveries.length === 0 ? '–' : `${seconds(median(recoveries))} / ${seconds(Math.max(...recoveries))}`;
    lines.push(`| ${fault} | ${runs.length} | ${sum((r) => r.counters.inputs)} | ${sum((r) => r.counters.lost)} | ${sum((r) => r.counters.doubleEffects)} | ${recovery} | ${passed === runs.length ? 'pass' : `FAIL (${runs.length - passed} of ${runs.length})`} |`);
  }
  return lines.join('\n');
}
