// The demo (what ./scripts/demo.sh runs after the build), small and fast: it exits 0 and shows both live
// changes as they take effect, the wide table summary with subject names, the dead letters by code, and
// where to look next. Runs the built dist/demo.js, as the script does.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exampleFile } from '../src/index.js';

describe('demo', () => {
  it('runs the pipeline with a hot swap and a route flip and prints the summary', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'wrongbook-demo-')), 'demo');
    const { stdout } = await promisify(execFile)(process.execPath, [exampleFile('dist/demo.js'), '--dir', dir, '--count', '6000', '--rate', '1500'], { timeout: 60_000 });
    expect(stdout).toMatch(/live: plugin wrongbook-fix 1\.0\.1 now serving route 2 wrongbook_fix \(was wrongbook-fix@1\.0\.0; table v\d+, -?\d+ ms after the bundle landed\)/);
    expect(stdout).toMatch(/live: route 3 wrongbook_delete enabled at table v\d+ \(wrongbook-delete@1\.0\.0, \d+ ms after routing\.json was saved\)/);
    expect(stdout).toMatch(/fix_metrics records by wrongbook-fix version: 1\.0\.0 [\d,]+, 1\.0\.1 [\d,]+/);
    expect(stdout).toMatch(/MATH\s+数学\s+[\d,]+\s+[\d,]+\s+[\d.]+ %/);
    expect(stdout).toMatch(/EVR_ERR_ROUTE_UNMATCHED\s+[\d,]+\s+wrongbook_delete events that arrived before route 3 was enabled/);
    expect(stdout).toContain('Where to look next:');
  });
});
