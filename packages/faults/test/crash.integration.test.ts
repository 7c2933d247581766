// Crash faults (catalogue F1–F3, F5): SIGKILL of the router process before and after the wide-table
// write, before and after the offset commit, at a random moment, and a router frozen past its session
// timeout while another takes over (a zombie); plus the no-fault control run. Each fault
// runs EVROUTE_FAULT_RUNS times (1 by default, 10 under `pnpm test:faults`) with seeds base + run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenPastSession, killAtGate, killAtRandomTime, noFault } from '../src/crash-faults.js';
import { openLab, runFaults, type FaultSpec, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/crash.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

const faults: FaultSpec[] = [
  noFault('no fault (control)'),
  killAtGate('SIGKILL before the DB write', 'before-write'),
  killAtGate('SIGKILL after the DB write', 'after-write'),
  killAtGate('SIGKILL before the offset commit', 'before-commit'),
  killAtGate('SIGKILL after the offset commit', 'after-commit'),
  killAtRandomTime('SIGKILL at a random moment'),
  frozenPastSession('router frozen past its session timeout (zombie)'),
];

describe('crash faults: nothing lost, no double effect, commits never ahead of the database', () => {
  it.each(faults.map((spec) => [spec.fault, spec] as const))('%s', async (_name, spec) => {
    expect(await runFaults(lab, spec)).toEqual([]);
  }, 900_000);
});
