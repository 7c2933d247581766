// Regression test for a bug the config faults found (docs/reliability.md, "Findings"): a routing row that
// bound an output to `mysql.user` passed the identifier allowlist (qualified names are allowed), reached
// SQL, and MariaDB's errno 1356 was classified as retriable, so the sink retried that batch for ever and
// every partition stalled. 1356 (and the other "this target can never take the upsert" errnos) are now
// statement-scope and non-retriable: the route's rows are dead-lettered and the pipeline keeps flowing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualifiedTargetStall } from '../src/config-faults.js';
import { openLab, runFault, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/issue-11-qualified-table-name-stalls-sink.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

describe('issue 11: a qualified table name in a route binding stalled the MySQL sink', () => {
  it('no longer stalls: the bad target is dead-lettered, every invariant holds', async () => {
    const counters = await runFault(lab, qualifiedTargetStall('qualified table name in a binding'), 0);
    expect(counters.lost).toBe(0);
    expect(counters.recoveryMs).not.toBeNull();
  }, 300_000);
});
