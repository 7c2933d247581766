/**
 * `evroute explain --config <file> --event <json | @file>`: loads the run config's routing table and
 * plugins (but no source: nothing is consumed), and prints what would happen to the event and why. With
 * `--dry-run` the processors run and their outputs are shown; nothing is written.
 */
import { readFile } from 'node:fs/promises';
import type { Explanation, Source } from '@evroute/core';
import { buildRouter } from '../build-router.js';
import { loadRunConfig } from '../load-config.js';

/** A source that delivers nothing: explain needs the table, not the stream. */
const idle: Source = { name: 'idle', start: () => Promise.resolve(), ack: () => undefined, close: () => Promise.resolve() };

/** Renders an explanation for people. */
export function renderExplanation(e: Explanation): string {
  const lines = [`table version ${e.tableVersion}${e.key ? `, key ${e.key}` : ''}`];
  if (e.error) lines.push(`not decoded: ${e.error.code}: ${e.error.message}`);
  for (const r of e.routes) {
    lines.push(`${r.runs ? 'RUNS ' : 'skip '} route ${r.id} (${r.plugin ?? r.processor}, priority ${r.priority}${r.fanout ? ', fan-out' : ''}): ${r.why}`);
    for (const o of r.outputs ?? []) lines.push(`        → ${o.output} → sink ${o.sink} / ${o.target}: ${JSON.stringify(o.value)}`);
    if (r.error) lines.push(`        ✗ ${r.error.code}: ${r.error.message}`);
  }
  lines.push(`verdict: ${e.verdict}`);
  return `${lines.join('\n')}\n`;
}

/** Runs the command; resolves with the exit code (0 processed, 1 dead-lettered or dropped). */
export async function explainCommand(opts: { configPath: string; event: string; dryRun: boolean; json: boolean; out: (t: string) => void }): Promise<number> {
  const text = opts.event.startsWith('@') ? await readFile(opts.event.slice(1), 'utf8') : opts.event;
  const config = await loadRunConfig(opts.configPath);
  const router = await buildRouter({ ...config, logLevel: 'error' }, opts.configPath, undefined, { source: idle });
  await router.start();
  try {
    const e = await router.explain(text.trim(), { dryRun: opts.dryRun });
    opts.out(opts.json ? `${JSON.stringify(e, null, 2)}\n` : renderExplanation(e));
    return e.verdict.startsWith('processed') ? 0 : 1;
  } finally {
    await router.stop({ timeoutMs: 1_000 });
  }
}
