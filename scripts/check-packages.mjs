// The packed-output check: packs every publishable workspace package as `pnpm publish` would, and
// checks what a user would install: README, package.json without workspace: specifiers, every file the
// exports map points at, no build or test leftovers, and type resolution under node16 and bundler
// (arethetypeswrong, esm-only profile: the packages are ESM-only on purpose).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'evroute-packs-'));
const problems = [];
let checked = 0;

function targets(exportsMap) {
  const found = [];
  const walk = (v) => {
    if (typeof v === 'string') found.push(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'evroute-source') walk(x);
  };
  walk(exportsMap);
  return found.filter((t) => !t.includes('*'));
}

for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name);
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  if (pkg.private) continue;
  checked++;
  const tgz = execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
  const files = new Set(execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
  const packed = JSON.parse(execFileSync('tar', ['xzf', tgz, '-O', 'package/package.json'], { encoding: 'utf8' }));
  const say = (what) => problems.push(`${pkg.name}: ${what}`);
  if (!files.has('README.md')) say('no README.md');
  if (JSON.stringify(packed).includes('workspace:')) say('package.json still has workspace: specifiers');
  for (const t of targets(packed.exports ?? {})) if (!files.has(t.replace(/^\.\//, ''))) say(`exports points at ${t}, which is not in the tarball`);
  for (const f of files) if (/\.tsbuildinfo$|(^|\/)test\/|\.test\.[cm]?[jt]s$/.test(f)) say(`ships ${f}`);
  try {
    execFileSync('pnpm', ['exec', 'attw', tgz, '--profile', 'esm-only', '--format', 'ascii', '--quiet'], { cwd: join(root, 'packages', 'api-docs'), encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    say(`arethetypeswrong:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

if (problems.length > 0) {
  console.error(`check-packages: ${problems.length} problems in ${checked} packages:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.error(`check-packages: ${checked} packages pack cleanly (README, exports targets, no workspace: specifiers, types resolve)`);
