/**
 * `evroute plugin keygen --out <prefix>`: makes an Ed25519 key pair for signing bundles:
 * `<prefix>.key` (private, PKCS#8 PEM, mode 0600) and `<prefix>.pub` (public, SPKI PEM). Existing
 * files are never overwritten.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { EvrouteError, generateSigningKeys } from '@evroute/core';

/** What {@link keygen} wrote. */
export interface KeygenResult {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  readonly keyId: string;
}

/** Writes a new key pair next to `prefix` (making its folder). Throws `EVR_ERR_CLI_USAGE` when either file exists. */
export async function keygen(prefix: string): Promise<KeygenResult> {
  const keys = generateSigningKeys();
  const privateKeyPath = resolve(`${prefix}.key`);
  const publicKeyPath = resolve(`${prefix}.pub`);
  const taken = [privateKeyPath, publicKeyPath].find((path) => existsSync(path));
  if (taken) throw new EvrouteError('EVR_ERR_CLI_USAGE', `${taken} exists; keygen never overwrites a key: choose another --out`);
  try {
    await mkdir(dirname(privateKeyPath), { recursive: true });
    await writeFile(privateKeyPath, keys.privateKey, { mode: 0o600, flag: 'wx' });
    await writeFile(publicKeyPath, keys.publicKey, { mode: 0o644, flag: 'wx' });
  } catch (cause) {
    throw new EvrouteError('EVR_ERR_CLI_USAGE', `cannot write the keys next to ${prefix}: ${(cause as Error).message}`, { cause });
  }
  return { privateKeyPath, publicKeyPath, keyId: keys.keyId };
}

/** `evroute plugin keygen`: prints where the keys went. Resolves with the exit code. */
export async function keygenCommand(opts: { readonly prefix: string; readonly json: boolean; readonly print: (text: string) => void }): Promise<number> {
  const keys = await keygen(opts.prefix);
  opts.print(opts.json ? `${JSON.stringify(keys)}\n` : `wrote ${keys.privateKeyPath} (keep it secret) and ${keys.publicKeyPath} (list it in plugins.trust.publicKeys); key id ${keys.keyId}\n`);
  return 0;
}
