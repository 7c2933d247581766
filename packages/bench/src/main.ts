/**
 * `pnpm bench [--quick] [--only <id,...>]`: runs the benchmarks and regenerates docs/benchmarks.json
 * and docs/benchmarks.md. Every figure is measured side by side with a hand-written baseline.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runDispatch } from './dispatch.js';
import { mergeResults, renderMarkdown, type BenchResult } from './results.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const only = values.only?.split(',');
const want = (id: string): boolean => !only || only.includes(id);
const docs = new URL('../../../docs/', import.meta.url);
const fresh: BenchResult[] = [];

if (want('dispatch')) fresh.push(await runDispatch({ quick: values.quick }));

for (const r of fresh) {
  const ratio = r.ratio === null ? '' : ` (${r.ratio.toFixed(2)}× baseline)`;
  console.log(`${r.id}: ${r.value} ${r.unit}${ratio}; goal ${r.goal}: ${r.met ? 'met' : 'MISSED'}`);
}
const all = mergeResults(new URL('benchmarks.json', docs).pathname, fresh);
writeFileSync(new URL('benchmarks.md', docs), renderMarkdown(all));
