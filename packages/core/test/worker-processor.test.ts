// Worker isolation: a bundle loaded with isolation 'worker' runs in a worker thread; a plugin stuck in an
// infinite loop is terminated at its batch deadline, its events follow the failure policy (dead letter),
// other routes keep flowing meanwhile, and the plugin serves again from a new worker.
import { mkdtempSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PluginLoader, writeBundle, type IsolationMode } from '@evroute/core';
import { envelope, silentLogger, waitFor } from '@evroute/testkit';
import { harness, route, type Harness } from './harness.js';

const DEADLINE_MS = 400;

/** A plugin `spin` that loops forever on `{ hang: true }` and otherwise stamps its version and thread. */
function spinSource(version: string, create = ''): string {
  return `import { definePlugin } from '@evroute/core';
import { threadId } from 'node:worker_threads';
export default definePlugin({
  name: 'spin', version: '${version}', core: '^0.1.0',
  outputs: { out: {} },
  create(config, ctx) {
    ${create}
    ctx.logger.info({ route: ctx.route.id }, 'spin created');
    return {
      process(event) {
        if (event.payload.hang) for (;;) {}
        return [{ to: 'out', value: { eventId: event.eventId, by: '${version}', thread: threadId } }];
      },
    };
  },
});
`;
}

async function dropSpin(dir: string, version: string, options: { isolation?: IsolationMode; create?: string } = {}): Promise<void> {
  const staging = join(dir, '.incoming', version);
  await writeBundle(staging, { name: 'spin', version, core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': spinSource(version, options.create) }, ...(options.isolation ? { isolation: options.isolation } : {}) });
  await rename(staging, join(dir, `spin@${version}`));
}

const open: { h: Harness; loader: PluginLoader }[] = [];
afterEach(async () => {
  for (const { h, loader } of open.splice(0)) {
    await h.router.stop();
    await loader.close();
  }
});

async function setup(isolation: IsolationMode | undefined, keepVersions = 2): Promise<{ h: Harness; loader: PluginLoader; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'evroute-worker-'));
  await dropSpin(dir, '1.0.0', isolation ? { isolation } : {});
  // Route 1 runs `spin`; route 2 runs the in-process `echo` of the harness.
  const h = await harness([route('1', 'spin', { processor: 'spin' }), route('2', 'ok')], { partitions: 2, faultIsolation: { retries: 0 } });
  // Tests run core from its sources; the worker runs plain Node, so it must not inherit vitest's conditions.
  const loader = new PluginLoader({ dir, registry: h.router.registry, trust: { policy: 'hash-only' }, logger: silentLogger(), debounceMs: 10, keepVersions, worker: { execArgv: [], batchTimeoutMs: DEADLINE_MS } });
  await loader.start();
  open.push({ h, loader });
  // The router recompiles its table after the registration; events sent before that are unmatched.
  await waitFor(() => h.router.table().routes.find((r) => r.id === '1')?.handle, { message: 'route 1 live' });
  return { h, loader, dir };
}

function sendOn(h: Harness, partition: number, type: string, payload: Record<string, unknown>, count = 1): string[] {
  const ids = Array.from({ length: count }, (_, i) => `${type}-${partition}-${i}-${Math.random().toString(36).slice(2)}`);
  h.log.append(ids.map((eventId) => ({ value: envelope('d', type, payload, { eventId }), key: eventId, partition })));
  return ids;
}

describe('worker isolation', () => {
  it('runs the plugin in a worker thread when its manifest asks for it', async () => {
    const { h, loader } = await setup('worker');
    expect(loader.list()).toEqual([expect.objectContaining({ name: 'spin', version: '1.0.0', state: 'loaded', isolation: 'worker' })]);
    const ids = [...sendOn(h, 0, 'spin', {}, 50), ...sendOn(h, 1, 'spin', {}, 50)];
    await waitFor(() => ids.every((id) => h.sink.records.some((r) => r.value['eventId'] === id)), { message: 'all processed' });
    const threads = new Set(h.sink.records.map((r) => r.value['thread']));
    expect(threads.size).toBe(1);
    expect([...threads][0]).not.toBe(0); // not the main thread
  });

  it('terminates a plugin stuck in an infinite loop at its deadline; its event is dead-lettered, other routes keep flowing, and it serves again', async () => {
    const { h } = await setup('worker');
    const started = Date.now();
    const [hung] = sendOn(h, 0, 'spin', { hang: true });
    // While the worker spins, events of the in-process route on the other partition are processed.
    const during = sendOn(h, 1, 'ok', {}, 20);
    await waitFor(() => during.every((id) => h.sink.records.some((r) => r.value['eventId'] === id)), { message: 'other route flows during the hang' });
    expect(h.dlq.records.find((r) => r.eventId === hung)).toBeUndefined();
    const dead = await waitFor(() => h.dlq.records.find((r) => r.eventId === hung), { message: 'hung event dead-lettered' });
    expect(dead).toMatchObject({ code: 'EVR_ERR_HOTDEPLOY_WORKER_TIMEOUT', route: '1', plugin: 'spin', pluginVersion: '1.0.0' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS);
    // A new worker takes over.
    const [after] = sendOn(h, 0, 'spin', {});
    const out = await waitFor(() => h.sink.records.find((r) => r.value['eventId'] === after), { message: 'served by a new worker' });
    expect(out.value['by']).toBe('1.0.0');
  });

  it('hot-swaps a worker plugin and terminates the old worker once its instances are closed', async () => {
    const { h, loader, dir } = await setup('worker', 1);
    const [first] = sendOn(h, 0, 'spin', {});
    const v1 = await waitFor(() => h.sink.records.find((r) => r.value['eventId'] === first));
    await dropSpin(dir, '2.0.0', { isolation: 'worker' });
    await waitFor(() => loader.list().some((s) => s.version === '2.0.0' && s.state === 'loaded'));
    // Registered is not yet routed: the router rebuilds its table (and creates the v2 worker) right after.
    await waitFor(() => h.router.table().routes.find((r) => r.id === '1')?.handle?.registered.plugin.version === '2.0.0', { message: 'route 1 on v2' });
    const [second] = sendOn(h, 0, 'spin', {});
    const v2 = await waitFor(() => h.sink.records.find((r) => r.value['eventId'] === second));
    expect(v2.value['by']).toBe('2.0.0');
    expect(v2.value['thread']).not.toBe(v1.value['thread']);
    expect(loader.list().find((s) => s.version === '2.0.0')?.threadId).toBe(v2.value['thread']);
    // keepVersions 1: v1 is unregistered, and its worker ends once its instance is closed.
    const old = await waitFor(() => loader.list().find((s) => s.version === '1.0.0' && s.state === 'superseded' && s.threadId === undefined), { message: 'v1 worker terminated' });
    expect(old.isolation).toBe('worker');
  });

  it('refuses a worker bundle whose create throws, with EVR_ERR_PLUGIN_CREATE_FAILED, and keeps v1', async () => {
    const { h, loader, dir } = await setup('worker');
    await dropSpin(dir, '2.0.0', { isolation: 'worker', create: "throw new Error('cannot connect');" });
    const row = await waitFor(() => loader.list().find((s) => s.version === '2.0.0' && s.state === 'refused'));
    expect(row.error).toMatchObject({ code: 'EVR_ERR_PLUGIN_CREATE_FAILED', message: expect.stringMatching(/cannot connect/) as unknown });
    const [id] = sendOn(h, 0, 'spin', {});
    expect((await waitFor(() => h.sink.records.find((r) => r.value['eventId'] === id))).value['by']).toBe('1.0.0');
  });
});
