/**
 * `evroute test <file|dir>...`: runs declarative plugin tests (`*.evtest.json`, format in
 * @evroute/testkit's test-file.ts) against the real plugins and prints each case; exit 1 when any fails.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runTestFile, type TestCaseResult } from '@evroute/testkit';

async function collect(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true });
  return entries.filter((e) => e.endsWith('.evtest.json')).map((e) => join(path, e)).sort();
}

/** Runs the tests; resolves with the exit code. */
export async function testCommand(paths: readonly string[], io: { out: (t: string) => void; json: boolean }): Promise<number> {
  const files = (await Promise.all(paths.map(collect))).flat();
  const results: TestCaseResult[] = [];
  for (const file of files) results.push(...(await runTestFile(file)));
  const failed = results.filter((r) => !r.passed);
  if (io.json) io.out(`${JSON.stringify({ passed: results.length - failed.length, failed: failed.length, results }, null, 2)}\n`);
  else {
    for (const r of results) {
      io.out(`${r.passed ? 'PASS' : 'FAIL'} ${r.file} › ${r.name}\n`);
      for (const p of r.problems) io.out(`     ${p}\n`);
    }
    io.out(`${results.length - failed.length} passed, ${failed.length} failed\n`);
  }
  return files.length === 0 ? 2 : failed.length === 0 ? 0 : 1;
}
