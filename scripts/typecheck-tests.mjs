// Type-checks every test folder (packages/*/test, examples/*/test) against the built packages.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const projects = ['packages', 'examples']
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name, 'test', 'tsconfig.json')))
  .filter((file) => existsSync(file))
  .filter((file) => readdirSync(join(file, '..'), { recursive: true }).some((f) => String(f).endsWith('.ts')));
let failed = 0;
for (const project of projects) {
  try {
    execFileSync('tsc', ['-p', project], { stdio: 'inherit' });
  } catch {
    failed++;
  }
}
if (failed > 0) {
  console.error(`typecheck-tests: ${failed} of ${projects.length} test projects have type errors`);
  process.exit(1);
}
