// Rebalance (catalogue F12): an instance added to the group while a write is in flight, then removed
// (SIGTERM or SIGKILL, from the seed) while one of its own writes is in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAndRemoveInstance } from '../src/rebalance-faults.js';
import { openLab, runFaults, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/rebalance.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

describe('rebalance mid-batch: partitions move twice with writes in flight', () => {
  it('instance added and removed mid-batch', async () => {
    expect(await runFaults(lab, addAndRemoveInstance('instance added and removed mid-batch'))).toEqual([]);
  }, 1_800_000);
});
