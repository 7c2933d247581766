// The plugin loader refuses every kind of bad drop with its own code, and the version that served before
// keeps serving: a half-written bundle, a wrong hash, a bad or missing signature, a syntax error, a create
// that throws, a wrong core range, no default export.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKeys, PluginLoader, signBundleManifest, writeBundle, writeManifest, type BundleManifest, type TrustOptions } from '@evroute/core';
import { silentLogger, waitFor } from '@evroute/testkit';
import { harness, route, type Harness } from './harness.js';

/** The source of a plugin `greet` that stamps its version on every output. */
function greetSource(version: string, { core = '^0.1.0', create = '' } = {}): string {
  return `import { definePlugin } from '@evroute/core';
export default definePlugin({
  name: 'greet', version: '${version}', core: '${core}',
  outputs: { out: {} },
  create() {
    ${create}
    return { process: (event) => [{ to: 'out', value: { eventId: event.eventId, by: '${version}' } }] };
  },
});
`;
}

interface Setup {
  h: Harness;
  loader: PluginLoader;
  dir: string;
  /** Sends one event `d:greet` and resolves with the version that processed it. */
  servedBy: () => Promise<unknown>;
}

const open: Setup[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.h.router.stop();
    await s.loader.close();
  }
});

async function setup(trust: TrustOptions = { policy: 'hash-only' }, sign?: string): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'evroute-loader-'));
  await drop(dir, 'greet@1.0.0', { version: '1.0.0', files: { 'plugin.mjs': greetSource('1.0.0') } }, sign);
  const h = await harness([route('1', 'greet', { processor: 'greet' })], { plugins: [] });
  const loader = new PluginLoader({ dir, registry: h.router.registry, trust, logger: silentLogger(), settleMs: 300, debounceMs: 10 });
  await loader.start();
  await waitFor(() => h.router.table().routes[0]?.handle, { message: 'route 1 live' });
  const servedBy = async (): Promise<unknown> => {
    const [id] = h.send('greet');
    const record = await waitFor(() => h.sink.records.find((r) => r.value['eventId'] === id) ?? h.dlq.records.find((r) => r.eventId === id), { message: `event ${id} processed` });
    return 'value' in record && typeof record.value === 'object' && record.value !== null && 'by' in record.value ? record.value.by : record;
  };
  const s = { h, loader, dir, servedBy };
  open.push(s);
  return s;
}

/** Writes a bundle in `.incoming/` and renames it into the watched folder: one complete drop. */
async function drop(dir: string, folder: string, bundle: { version: string; files: Record<string, string>; core?: string }, signWith?: string): Promise<BundleManifest> {
  const staging = join(dir, '.incoming', folder);
  let manifest = await writeBundle(staging, { name: 'greet', version: bundle.version, core: bundle.core ?? '^0.1.0', entry: 'plugin.mjs', files: bundle.files });
  if (signWith) {
    manifest = signBundleManifest(manifest, signWith);
    await writeManifest(join(staging, 'plugin.json'), manifest);
  }
  await rename(staging, join(dir, folder));
  return manifest;
}

async function refusedWith(loader: PluginLoader, version: string, code: string): Promise<void> {
  const row = await waitFor(() => loader.list().find((s) => s.version === version && s.state === 'refused'), { message: `greet@${version} refused` });
  expect(row.error?.code).toBe(code);
  expect(loader.list().find((s) => s.version === '1.0.0')?.state).toBe('loaded');
  expect(loader.stats().refusedByCode[code]).toBe(1);
}

describe('PluginLoader refuses a bad drop and keeps the previous version serving', () => {
  it('a half-written bundle: EVR_ERR_HOTDEPLOY_INCOMPLETE, ignored until complete, then served', async () => {
    const { loader, dir, servedBy } = await setup();
    expect(await servedBy()).toBe('1.0.0');
    const full = greetSource('2.0.0');
    // The manifest already describes the whole file, but only half of it has been copied.
    const staging = join(dir, '.incoming', 'v2');
    await writeBundle(staging, { name: 'greet', version: '2.0.0', core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': full } });
    writeFileSync(join(staging, 'plugin.mjs'), full.slice(0, full.length / 2));
    await rename(staging, join(dir, 'greet@2.0.0'));
    await waitFor(() => loader.list().some((s) => s.version === '2.0.0'), { message: 'v2 seen' });
    expect(await servedBy()).toBe('1.0.0');
    await refusedWith(loader, '2.0.0', 'EVR_ERR_HOTDEPLOY_INCOMPLETE');
    expect(await servedBy()).toBe('1.0.0');
    // The copy completes: the change is picked up and v2 serves.
    writeFileSync(join(dir, 'greet@2.0.0', 'plugin.mjs'), full);
    await waitFor(async () => (await servedBy()) === '2.0.0', { message: 'v2 serves once complete' });
  });

  it('a wrong hash: EVR_ERR_HOTDEPLOY_HASH_MISMATCH', async () => {
    const { loader, dir, servedBy } = await setup();
    const staging = join(dir, '.incoming', 'v2');
    const source = greetSource('2.0.0');
    await writeBundle(staging, { name: 'greet', version: '2.0.0', core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': source } });
    writeFileSync(join(staging, 'plugin.mjs'), source.replace("by: '2.0.0'", "by: '6.6.6'")); // same size, other bytes
    await rename(staging, join(dir, 'greet@2.0.0'));
    await refusedWith(loader, '2.0.0', 'EVR_ERR_HOTDEPLOY_HASH_MISMATCH');
    expect(await servedBy()).toBe('1.0.0');
  });

  it('a bad signature: EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID (content changed after signing)', async () => {
    const keys = generateSigningKeys();
    const { loader, dir, servedBy } = await setup({ policy: 'require-signature', publicKeys: [keys.publicKey] }, keys.privateKey);
    expect(await servedBy()).toBe('1.0.0');
    const staging = join(dir, '.incoming', 'v2');
    const signed = signBundleManifest(await writeBundle(staging, { name: 'greet', version: '2.0.0', core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': greetSource('2.0.0') } }), keys.privateKey);
    // Someone swaps the code and fixes up the hashes, but cannot sign again.
    const evil = greetSource('6.6.6').replace("version: '6.6.6'", "version: '2.0.0'");
    const rehashed = await writeBundle(join(dir, '.incoming', 'evil'), { name: 'greet', version: '2.0.0', core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': evil } });
    writeFileSync(join(staging, 'plugin.mjs'), evil);
    await writeManifest(join(staging, 'plugin.json'), { ...rehashed, signature: signed.signature! });
    await rename(staging, join(dir, 'greet@2.0.0'));
    await refusedWith(loader, '2.0.0', 'EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID');
    expect(await servedBy()).toBe('1.0.0');
    // Unsigned is refused too, with its own code; a bundle signed by an untrusted key as invalid.
    await drop(dir, 'greet@2.1.0', { version: '2.1.0', files: { 'plugin.mjs': greetSource('2.1.0') } });
    const missing = await waitFor(() => loader.list().find((s) => s.version === '2.1.0' && s.state === 'refused'));
    expect(missing.error?.code).toBe('EVR_ERR_HOTDEPLOY_SIGNATURE_MISSING');
    await drop(dir, 'greet@2.2.0', { version: '2.2.0', files: { 'plugin.mjs': greetSource('2.2.0') } }, generateSigningKeys().privateKey);
    const untrusted = await waitFor(() => loader.list().find((s) => s.version === '2.2.0' && s.state === 'refused'));
    expect(untrusted.error?.message).toMatch(/not trusted/);
    // A properly signed v3 is accepted.
    await drop(dir, 'greet@3.0.0', { version: '3.0.0', files: { 'plugin.mjs': greetSource('3.0.0') } }, keys.privateKey);
    await waitFor(async () => (await servedBy()) === '3.0.0', { message: 'signed v3 serves' });
  });

  it('a syntax error: EVR_ERR_HOTDEPLOY_IMPORT_FAILED', async () => {
    const { loader, dir, servedBy } = await setup();
    await drop(dir, 'greet@2.0.0', { version: '2.0.0', files: { 'plugin.mjs': greetSource('2.0.0').replace('create() {', 'create() {{') } });
    await refusedWith(loader, '2.0.0', 'EVR_ERR_HOTDEPLOY_IMPORT_FAILED');
    expect(await servedBy()).toBe('1.0.0');
  });

  it('a create that throws: EVR_ERR_PLUGIN_CREATE_FAILED (dry run before registering)', async () => {
    const { loader, dir, servedBy, h } = await setup();
    await drop(dir, 'greet@2.0.0', { version: '2.0.0', files: { 'plugin.mjs': greetSource('2.0.0', { create: "throw new Error('no database');" }) } });
    await refusedWith(loader, '2.0.0', 'EVR_ERR_PLUGIN_CREATE_FAILED');
    expect(loader.list().find((s) => s.version === '2.0.0')?.error?.message).toMatch(/no database/);
    expect(h.router.registry.list().map((p) => p.id)).toEqual(['greet@1.0.0']);
    expect(await servedBy()).toBe('1.0.0');
  });

  it('a wrong core range: EVR_ERR_PLUGIN_CORE_RANGE', async () => {
    const { loader, dir, servedBy } = await setup();
    await drop(dir, 'greet@2.0.0', { version: '2.0.0', core: '^9.0.0', files: { 'plugin.mjs': greetSource('2.0.0', { core: '^9.0.0' }) } });
    await refusedWith(loader, '2.0.0', 'EVR_ERR_PLUGIN_CORE_RANGE');
    expect(await servedBy()).toBe('1.0.0');
  });

  it('no default export: EVR_ERR_HOTDEPLOY_NO_DEFAULT_EXPORT', async () => {
    const { loader, dir, servedBy } = await setup();
    await drop(dir, 'greet@2.0.0', { version: '2.0.0', files: { 'plugin.mjs': greetSource('2.0.0').replace('export default', 'export const plugin =') } });
    await refusedWith(loader, '2.0.0', 'EVR_ERR_HOTDEPLOY_NO_DEFAULT_EXPORT');
    expect(await servedBy()).toBe('1.0.0');
  });
});

describe('PluginLoader without a dry run', () => {
  it('a v2 whose create throws is refused by the router at recompile, and v1 keeps serving because it stays registered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-loader-'));
    await drop(dir, 'greet@1.0.0', { version: '1.0.0', files: { 'plugin.mjs': greetSource('1.0.0') } });
    const h = await harness([route('1', 'greet', { processor: 'greet' })], { plugins: [] });
    const loader = new PluginLoader({ dir, registry: h.router.registry, trust: { policy: 'hash-only' }, logger: silentLogger(), dryRunCreate: false, debounceMs: 10 });
    await loader.start();
    open.push({ h, loader, dir, servedBy: () => Promise.resolve() });
    await waitFor(() => h.router.table().routes[0]?.handle?.registered.id === 'greet@1.0.0');
    await drop(dir, 'greet@2.0.0', { version: '2.0.0', files: { 'plugin.mjs': greetSource('2.0.0', { create: "throw new Error('boom');" }) } });
    // The loader registers it (no dry run); the router's recompile refuses the route and keeps v1.
    const table = await waitFor(() => h.router.table().refused.find((r) => r.code === 'EVR_ERR_PLUGIN_CREATE_FAILED') && h.router.table());
    expect(table.refused[0]).toMatchObject({ id: '1', keptPrevious: true });
    expect(table.routes[0]?.handle?.registered.id).toBe('greet@1.0.0');
    const [id] = h.send('greet');
    const out = await waitFor(() => h.sink.records.find((r) => r.value['eventId'] === id));
    expect(out.value['by']).toBe('1.0.0');
    expect(readFileSync(join(dir, 'greet@2.0.0', 'plugin.json'), 'utf8')).toContain('2.0.0');
  });
});
