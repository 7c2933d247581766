// evroute plugin keygen | pack | sign, and `evroute run` loading a signed bundle from plugins.dir.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '@evroute/cli';
import { PluginRegistry, PluginLoader, readBundle, type BundleManifest } from '@evroute/core';
import { silentLogger, waitFor } from '@evroute/testkit';

function capture(): { out: string[]; err: string[]; io: { out: (t: string) => void; err: (t: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => void out.push(t), err: (t) => void err.push(t) } };
}

/** A plugin package in TypeScript with a relative import and a CommonJS dependency that requires a built-in. */
function pluginPackage(root: string, version: string, body = ''): string {
  const dir = join(root, `shout-${version}`);
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', 'tiny-digest'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shout', version, type: 'module', exports: './src/index.ts', peerDependencies: { '@evroute/core': '^0.1.0' } }));
  writeFileSync(join(dir, 'node_modules', 'tiny-digest', 'package.json'), JSON.stringify({ name: 'tiny-digest', main: 'index.js' }));
  writeFileSync(join(dir, 'node_modules', 'tiny-digest', 'index.js'), "const { createHash } = require('node:crypto');\nmodule.exports = (s) => createHash('sha1').update(s).digest('hex').slice(0, 8);\n");
  writeFileSync(join(dir, 'src', 'shout.ts'), 'export const shout = (text: string): string => text.toUpperCase();\n');
  writeFileSync(
    join(dir, 'src', 'index.ts'),
    `import { definePlugin } from '@evroute/core';
import digest from 'tiny-digest';
import { shout } from './shout.ts';
${body}
export default definePlugin<{ suffix: string }>({
  name: 'shout', version: '${version}', core: '^0.1.0',
  aliases: ['com.example.ShoutProcessor'],
  configSchema: { type: 'object', properties: { suffix: { type: 'string', default: '!' } }, additionalProperties: false },
  outputs: { shouted: {} },
  create: (config) => ({
    process: (event) => [{ to: 'shouted', value: { id: event.eventId, text: shout(String(event.payload['text'])) + config.suffix, digest: digest(event.eventId), by: '${version}' } }],
  }),
});
`,
  );
  return dir;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out.join(''), err: c.err.join('') };
}

describe('evroute plugin', () => {
  it('keygen writes a private key only its owner can read, and never overwrites one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evroute-keys-'));
    const made = await run(['plugin', 'keygen', '--out', join(dir, 'deploy'), '--json']);
    expect(made.code).toBe(0);
    const keys = JSON.parse(made.out) as { privateKeyPath: string; publicKeyPath: string; keyId: string };
    expect(statSync(keys.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(keys.publicKeyPath, 'utf8')).toMatch(/BEGIN PUBLIC KEY/);
    expect(keys.keyId).toMatch(/^[0-9a-f]{16}$/);
    const again = await run(['plugin', 'keygen', '--out', join(dir, 'deploy')]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/EVR_ERR_CLI_USAGE: .*deploy\.key exists/);
  });

  it('pack bundles a TypeScript package into one ESM file with @evroute/core external; sign makes it loadable under require-signature', async () => {
    const root = mkdtempSync(join(tmpdir(), 'evroute-pack-'));
    const pkg = pluginPackage(root, '1.2.0');
    const packed = await run(['plugin', 'pack', pkg, '--out', join(root, 'out'), '--json']);
    expect(packed.err).toBe('');
    expect(packed.code).toBe(0);
    const result = JSON.parse(packed.out) as { dir: string; name: string; version: string; sha256: string };
    expect(result).toMatchObject({ dir: join(root, 'out', 'shout@1.2.0'), name: 'shout', version: '1.2.0' });
    const manifest = JSON.parse(readFileSync(join(result.dir, 'plugin.json'), 'utf8')) as BundleManifest;
    expect(manifest).toMatchObject({ format: 1, name: 'shout', version: '1.2.0', core: '^0.1.0', entry: 'plugin.mjs' });
    expect(Object.keys(manifest.files)).toEqual(['plugin.mjs']);
    const code = readFileSync(join(result.dir, 'plugin.mjs'), 'utf8');
    expect(code).toMatch(/from ["']@evroute\/core["']/); // external, not inlined
    expect(code).not.toMatch(/from ["']\.\/shout/); // the relative import is inlined
    expect((await readBundle(join(result.dir, 'plugin.json'))).digest).toBe(result.sha256);

    await run(['plugin', 'keygen', '--out', join(root, 'k')]);
    const signed = await run(['plugin', 'sign', '--key', join(root, 'k.key'), result.dir]);
    expect(signed.code).toBe(0);
    expect(signed.out).toMatch(/signed .*plugin\.json with key [0-9a-f]{16}/);
    const registry = new PluginRegistry();
    const loader = new PluginLoader({ dir: join(root, 'out'), registry, trust: { policy: 'require-signature', publicKeys: [readFileSync(join(root, 'k.pub'), 'utf8')] }, logger: silentLogger(), watch: false });
    await loader.start();
    await loader.close();
    expect(loader.list()).toEqual([expect.objectContaining({ name: 'shout', version: '1.2.0', state: 'loaded', sha256: result.sha256, signedBy: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown })]);
    expect(registry.resolve('com.example.ShoutProcessor')?.id).toBe('shout@1.2.0');
  });

  it('pack reports a compile error with EVR_ERR_CLI_PACK_FAILED and the file and line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'evroute-pack-'));
    const pkg = pluginPackage(root, '1.0.0', 'const broken = ;');
    const packed = await run(['plugin', 'pack', pkg]);
    expect(packed.code).toBe(1);
    expect(packed.err).toMatch(/EVR_ERR_CLI_PACK_FAILED: bundling .*index\.ts failed:\n {2}src\/index\.ts:4:/);
  });

  it('sign refuses a bundle whose files do not match its manifest', async () => {
    const root = mkdtempSync(join(tmpdir(), 'evroute-pack-'));
    const packed = JSON.parse((await run(['plugin', 'pack', pluginPackage(root, '1.0.0'), '--out', root, '--json'])).out) as { dir: string };
    writeFileSync(join(packed.dir, 'plugin.mjs'), '// replaced after packing, padded to keep the size?\n');
    await run(['plugin', 'keygen', '--out', join(root, 'k')]);
    const signed = await run(['plugin', 'sign', '--key', join(root, 'k.key'), packed.dir]);
    expect(signed.code).toBe(1);
    expect(signed.err).toMatch(/EVR_ERR_HOTDEPLOY_(INCOMPLETE|HASH_MISMATCH)/);
  });

  it('run loads signed bundles from plugins.dir before the first routing table', async () => {
    const root = mkdtempSync(join(tmpdir(), 'evroute-run-'));
    const plugins = join(root, 'plugins');
    const packed = JSON.parse((await run(['plugin', 'pack', pluginPackage(root, '2.0.0'), '--out', plugins, '--json'])).out) as { dir: string };
    await run(['plugin', 'keygen', '--out', join(root, 'deploy')]);
    await run(['plugin', 'sign', '--key', join(root, 'deploy.key'), packed.dir]);
    writeFileSync(join(root, 'in.jsonl'), `${JSON.stringify({ domain: 'demo', type: 'say', eventId: 'a', timestamp: 1, payload: { text: 'hi' } })}\n`);
    writeFileSync(join(root, 'routes.json'), JSON.stringify([{ id: 1, domain: 'demo', event_type: 'say', processor_class: 'com.example.ShoutProcessor', enabled: 1, priority: 0, config_json: '{"suffix":"?"}' }]));
    const config = {
      source: { type: 'jsonl', options: { path: 'in.jsonl' } },
      config: { type: 'json-file', options: { path: 'routes.json', watch: false } },
      sinks: { out: { type: 'jsonl', options: { path: 'out.jsonl' } } },
      outputs: { shouted: { sink: 'out', target: 'shouts' } },
      deadLetter: { type: 'jsonl', options: { path: 'dead.jsonl' } },
      plugins: { dir: 'plugins', trust: { policy: 'require-signature', publicKeys: ['deploy.pub'] } },
      logLevel: 'silent',
    };
    writeFileSync(join(root, 'run.json'), JSON.stringify(config));
    expect((await run(['validate', '--config', join(root, 'run.json')])).code).toBe(0);
    const ran = await run(['run', '--config', join(root, 'run.json')]);
    expect(ran.err).toBe('');
    expect(ran.code).toBe(0);
    const out = await waitFor(() => readFileSync(join(root, 'out.jsonl'), 'utf8').trim());
    expect(JSON.parse(out)).toMatchObject({ target: 'shouts', value: { id: 'a', text: 'HI?', by: '2.0.0', digest: expect.stringMatching(/^[0-9a-f]{8}$/) as unknown } });
  });

  it('validate requires plugins.trust with plugins.dir', async () => {
    const root = mkdtempSync(join(tmpdir(), 'evroute-run-'));
    writeFileSync(join(root, 'run.json'), JSON.stringify({ source: { type: 'jsonl' }, config: { type: 'memory' }, plugins: { dir: 'plugins' } }));
    const checked = await run(['validate', '--config', join(root, 'run.json'), '--json']);
    expect(checked.code).toBe(2);
    expect(checked.out).toMatch(/plugins.*trust/);
  });
});
