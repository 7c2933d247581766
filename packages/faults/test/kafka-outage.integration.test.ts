// Kafka broker faults (catalogue F10, F11): a private broker (scripts/services.sh with its own state
// folder; the shared broker is never touched) restarted cleanly on the same log folder and ports,
// killed with SIGKILL and started again, and frozen with SIGSTOP, for EVROUTE_FAULT_OUTAGE_SECONDS while input is being produced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outage } from '../src/outage-faults.js';
import { openLab, runFaults, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/kafka-outage.integration.test.ts', privateKafka: true });
}, 240_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

describe('Kafka broker faults: the router reconnects, rejoins and catches up without loss or double effect', () => {
  it.each([
    ['Kafka broker restarted', 'kafka-restart'],
    ['Kafka broker killed (SIGKILL) and started', 'kafka-kill'],
    ['Kafka broker frozen (SIGSTOP)', 'kafka-freeze'],
  ] as const)('%s', async (name, kind) => {
    expect(await runFaults(lab, outage(name, kind, lab.settings.outageMs, lab.settings.graceMs))).toEqual([]);
  }, 1_800_000);
});
