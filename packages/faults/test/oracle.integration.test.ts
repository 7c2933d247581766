// The checks themselves can fail: a router process broken on purpose (it reports records written that
// it never wrote, or corrupts a column) must be caught by the invariants, and the failure must print
// the counters and the seed that reproduces it. Without this, a suite that always passes proves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noFault } from '../src/crash-faults.js';
import { openLab, runFault, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/oracle.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

describe('the oracle catches a broken router', () => {
  it('a sink that drops records: lost events and commits ahead of the database, with counters and seed', async () => {
    const run = runFault(lab, { ...noFault('oracle self-check: dropped writes'), router: { sabotage: 'drop' }, record: false }, 0);
    const error = await run.then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/nothing lost \(lost = [1-9]/);
    expect(error?.message).toMatch(/committed offsets never ahead of the database \([1-9]\d* of \d+ commits ahead\)/);
    expect(error?.message).toMatch(/counters: \{"fault":"oracle self-check: dropped writes"/);
    expect(error?.message).toContain(`EVROUTE_FAULT_SEED=${lab.settings.baseSeed}`);
  }, 300_000);

  it('a sink that corrupts a column: double effects (rows that differ from the oracle)', async () => {
    const run = runFault(lab, { ...noFault('oracle self-check: corrupted rows'), router: { sabotage: 'corrupt' }, record: false }, 0);
    const error = await run.then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/no double effect \(double effects = [1-9]/);
    expect(error?.message).toMatch(/fix_result_desc: "sabotaged"/);
  }, 300_000);
});
