import { describe, expect, it } from 'vitest';
import { envelope } from '@evroute/testkit';
import { harness, route } from './harness.js';

describe('explain', () => {
  it('names the route that runs, the ones that do not and why, and with a dry run the outputs', async () => {
    const h = await harness(
      [
        route('top', 'a', { priority: 9, config: { tag: 'T' } }),
        route('fan', 'a', { priority: 5, fanout: true, config: { tag: 'F' } }),
        route('low', 'a', { priority: 1 }),
        route('off', 'a', { priority: 20, enabled: false }),
        route('bad', 'a', { processor: 'missing' }),
      ],
      { outputs: { out: { sink: 'mem', target: 'tbl' } } },
    );
    const e = await h.router.explain(envelope('d', 'a', {}, { eventId: 'x1' }), { dryRun: true });
    expect(e.verdict).toBe('processed by 2 routes');
    expect(e.key).toBe('d:a');
    const byId = Object.fromEntries(e.routes.map((r) => [r.id, r]));
    expect(byId['top']).toMatchObject({ runs: true, why: 'highest-priority enabled route', plugin: 'echo@1.0.0' });
    expect(byId['top']?.outputs).toEqual([{ output: 'out', sink: 'mem', target: 'tbl', value: expect.objectContaining({ eventId: 'x1', tag: 'T' }) }]);
    expect(byId['fan']).toMatchObject({ runs: true, why: 'fan-out route' });
    expect(byId['low']).toMatchObject({ runs: false, why: 'lower priority than route top and not fan-out' });
    expect(byId['off']).toMatchObject({ runs: false, why: 'disabled' });
    expect(byId['bad']?.why).toMatch(/^row refused: EVR_ERR_CONFIG_UNKNOWN_PROCESSOR/);
    expect(h.sink.records).toHaveLength(0); // nothing written
    expect((await h.router.explain('{nope')).verdict).toBe('dead-lettered: EVR_ERR_DECODE_NOT_JSON');
    expect((await h.router.explain(envelope('d', 'zzz'))).verdict).toMatch(/EVR_ERR_ROUTE_UNMATCHED/);
    await h.router.stop();
  });
});
