/**
 * The `fault-probe` plugin and its bundles, for the plugin faults. The probe runs on a fan-out route of
 * `wrongbook_fix` and writes `{event_id, version}` to the `fault_probe` table, so the suite sees which
 * version processed which event. Its versions misbehave on purpose (throw, hang, spin, leak), and its
 * bundles are dropped into the router's watched folder complete and signed, or broken in the ways a
 * deployment goes wrong (syntax error, half-written, tampered after signing, unsigned).
 */
import { generateSigningKeys, signBundleManifest, writeBundle, writeManifest, type BundleManifest } from '@evroute/core';
import { writeFile, rename, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** How a probe version behaves in `process`. */
export type ProbeBehaviour = 'ok' | 'throws' | 'hangs' | 'spins' | 'leaks';

const BODY: Readonly<Record<ProbeBehaviour, string>> = {
  ok: '',
  throws: "throw new Error('fault-probe throws on purpose');",
  hangs: 'return new Promise(() => {});',
  spins: 'for (;;) {}',
  leaks: 'retained.push(new Array(262144).fill(event.eventId));',
};

/** The probe plugin's module source for `version` and `behaviour`. */
export function probeSource(version: string, behaviour: ProbeBehaviour): string {
  return `import { definePlugin } from '@evroute/core';
const retained = [];
export default definePlugin({
  name: 'fault-probe', version: '${version}', core: '^0.1.0',
  outputs: { probe: { key: ['event_id'], columns: { event_id: {}, version: {} } } },
  create() {
    return {
      process(event) {
        ${BODY[behaviour]}
        return [{ to: 'probe', value: { event_id: event.eventId, version: '${version}' } }];
      },
    };
  },
});
`;
}

/** How a dropped bundle is broken. */
export type BundleDefect = 'none' | 'syntax-error' | 'half-written' | 'tampered' | 'unsigned';

/** The code the loader must refuse each defect with. */
export const REFUSAL_CODES: Readonly<Record<Exclude<BundleDefect, 'none'>, string>> = {
  'syntax-error': 'EVR_ERR_HOTDEPLOY_IMPORT_FAILED',
  'half-written': 'EVR_ERR_HOTDEPLOY_INCOMPLETE',
  tampered: 'EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID',
  unsigned: 'EVR_ERR_HOTDEPLOY_SIGNATURE_MISSING',
};

/** A watched folder and the key its bundles are signed with. */
export class ProbeDrops {
  readonly dir: string;
  readonly #keys = generateSigningKeys();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The public key the router trusts. */
  get publicKey(): string {
    return this.#keys.publicKey;
  }

  /**
   * Drops `fault-probe@version` into the folder: written in `.incoming/`, then renamed in (one complete
   * drop), except a half-written bundle, whose file is only half there when the manifest appears.
   */
  async drop(version: string, behaviour: ProbeBehaviour, defect: BundleDefect = 'none', isolation?: 'worker'): Promise<void> {
    const folder = `fault-probe@${version}`;
    const staging = join(this.dir, '.incoming', folder);
    await mkdir(join(this.dir, '.incoming'), { recursive: true });
    const source = defect === 'syntax-error' ? probeSource(version, behaviour).replace('create() {', 'create( {') : probeSource(version, behaviour);
    const input = { name: 'fault-probe', version, core: '^0.1.0', entry: 'plugin.mjs', files: { 'plugin.mjs': source }, ...(isolation === undefined ? {} : { isolation }) };
    let manifest: BundleManifest = await writeBundle(staging, input);
    if (defect !== 'unsigned') manifest = signBundleManifest(manifest, this.#keys.privateKey);
    if (defect === 'tampered') {
      // Someone changes the code after signing and fixes up the hashes, but cannot sign again.
      const evil = source.replace("version: '" + version + "' }", "version: 'tampered' }");
      const rehashed = await writeBundle(join(this.dir, '.incoming', `${folder}.evil`), { ...input, files: { 'plugin.mjs': evil } });
      await writeFile(join(staging, 'plugin.mjs'), evil);
      manifest = { ...rehashed, ...(manifest.signature === undefined ? {} : { signature: manifest.signature }) };
    }
    await writeManifest(join(staging, 'plugin.json'), manifest);
    if (defect === 'half-written') await writeFile(join(staging, 'plugin.mjs'), source.slice(0, Math.floor(source.length / 2)));
    await rename(staging, join(this.dir, folder));
  }
}
