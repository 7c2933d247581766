/**
 * Declarative plugin tests (`*.evtest.json`), run by `evroute test` and by `runTestFile`: inputs, a
 * routing table and expected outputs, checked against the real plugins, like `rpk connect test`.
 *
 * ```json
 * { "plugins": ["./dist/index.js"], "routes": [{ "id": "1", "domain": "d", "event_type": "t", "processor_class": "my-plugin" }],
 *   "services": { "lookup": { "k": "v" } },
 *   "cases": [{ "name": "emits a row", "input": { "domain": "d", "type": "t", "eventId": "e1", "timestamp": 1, "payload": {} },
 *               "expect": { "outputs": [{ "to": "rows", "value": { "id": "e1" } }] } },
 *             { "name": "rejects bad data", "input": "not json", "expect": { "deadLetter": "EVR_ERR_DECODE_NOT_JSON" } }] }
 * ```
 * Expected values match as subsets: the listed fields must be equal, others are ignored. Outputs are
 * compared in order; `"outputs": []` expects none.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { routeFromColumns } from '@evroute/core';
import { runPlugins, type CapturedOutput } from './run-plugin.js';

/** The file format. */
export interface PluginTestFile {
  readonly plugins: readonly string[];
  readonly routes: readonly unknown[];
  readonly services?: Readonly<Record<string, unknown>>;
  readonly cases: readonly {
    readonly name: string;
    readonly input: unknown;
    readonly expect: { readonly outputs?: readonly { readonly to: string; readonly value?: Record<string, unknown> }[]; readonly deadLetter?: string };
  }[];
}

/** The result of one case: passed, or the differences found. */
export interface TestCaseResult {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly problems: readonly string[];
}

function subsetProblems(expected: Record<string, unknown>, actual: Readonly<Record<string, unknown>>, at: string): string[] {
  return Object.entries(expected)
    .filter(([k, v]) => !isDeepStrictEqual(actual[k], v))
    .map(([k, v]) => `${at}.${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(actual[k])}`);
}

/** Runs every case of one test file (each case in its own router, so cases do not share state). */
export async function runTestFile(path: string): Promise<TestCaseResult[]> {
  const spec = JSON.parse(await readFile(path, 'utf8')) as PluginTestFile;
  const base = dirname(path);
  const plugins = await Promise.all(
    spec.plugins.map(async (p) => {
      const url = p.startsWith('.') || isAbsolute(p) ? pathToFileURL(resolve(base, p)).href : p;
      return ((await import(url)) as { default: unknown }).default;
    }),
  );
  const routes = spec.routes.map((r, i) => routeFromColumns(r, String(i + 1)));
  const results: TestCaseResult[] = [];
  for (const c of spec.cases) {
    const input = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
    const run = await runPlugins({ plugins, routes, events: [input], ...(spec.services ? { services: spec.services } : {}) });
    const problems: string[] = [];
    const got: readonly CapturedOutput[] = run.outputs;
    if (c.expect.deadLetter !== undefined) {
      const codes: string[] = run.deadLetters.map((d) => d.code);
      if (!codes.includes(c.expect.deadLetter)) problems.push(`dead letter: expected ${c.expect.deadLetter}, got ${codes.length ? codes.join(', ') : 'none'}${codes.length ? ` (${run.deadLetters[0]!.message})` : ''}`);
    } else if (run.deadLetters.length > 0) {
      problems.push(`unexpected dead letter ${run.deadLetters[0]!.code}: ${run.deadLetters[0]!.message}`);
    }
    if (c.expect.outputs) {
      if (got.length !== c.expect.outputs.length) problems.push(`outputs: expected ${c.expect.outputs.length}, got ${got.length} (${got.map((o) => o.to).join(', ') || 'none'})`);
      c.expect.outputs.forEach((want, i) => {
        const have = got[i];
        if (!have) return;
        if (have.to !== want.to) problems.push(`outputs[${i}].to: expected ${want.to}, got ${have.to}`);
        if (want.value) problems.push(...subsetProblems(want.value, have.value, `outputs[${i}].value`));
      });
    }
    results.push({ file: path, name: c.name, passed: problems.length === 0, problems });
  }
  return results;
}
