/**
 * Who may deploy a plugin: the trust policy of a plugin loader and Ed25519 bundle signatures.
 * - `require-signature`: a bundle loads only when signed by one of the configured public keys.
 * - `hash-only`: hashes are checked (no half-copied or altered file runs) but signatures are not; for
 *   folders only trusted people can write to.
 * - `dev`: like `hash-only`, and a missing, unknown or bad signature is logged at warn on every load.
 * Signatures cover {@link canonicalManifestBytes}, which include every file's sha256.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { EvrouteError } from '../errors.js';
import { canonicalManifestBytes, sha256, type BundleManifest } from '../plugin-bundle.js';

/** See the module comment. */
export type TrustPolicy = 'require-signature' | 'hash-only' | 'dev';

/** The trust settings of a loader. */
export interface TrustOptions {
  readonly policy: TrustPolicy;
  /** Trusted Ed25519 public keys (PEM text or key objects). Required for `require-signature`. */
  readonly publicKeys?: readonly (string | KeyObject)[];
}

/** What a trust check concluded about a bundle it accepted. */
export interface TrustVerdict {
  /** The key id that signed the bundle, when the signature was verified. */
  readonly signedBy: string | undefined;
  /** Set when the bundle was accepted without a verified signature (policy `dev`). */
  readonly warning: string | undefined;
}

/** A short id of a public key: the first 16 hex digits of the sha256 of its SPKI DER encoding. */
export function keyIdOf(key: string | KeyObject): string {
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  return sha256(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);
}

/**
 * Returns the manifest with an Ed25519 `signature` made with `privateKey` (PEM or key object). Throws
 * `EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID` when the key is not an Ed25519 private key.
 */
export function signBundleManifest(manifest: BundleManifest, privateKey: string | KeyObject): BundleManifest {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new EvrouteError('EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID', `signing needs an Ed25519 private key, got a ${key.asymmetricKeyType ?? key.type} ${key.type} key`);
  }
  const value = sign(null, canonicalManifestBytes(manifest), key).toString('base64');
  return { ...manifest, signature: { alg: 'ed25519', keyId: keyIdOf(key), value } };
}

/** A new Ed25519 key pair as PEM text (private: PKCS#8, public: SPKI) and the public key's id. */
export function generateSigningKeys(): { privateKey: string; publicKey: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Applies a trust policy to bundle manifests. Keys are parsed once, when it is made. */
export class TrustChecker {
  readonly policy: TrustPolicy;
  readonly #keys = new Map<string, KeyObject>();

  /** Throws `EVR_ERR_OPTIONS_INVALID` for an unknown policy, a bad key, or `require-signature` without keys. */
  constructor(options: TrustOptions) {
    if (!['require-signature', 'hash-only', 'dev'].includes(options.policy)) {
      throw new EvrouteError('EVR_ERR_OPTIONS_INVALID', `trust policy '${options.policy}' is not one of require-signature, hash-only, dev`);
    }
    this.policy = options.policy;
    for (const [i, key] of (options.publicKeys ?? []).entries()) {
      let publicKey: KeyObject;
      try {
        publicKey = typeof key === 'string' ? createPublicKey(key) : key;
      } catch (error) {
        throw new EvrouteError('EVR_ERR_OPTIONS_INVALID', `trust.publicKeys[${i}] is not a public key in PEM: ${(error as Error).message}`, { cause: error });
      }
      if (publicKey.asymmetricKeyType !== 'ed25519') throw new EvrouteError('EVR_ERR_OPTIONS_INVALID', `trust.publicKeys[${i}] is a ${publicKey.asymmetricKeyType ?? '?'} key; bundle signatures are Ed25519`);
      this.#keys.set(keyIdOf(publicKey), publicKey);
    }
    if (this.policy === 'require-signature' && this.#keys.size === 0) {
      throw new EvrouteError('EVR_ERR_OPTIONS_INVALID', 'trust policy require-signature needs at least one public key in trust.publicKeys');
    }
  }

  /** The ids of the trusted keys. */
  keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /**
   * Checks a manifest's signature against the policy. Throws `EVR_ERR_HOTDEPLOY_SIGNATURE_MISSING` or
   * `EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID` when the policy refuses the bundle.
   */
  check(manifest: BundleManifest): TrustVerdict {
    if (this.policy === 'hash-only') return { signedBy: undefined, warning: undefined };
    const id = `${manifest.name}@${manifest.version}`;
    const context = { plugin: manifest.name, pluginVersion: manifest.version };
    let problem: EvrouteError | undefined;
    const signature = manifest.signature;
    if (!signature) {
      problem = new EvrouteError('EVR_ERR_HOTDEPLOY_SIGNATURE_MISSING', `${id} is not signed; sign it with \`evroute plugin sign --key <private key> <bundle>\``, { context });
    } else {
      const key = this.#keys.get(signature.keyId);
      if (!key) {
        const trusted = this.keyIds().join(', ') || 'none';
        problem = new EvrouteError('EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID', `${id} is signed by key ${signature.keyId}, which is not trusted (trusted: ${trusted})`, { context });
      } else if (!verify(null, canonicalManifestBytes(manifest), key, Buffer.from(signature.value, 'base64'))) {
        problem = new EvrouteError('EVR_ERR_HOTDEPLOY_SIGNATURE_INVALID', `${id}: the signature does not match the manifest (altered after signing, or signed with another key than ${signature.keyId})`, { context });
      } else return { signedBy: signature.keyId, warning: undefined };
    }
    if (this.policy === 'require-signature') throw problem;
    return { signedBy: undefined, warning: `${problem.message} (loaded anyway: trust policy dev)` };
  }
}
