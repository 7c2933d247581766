// MariaDB outages (catalogue F6–F8): the private server stopped, frozen with SIGSTOP, and every router
// connection killed again and again (ambiguous commits), for
// EVROUTE_FAULT_OUTAGE_SECONDS (5 s by default, 20 s under `pnpm test:faults`) while input keeps coming.
// The shared MariaDB is never touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outage, SINK_BACKOFF_CAP_MS } from '../src/outage-faults.js';
import { openLab, runFaults, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/mariadb-outage.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

describe('MariaDB outages: the router waits, nothing is committed ahead of the database, then it catches up', () => {
  it.each([
    ['MariaDB stopped', 'mariadb-stop'],
    ['MariaDB frozen (SIGSTOP)', 'mariadb-freeze'],
    ['router connections killed mid-statement (KILL CONNECTION)', 'mariadb-kill-connections'],
  ] as const)('%s', async (name, kind) => {
    // The grace adds the sink's longest retry delay: the first try after a long outage can be that far off.
    expect(await runFaults(lab, outage(name, kind, lab.settings.outageMs, lab.settings.graceMs + SINK_BACKOFF_CAP_MS))).toEqual([]);
  }, 1_800_000);
});
