// Bad input (catalogue F14–F16, F28, event times): messages that are not JSON, wrongly encoded, fail
// the envelope or the payload schema, name no route, are oversized or too big for their column, or
// carry event times far in the past or future, mixed into a generated stream. Each must be
// dead-lettered with the code named in bad-input.ts and its original bytes, the partition must keep
// flowing, and the valid ones must land in the wide table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftedMessages } from '../src/bad-input.js';
import { noFault } from '../src/crash-faults.js';
import { openLab, runFault, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/bad-input.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

const MAX_EVENT_BYTES = 256 * 1024;

describe('bad input: dead-lettered with the right code and the original bytes, never stalling a partition', () => {
  it('not JSON, wrong encoding, schema failures, oversized, far-off event times', async () => {
    const counters = await runFault(lab, { ...noFault('bad input'), router: { maxEventBytes: MAX_EVENT_BYTES }, extraMessages: (random) => craftedMessages(random, MAX_EVENT_BYTES) }, 0);
    // The generated stream has its own bad messages; the crafted ones come on top.
    expect(counters.expectedDeadLetters).toBeGreaterThanOrEqual(21);
    expect(counters.deadLetters).toBe(counters.expectedDeadLetters);
  }, 300_000);
});
