// Plugin faults (catalogue F17–F22), through hot deployment into a running router process: a plugin
// that throws, hangs, spins the CPU or leaks memory is contained to its own route and replaced by a
// healthy version; bundles with a syntax error, half-written, tampered after signing or unsigned are
// refused with their codes while the serving version keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentFaults, runtimeFault } from '../src/plugin-faults.js';
import { brokenInvariants, openLab, runFault, type Counters, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/plugin-faults.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

describe('plugin faults: contained to the plugin\'s route, the rest of the pipeline unharmed', () => {
  it.each([
    ['plugin throws on every event', 'throws'],
    ['plugin hangs (a promise that never settles)', 'hangs'],
    ['plugin spins the CPU (worker isolation)', 'spins'],
    ['plugin leaks memory (worker isolation)', 'leaks'],
  ] as const)('%s', async (name, behaviour) => {
    let counters: Counters | undefined;
    await runtimeFault(name, behaviour, async (spec) => {
      counters = await runFault(lab, spec, 0);
    });
    expect(counters && brokenInvariants(counters)).toEqual([]);
  }, 300_000);

  it('plugin bundles with a syntax error, half-written, tampered, unsigned', async () => {
    let counters: Counters | undefined;
    await deploymentFaults('broken plugin bundles', async (spec) => {
      counters = await runFault(lab, spec, 0);
    });
    expect(counters && brokenInvariants(counters)).toEqual([]);
  }, 300_000);
});
