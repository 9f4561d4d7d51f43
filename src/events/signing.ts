/** Ed25519 signing of JSON (appendices §"Signing Details", §"Checking for a Signature") on node:crypto. */
import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, KeyObject } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64.js';
import { canonicalJson, type CanonicalJsonOptions } from './canonical-json.js';
import type { Signatures } from './types.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** `signatures` and `unsigned` are never covered by a signature (§"Signing Details"). */
const UNSIGNED_KEYS: ReadonlySet<string> = new Set(['signatures', 'unsigned']);

/** An ed25519 signing key held as a node:crypto KeyObject, built once per seed. */
export interface Signer {
  /** The 32-byte public key. */
  readonly publicKey: Uint8Array;
  /** Signs the bytes, returning the 64-byte signature. */
  sign(message: Uint8Array): Uint8Array;
  /** The same signature, made on libuv's thread pool (node:crypto's callback form), off the calling thread. */
  signAsync(message: Uint8Array): Promise<Uint8Array>;
}

/** A verification key: raw 32 bytes, or a KeyObject made by `ed25519PublicKey`. */
export type VerifyKey = Uint8Array | KeyObject;

function checkLength(bytes: Uint8Array, n: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) throw new RangeError(`${what} must be ${n} bytes`);
}

/**
 * Builds a signer from a 32-byte ed25519 seed (the private key as NaCl and Synapse store it).
 * @example const signer = createSigner(seed); const sig = signer.sign(new TextEncoder().encode('{}'));
 */
export function createSigner(seed: Uint8Array): Signer {
  checkLength(seed, 32, 'ed25519 seed');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX.length));
  return {
    publicKey,
    sign: (message) => new Uint8Array(edSign(null, message, privateKey)),
    signAsync: (message) => new Promise((resolve, reject) => {
      edSign(null, message, privateKey, (err, sig) => (err ? reject(err) : resolve(new Uint8Array(sig))));
    }),
  };
}

/**
 * The 32-byte ed25519 public key of a seed.
 * @example encodeBase64(publicKeyFromSeed(seed)) // the value published under `verify_keys`
 */
export function publicKeyFromSeed(seed: Uint8Array): Uint8Array {
  return createSigner(seed).publicKey;
}

/**
 * Wraps a 32-byte ed25519 public key as a node:crypto KeyObject (costly: cache it, see `createVerifyKeyCache`).
 * @example const key = ed25519PublicKey(publicKeyFromSeed(seed));
 */
export function ed25519PublicKey(publicKey: Uint8Array): KeyObject {
  checkLength(publicKey, 32, 'ed25519 public key');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** KeyObjects per public key, so a hot loop does not rebuild them per event. */
export interface VerifyKeyCache {
  keyObject(key: VerifyKey): KeyObject;
}

/**
 * A bounded cache of verification KeyObjects, owned by whoever creates it (no module-level state).
 * @example const cache = createVerifyKeyCache(); verifyEd25519(cache.keyObject(pub), msg, sig);
 */
export function createVerifyKeyCache(maxEntries = 1024): VerifyKeyCache {
  const map = new Map<string, KeyObject>();
  return {
    keyObject(key) {
      if (key instanceof KeyObject) return key;
      const id = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
      let ko = map.get(id);
      if (ko === undefined) {
        ko = ed25519PublicKey(key);
        if (map.size >= maxEntries) map.delete(map.keys().next().value as string);
        map.set(id, ko);
      }
      return ko;
    },
  };
}

/**
 * Verifies an ed25519 signature; false (never a throw) for a malformed key or signature.
 * @example verifyEd25519(signer.publicKey, msg, signer.sign(msg)) // true
 */
export function verifyEd25519(key: VerifyKey, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return edVerify(null, message, key instanceof KeyObject ? key : ed25519PublicKey(key), signature);
  } catch {
    return false;
  }
}

/**
 * The bytes a JSON signature covers: canonical JSON of the object without `signatures` and `unsigned`.
 * @example signedBytes({ b: 1, signatures: {}, unsigned: {} }).toString() // '{"b":1}'
 */
export function signedBytes(obj: object, options: CanonicalJsonOptions = {}): Buffer {
  return Buffer.from(canonicalJson(obj, { ...options, omitTopLevel: UNSIGNED_KEYS }), 'utf8');
}

/**
 * Signs a JSON object per §"Signing Details": the canonical JSON of the object without `signatures`
 * and `unsigned` is signed, and the base64 signature is merged into a copy's
 * `signatures[serverName][keyId]`; `unsigned` and other signatures are kept. The input is not modified.
 * @example signJson({ one: 1, two: 'Two' }, 'domain', 'ed25519:1', seed).signatures.domain['ed25519:1']
 */
export function signJson<T extends object>(
  obj: T, serverName: string, keyId: string, key: Uint8Array | Signer, options: CanonicalJsonOptions = {},
): T & { signatures: Signatures } {
  if (!keyId.startsWith('ed25519:')) throw new RangeError(`unsupported signing algorithm in ${keyId}`);
  const signer = key instanceof Uint8Array ? createSigner(key) : key;
  const signature = encodeBase64(signer.sign(signedBytes(obj, options)));
  const existing = ((obj as { signatures?: unknown }).signatures ?? {}) as Signatures;
  const signatures: Signatures = { ...existing, [serverName]: { ...existing[serverName], [keyId]: signature } };
  return { ...obj, signatures };
}

/** Resolves a key id of one entity to its verification key, or undefined when it is not known. */
export type EntityKeyResolver = (keyId: string) => VerifyKey | undefined;

/** Outcome of checking one entity's signatures. */
export interface SignatureCheck {
  ok: boolean;
  /** Why the check failed, when it did. */
  reason?: string;
}

/**
 * The §"Checking for a Signature" steps for one entity over precomputed signed bytes. Keys the resolver
 * does not know are skipped; every known `ed25519` key must verify and at least one must be known.
 * @example checkEntitySignatures(signedBytes(obj), obj.signatures, 'domain', () => pub).ok
 */
export function checkEntitySignatures(
  bytes: Uint8Array, signatures: unknown, entity: string, resolveKey: EntityKeyResolver,
): SignatureCheck {
  const all = signatures as Record<string, unknown> | undefined;
  const mine = typeof all === 'object' && all !== null ? all[entity] : undefined;
  // 1. If the `signatures` member has no entry for the entity, the check fails.
  if (typeof mine !== 'object' || mine === null) return { ok: false, reason: `no signatures from ${entity}` };
  let verified = 0;
  let known = 0;
  for (const [keyId, sig] of Object.entries(mine as Record<string, unknown>)) {
    // 2. Remove signing key identifiers with algorithms we do not understand.
    if (!keyId.startsWith('ed25519:')) continue;
    // 3. Look up the verification key; an unknown key is skipped.
    const key = resolveKey(keyId);
    if (key === undefined) continue;
    known++;
    // 4. Decode the base64 signature bytes; if decoding fails the check fails.
    let sigBytes: Uint8Array;
    try {
      if (typeof sig !== 'string') throw new SyntaxError('not a string');
      sigBytes = decodeBase64(sig);
    } catch {
      return { ok: false, reason: `undecodable signature ${entity} ${keyId}` };
    }
    // 5–7. Check the signature against the canonical JSON without `signatures` and `unsigned`.
    if (!verifyEd25519(key, bytes, sigBytes)) return { ok: false, reason: `bad signature ${entity} ${keyId}` };
    verified++;
  }
  if (known === 0) return { ok: false, reason: `no known ed25519 key of ${entity}` };
  return { ok: verified > 0 };
}

/**
 * Checks the signature of `serverName` under `keyId` on a JSON object (§"Checking for a Signature").
 * False when the signature is missing, undecodable or wrong, or the key id is not `ed25519:`.
 * @example verifySignedJson(signJson({}, 'domain', 'ed25519:1', seed), 'domain', 'ed25519:1', publicKeyFromSeed(seed)) // true
 */
export function verifySignedJson(
  obj: object, serverName: string, keyId: string, publicKey: VerifyKey, options: CanonicalJsonOptions = {},
): boolean {
  const signatures = (obj as { signatures?: Signatures }).signatures;
  const sig = signatures?.[serverName]?.[keyId];
  if (typeof sig !== 'string' || !keyId.startsWith('ed25519:')) return false;
  let bytes: Buffer;
  try {
    bytes = signedBytes(obj, options);
  } catch {
    return false;
  }
  return checkEntitySignatures(bytes, { [serverName]: { [keyId]: sig } }, serverName, () => publicKey).ok;
}
