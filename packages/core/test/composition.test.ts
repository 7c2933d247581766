import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORE_VERSION, createRouter, definePlugin, EvrouteError } from '@evroute/core';
import { MemoryConfigSource, MemorySink, MemorySource, silentLogger, waitFor } from '@evroute/testkit';
import { route } from './harness.js';

describe('composition root', () => {
  it('keeps CORE_VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(CORE_VERSION).toBe(pkg.version);
  });

  it('gives each plugin its own service scope: shared services plus its own, nothing of other plugins', async () => {
    const seen: Record<string, unknown> = {};
    const probe = (name: string) =>
      definePlugin({
        name,
        version: '1.0.0',
        core: '^0.1.0',
        outputs: { out: {} },
        create: (_config, ctx) => {
          seen[name] = { shared: ctx.services.get('dims'), own: ctx.services.get('secret'), has: ctx.services.has('secret') };
          return { process: () => [] };
        },
      });
    const router = createRouter({
      source: new MemorySource(),
      config: new MemoryConfigSource([route('1', 'a', { processor: 'p1' }), route('2', 'b', { processor: 'p2' })]),
      plugins: [probe('p1'), probe('p2')],
      sinks: { mem: new MemorySink() },
      services: { shared: { dims: 'lookup' }, perPlugin: { p1: { secret: 42 } } },
      logger: silentLogger(),
    });
    await router.start();
    await waitFor(() => Object.keys(seen).length === 2);
    expect(seen).toEqual({ p1: { shared: 'lookup', own: 42, has: true }, p2: { shared: 'lookup', own: undefined, has: false } });
    await router.stop();
  });

  it('refuses an output bound to a sink that does not exist, naming the sinks there are', () => {
    expect(() =>
      createRouter({ source: new MemorySource(), config: new MemoryConfigSource(), sinks: { db: new MemorySink() }, outputs: { out: { sink: 'kafka' } } }),
    ).toThrow(expect.objectContaining({ code: 'EVR_ERR_OPTIONS_INVALID', message: expect.stringContaining('db') }) as EvrouteError);
  });

  it.each([
    [{ name: 'x', version: 'one', core: '^0.1.0', create: () => ({ process: () => [] }) }, /not a semver version/],
    [{ name: 'x', version: '1.0.0', core: '^9.0.0', create: () => ({ process: () => [] }) }, /needs @evroute\/core \^9\.0\.0/],
    [{ name: 'x', version: '1.0.0', core: '^0.1.0' }, /create/],
    [{ name: 'Bad Name', version: '1.0.0', core: '^0.1.0', create: () => ({ process: () => [] }) }, /name/],
  ])('refuses an invalid plugin manifest with EVR_ERR_PLUGIN_INVALID_MANIFEST (%#)', (manifest, message) => {
    expect(() => createRouter({ source: new MemorySource(), config: new MemoryConfigSource(), plugins: [manifest] })).toThrow(message);
  });

  it('refuses a plugin whose create throws or hangs, with the route kept out of the table', async () => {
    const throws = definePlugin({ name: 'throws', version: '1.0.0', core: '^0.1.0', create: () => { throw new Error('boom'); } });
    const hangs = definePlugin({ name: 'hangs', version: '1.0.0', core: '^0.1.0', create: () => new Promise<never>(() => undefined) });
    const router = createRouter({
      source: new MemorySource(),
      config: new MemoryConfigSource([route('1', 'a', { processor: 'throws' }), route('2', 'b', { processor: 'hangs' })]),
      plugins: [throws, hangs],
      logger: silentLogger(),
      createTimeoutMs: 50,
    });
    await router.start();
    expect(router.table().refused.map((r) => [r.id, r.code])).toEqual([
      ['1', 'EVR_ERR_PLUGIN_CREATE_FAILED'],
      ['2', 'EVR_ERR_PLUGIN_CREATE_FAILED'],
    ]);
    expect(router.table().lookup('d', 'a')).toEqual([]);
    await router.stop();
  });
});
