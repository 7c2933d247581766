// Config faults (catalogue F23, F24, F31): bad routing_configs rows arrive live (not JSON, unknown
// processor, duplicated key, SQL injection in output table names) while events flow; they are refused
// with coded errors, the previous routes keep serving, injected names never reach SQL. A duplicated
// route id (possible in a routing file or topic, not in the MySQL table, whose id is the primary key)
// is refused too and the first row serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, definePlugin, InMemoryConfigSource } from '@evroute/core';
import { MemorySink, MemorySource, silentLogger } from '@evroute/testkit';
import { badConfigRows } from '../src/config-faults.js';
import { brokenInvariants, openLab, runFault, type Lab } from '../src/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await openLab({ testFile: 'packages/faults/test/config-faults.integration.test.ts', privateKafka: false });
}, 180_000);
afterAll(async () => {
  await lab?.close();
}, 120_000);

describe('config faults: refused with coded errors while the previous table serves', () => {
  it('bad JSON, unknown processor, duplicated key, injection in table names', async () => {
    expect(brokenInvariants(await runFault(lab, badConfigRows('bad routing_configs rows'), 0))).toEqual([]);
  }, 300_000);

  it('a duplicated route id: the first row serves, the second is refused with EVR_ERR_CONFIG_DUPLICATE_ROUTE', async () => {
    const echo = definePlugin({ name: 'echo', version: '1.0.0', core: '^0.1.0', outputs: { out: {} }, create: () => ({ process: (e) => [{ to: 'out', value: { id: e.eventId } }] }) });
    const row = { id: '7', domain: 'd', eventType: 't', processor: 'echo', enabled: true, priority: 0 };
    const router = createRouter({
      source: new MemorySource(),
      config: new InMemoryConfigSource([row, { ...row, processor: 'no-such-plugin', priority: 9 }]),
      plugins: [echo],
      sinks: { mem: new MemorySink('mem') },
      outputs: { out: { sink: 'mem' } },
      logger: silentLogger(),
    });
    await router.start();
    try {
      expect(router.table().refused.map((r) => [r.id, r.code])).toEqual([['7', 'EVR_ERR_CONFIG_DUPLICATE_ROUTE']]);
      expect(router.table().lookup('d', 't').map((r) => r.row.processor)).toEqual(['echo']);
    } finally {
      await router.stop();
    }
  });
});
