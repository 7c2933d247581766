import { describe, expect, it } from 'vitest';
import { definePlugin, channel } from '@evroute/core';
import { waitFor } from '@evroute/testkit';
import { echo, harness, route } from './harness.js';

describe('config versioning', () => {
  it('refuses a row with an unknown processor, bad JSON or a config failing the schema; the old version keeps serving', async () => {
    const h = await harness([route('1', 'a', { config: { tag: 'good' } })]);
    const refusals: unknown[] = [];
    const onRefused = (m: unknown): void => void refusals.push(m);
    channel('config:refused').subscribe(onRefused);
    try {
      const v1 = h.router.table().version;
      for (const bad of [
        route('1', 'a', { processor: 'no-such-plugin' }),
        route('1', 'a', { config: '{"tag": ' }),
        route('1', 'a', { config: { tag: 42 } }),
        route('1', 'a', { config: { unknown: true } }),
      ]) {
        h.config.set([bad]);
        await waitFor(() => h.router.table().version > v1 + refusals.length - 1 && refusals.length > 0);
      }
      await waitFor(() => refusals.length === 4);
      const table = h.router.table();
      expect(table.refused).toEqual([expect.objectContaining({ id: '1', keptPrevious: true })]);
      expect(refusals.map((r) => (r as { code: string }).code)).toEqual([
        'EVR_ERR_CONFIG_UNKNOWN_PROCESSOR',
        'EVR_ERR_CONFIG_INVALID_ROW',
        'EVR_ERR_CONFIG_SCHEMA',
        'EVR_ERR_CONFIG_SCHEMA',
      ]);
      h.send('a', 3);
      await waitFor(() => h.sink.records.length === 3);
      expect(h.sink.records.every((r) => r.value['tag'] === 'good')).toBe(true);
      expect(h.router.stats().configRefused).toBeGreaterThanOrEqual(4);
    } finally {
      channel('config:refused').unsubscribe(onRefused);
      await h.router.stop();
    }
  });

  it('applies the good rows of a snapshot and refuses the bad one on its own', async () => {
    const h = await harness([route('1', 'a'), route('2', 'b')]);
    h.config.set([route('1', 'a', { config: { tag: 'new' } }), route('2', 'b', { processor: 'missing' }), route('3', 'c')]);
    await waitFor(() => h.router.table().routes.some((r) => r.id === '3'));
    const table = h.router.table();
    expect(table.routes.find((r) => r.id === '1')?.handle?.config).toEqual({ tag: 'new' });
    expect(table.routes.find((r) => r.id === '2')?.row.processor).toBe('echo'); // previous version kept
    await h.router.stop();
  });

  it('refuses a whole snapshot under the all-or-nothing policy', async () => {
    const h = await harness([route('1', 'a')], { configPolicy: 'all-or-nothing' });
    const before = h.router.table();
    h.config.set([route('1', 'a', { config: { tag: 'x' } }), route('2', 'b', { processor: 'missing' })]);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.router.table()).toBe(before);
    await h.router.stop();
  });

  it('swaps the instance when config_json changes and closes the old one only after its in-flight work', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const closed: string[] = [];
    const slow = definePlugin<{ tag: string }>({
      name: 'slow',
      version: '1.0.0',
      core: '^0.1.0',
      configSchema: { type: 'object', properties: { tag: { type: 'string' } } },
      outputs: { out: {} },
      create(config) {
        return {
          async process(event) {
            if (config.tag === 'old') await gate;
            return [{ to: 'out', value: { id: event.eventId, tag: config.tag } }];
          },
          close() {
            closed.push(config.tag);
          },
        };
      },
    });
    const h = await harness([route('1', 'a', { processor: 'slow', config: { tag: 'old' } })], { plugins: [echo, slow], partitions: 1 });
    h.send('a', 1);
    await waitFor(() => h.router.stats().inFlight === 1);
    h.config.set([route('1', 'a', { processor: 'slow', config: { tag: 'new' } })]);
    await waitFor(() => h.router.table().routes[0]?.handle?.config && (h.router.table().routes[0]!.handle!.config as { tag: string }).tag === 'new');
    expect(closed).toEqual([]); // old instance still has an event in flight
    release();
    await waitFor(() => closed.includes('old'));
    h.send('a', 1);
    await waitFor(() => h.sink.records.length === 2);
    expect(h.sink.records.map((r) => r.value['tag'])).toEqual(['old', 'new']);
    // An unchanged config reuses the instance: no new close, same handle.
    const handle = h.router.table().routes[0]?.handle;
    const version = h.router.table().version;
    h.config.set([route('1', 'a', { processor: 'slow', config: { tag: 'new' } })]);
    await waitFor(() => h.router.table().version > version);
    expect(h.router.table().routes[0]?.handle).toBe(handle);
    await h.router.stop();
    expect(closed).toEqual(['old', 'new']);
  });

  it('ignores stale snapshots: versions never go backwards', async () => {
    const h = await harness([route('1', 'a')]);
    const versions: number[] = [];
    const onApplied = (m: unknown): void => void versions.push((m as { version: number }).version);
    channel('config:applied').subscribe(onApplied);
    h.config.set([route('1', 'a', { config: { tag: 'b' } })]);
    h.config.set([route('1', 'a', { config: { tag: 'c' } })]);
    await waitFor(() => versions.length === 2);
    channel('config:applied').unsubscribe(onApplied);
    expect(versions[1]).toBeGreaterThan(versions[0]!);
    await h.router.stop();
  });

  it('keeps the last good table when the config source fails', async () => {
    const h = await harness([route('1', 'a')]);
    const table = h.router.table();
    h.config.fail(new Error('database unreachable'));
    expect(h.router.table()).toBe(table);
    expect(h.router.stats().configSourceErrors).toBe(1);
    h.send('a', 2);
    await waitFor(() => h.sink.records.length === 2);
    await h.router.stop();
  });
});
