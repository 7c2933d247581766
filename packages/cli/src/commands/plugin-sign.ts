/**
 * `evroute plugin sign --key <private key> <bundle>`: signs a bundle's manifest with an Ed25519 private
 * key (PEM). The bundle's files are verified against the manifest first, so a damaged bundle is never
 * signed; `plugin.json` is rewritten atomically with the signature added (the content address does not
 * change). A loader with trust policy `require-signature` loads it when it trusts the matching public key.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EvrouteError, readBundle, signBundleManifest, writeManifest, type BundleManifest } from '@evroute/core';

/** What {@link signPlugin} wrote. */
export interface SignResult {
  readonly manifestPath: string;
  readonly manifest: BundleManifest;
  /** The id of the signing key's public key (what loaders list as `signedBy`). */
  readonly keyId: string;
}

/** The manifest path of a bundle given as its folder or its manifest file. */
export function manifestPathOf(target: string): string {
  const path = resolve(target);
  try {
    return statSync(path).isDirectory() ? join(path, 'plugin.json') : path;
  } catch {
    return path;
  }
}

/**
 * Signs the bundle at `target` (folder or manifest). Throws `EVR_ERR_CLI_KEY_INVALID` for an unreadable
 * or non-Ed25519 key, and the bundle's own codes (`EVR_ERR_HOTDEPLOY_*`) when it does not verify.
 */
export async function signPlugin(target: string, keyPath: string): Promise<SignResult> {
  const manifestPath = manifestPathOf(target);
  const { manifest } = await readBundle(manifestPath);
  let key: string;
  try {
    key = await readFile(resolve(keyPath), 'utf8');
  } catch (cause) {
    throw new EvrouteError('EVR_ERR_CLI_KEY_INVALID', `cannot read the signing key ${keyPath}: ${(cause as Error).message}`, { cause });
  }
  let signed: BundleManifest;
  try {
    signed = signBundleManifest(manifest, key);
  } catch (cause) {
    throw new EvrouteError('EVR_ERR_CLI_KEY_INVALID', `${keyPath} is not an Ed25519 private key in PEM (make one with \`evroute plugin keygen --out <prefix>\`): ${(cause as Error).message}`, { cause });
  }
  await writeManifest(manifestPath, signed);
  return { manifestPath, manifest: signed, keyId: signed.signature!.keyId };
}

/** `evroute plugin sign`: prints the signing key's id. Resolves with the exit code. */
export async function signCommand(opts: { readonly target: string; readonly key: string; readonly json: boolean; readonly print: (text: string) => void }): Promise<number> {
  const signed = await signPlugin(opts.target, opts.key);
  opts.print(opts.json ? `${JSON.stringify({ manifest: signed.manifestPath, keyId: signed.keyId })}\n` : `signed ${signed.manifestPath} with key ${signed.keyId}\n`);
  return 0;
}
