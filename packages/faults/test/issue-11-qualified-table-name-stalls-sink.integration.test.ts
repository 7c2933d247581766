// Known bug found by the config faults, pinned until it is fixed (docs/reliability.md, "Findings"): a
// routing row that binds an output to `mysql.user` passes the identifier allowlist (qualified names are
// allowed), reaches SQL, and MariaDB's errno 1356 is classified as retriable (EVR_ERR_MYSQL_UNKNOWN), so
// the sink retries that batch for ever and every partition stalls. Fix in @evroute/mysql (classify 1356
// as a statement-scope, non-retriable error, and refuse names outside the connection's database), then
// turn this into a passing fault run: the expectation below will start failing.
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

describe('issue 11: a qualified table name in a route binding stalls the MySQL sink', () => {
  it('still stalls (recovery never comes); when this fails, the bug is fixed', async () => {
    await expect(runFault(lab, qualifiedTargetStall('qualified table name in a binding'), 0)).rejects.toThrow(/recovery within 5000 ms of the fault's end \(took forever\)/);
  }, 300_000);
});
