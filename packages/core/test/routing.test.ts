import { describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import { harness, route } from './harness.js';

describe('routing by domain:type', () => {
  it('sends each event to the route of its domain:type only', async () => {
    const h = await harness([route('1', 'a', { config: { tag: 'A' } }), route('2', 'b', { config: { tag: 'B' } })]);
    const a = h.send('a', 5);
    const b = h.send('b', 3);
    await waitFor(() => h.log.uncommitted === 0);
    const tags = new Map(h.sink.records.map((r) => [r.value['eventId'], r.value['tag']]));
    for (const id of a) expect(tags.get(id)).toBe('A');
    for (const id of b) expect(tags.get(id)).toBe('B');
    expect(h.sink.records).toHaveLength(8);
    await h.router.stop();
  });

  it('runs only the highest-priority route unless others opt into fan-out', async () => {
    const h = await harness([
      route('low', 'a', { priority: 1, config: { tag: 'low' } }),
      route('high', 'a', { priority: 9, config: { tag: 'high' } }),
      route('mid', 'a', { priority: 5, config: { tag: 'mid' } }),
    ]);
    h.send('a', 4);
    await waitFor(() => h.log.uncommitted === 0);
    expect(new Set(h.sink.records.map((r) => r.value['tag']))).toEqual(new Set(['high']));

    h.config.upsert(route('mid', 'a', { priority: 5, config: { tag: 'mid' }, fanout: true }));
    await waitFor(() => h.router.table().routes.find((r) => r.id === 'mid')?.fanout);
    h.sink.records.length = 0;
    h.send('a', 4);
    await waitFor(() => h.log.uncommitted === 0);
    // high first (priority order), then the fan-out route; the plain low-priority route still does not run.
    expect(h.sink.records.map((r) => r.value['tag'])).toEqual(['high', 'mid', 'high', 'mid', 'high', 'mid', 'high', 'mid'].slice(0, 8));
    expect(h.sink.records.filter((r) => r.value['tag'] === 'low')).toHaveLength(0);
    await h.router.stop();
  });

  it('resolves processors by alias and name@range', async () => {
    const h = await harness([
      route('1', 'a', { processor: 'com.example.EchoProcessor' }),
      route('2', 'b', { processor: 'echo@^1.0.0' }),
      route('3', 'c', { processor: 'echo@^2.0.0' }),
    ]);
    expect(h.router.table().routes.map((r) => r.id).sort()).toEqual(['1', '2']);
    expect(h.router.table().refused).toEqual([expect.objectContaining({ id: '3', code: 'EVR_ERR_CONFIG_UNKNOWN_PROCESSOR' })]);
    await h.router.stop();
  });

  it('skips disabled routes and applies the unmatched policy: dead-letter by default', async () => {
    const h = await harness([route('1', 'a'), route('2', 'b', { enabled: false })]);
    h.send('b', 3);
    h.send('zzz', 2);
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.sink.records).toHaveLength(0);
    expect(h.dlq.withCode('EVR_ERR_ROUTE_UNMATCHED')).toHaveLength(5);
    expect(h.router.stats().unmatched).toBe(5);
    // Enabling the route makes the next events flow.
    h.config.upsert(route('2', 'b', { enabled: true }));
    await waitFor(() => h.router.table().lookup('d', 'b').length === 1);
    h.send('b', 2);
    await waitFor(() => h.sink.records.length === 2);
    await h.router.stop();
  });

  it('drops unmatched events under the drop policy, and counts them', async () => {
    const h = await harness([route('1', 'a')], { unmatched: 'drop' });
    h.send('nope', 4);
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.dlq.records).toHaveLength(0);
    expect(h.router.stats().dropped).toBe(4);
    expect(h.router.stats().acknowledged).toBe(4);
    await h.router.stop();
  });
});
