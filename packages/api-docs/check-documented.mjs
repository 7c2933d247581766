// Fails when a public export has no TSDoc. TypeDoc's own notDocumented validation did not report an
// undocumented export in our setup (checked by adding one), so this walks TypeDoc's JSON model instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(mkdtempSync(join(tmpdir(), 'evroute-api-')), 'api.json');
execFileSync('typedoc', ['--json', out, '--out', join(out, '..', 'html')], { stdio: ['ignore', 'inherit', 'inherit'] });
const model = JSON.parse(readFileSync(out, 'utf8'));
// Kinds (TypeDoc ReflectionKind): Function 64, Class 128, Interface 256, TypeAlias 2097152, Variable 32, Enum 8.
const CHECKED = new Set([64, 128, 256, 2097152, 32, 8]);
const documented = (r) => Boolean(r.comment?.summary?.length) || (r.signatures ?? []).some((s) => s.comment?.summary?.length) || Boolean(r.type?.declaration?.signatures?.some((s) => s.comment?.summary?.length));
const missing = [];
for (const mod of model.children ?? []) {
  for (const r of mod.children ?? []) if (CHECKED.has(r.kind) && !documented(r)) missing.push(`${mod.name}: ${r.name}`);
}
if (missing.length > 0) {
  console.error(`check-documented: ${missing.length} public exports have no TSDoc:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.error(`check-documented: every public export of ${(model.children ?? []).length} entry points has TSDoc`);
