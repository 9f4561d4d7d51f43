/** Cross-signing rules (spec §"Cross-signing"): checking uploaded cross-signing keys, and checking uploaded signatures of devices and master keys. */
import { MatrixError } from '../http/errors.js';
import type { Store } from '../storage/types.js';
import type { CrossSigningKeyType, CrossSigningSignature } from '../storage/e2e-types.js';
import type { JsonObject } from '../storage/user-data-types.js';
import { decodeBase64 } from '../events/base64.js';
import { signedBytes, verifySignedJson } from '../events/signing.js';
import { CROSS_SIGNING_FIELDS, checkCrossSigningKey, crossSigningPublicKey, isObject, sameJson, type CrossSigningPublicKey } from './key-shapes.js';

const invalidSignature = (msg = 'Invalid signature') => new MatrixError(400, 'M_INVALID_SIGNATURE', msg);

/** The cross-signing keys a POST /keys/device_signing/upload body carries, by type. */
export function uploadedCrossSigningKeys(body: JsonObject): Partial<Record<CrossSigningKeyType, unknown>> {
  const out: Partial<Record<CrossSigningKeyType, unknown>> = {};
  for (const [field, type] of CROSS_SIGNING_FIELDS) if (body[field] !== undefined) out[type] = body[field];
  return out;
}

/** Whether storing the uploaded keys would replace a different stored key (then, as Synapse, UIA is needed). */
export function replacesKeys(uploaded: Partial<Record<CrossSigningKeyType, unknown>>, stored: Partial<Record<CrossSigningKeyType, JsonObject>>): boolean {
  return Object.entries(uploaded).some(([type, key]) => !sameJson(key, stored[type as CrossSigningKeyType]));
}

/**
 * Checks uploaded cross-signing keys as Synapse does: each well-formed and the user's; a self-signing or
 * user-signing key signed by the uploaded (else the stored) master key (400 M_INVALID_SIGNATURE); a
 * master key is needed (400 M_MISSING_PARAM); no key may share its name with a device (403 M_FORBIDDEN).
 */
export function checkCrossSigningUpload(
  userId: string, uploaded: Partial<Record<CrossSigningKeyType, unknown>>, storedMaster: JsonObject | undefined, deviceIds: ReadonlySet<string>,
): Partial<Record<CrossSigningKeyType, JsonObject>> {
  const checked: Partial<Record<CrossSigningKeyType, JsonObject>> = {};
  const names: string[] = [];
  let masterKey: CrossSigningPublicKey | undefined;
  if (uploaded.master !== undefined) {
    masterKey = checkCrossSigningKey(uploaded.master, userId, 'master');
    checked.master = uploaded.master as JsonObject;
    names.push(masterKey.name);
  } else {
    masterKey = crossSigningPublicKey(storedMaster);
  }
  if (!masterKey) throw new MatrixError(400, 'M_MISSING_PARAM', 'No master key available');
  for (const type of ['self_signing', 'user_signing'] as const) {
    const key = uploaded[type];
    if (key === undefined) continue;
    names.push(checkCrossSigningKey(key, userId, type).name);
    if (!verifySignedJson(key as JsonObject, userId, masterKey.keyId, masterKey.bytes)) throw invalidSignature(`Invalid signature on ${type} key`);
    checked[type] = key as JsonObject;
  }
  // Spec: servers must ensure that device IDs will not collide with cross-signing public keys.
  if (names.some((n) => deviceIds.has(n))) throw new MatrixError(403, 'M_FORBIDDEN', 'Key ID in use');
  return checked;
}

/** The uploaded copy of a key must equal the stored one apart from `signatures` and `unsigned`, and carry a good signature. */
function checkSignedCopy(signer: string, signerKeyId: string, verifyKey: Uint8Array, signed: JsonObject, stored: JsonObject): string {
  let same: boolean;
  try { same = signedBytes(signed, { lenientNumbers: true }).equals(signedBytes(stored, { lenientNumbers: true })); } catch { same = false; }
  if (!same) throw new MatrixError(400, 'M_INVALID_PARAM', 'Key does not match');
  const sig = (signed.signatures as Record<string, Record<string, unknown>> | undefined)?.[signer]?.[signerKeyId];
  if (typeof sig !== 'string' || !verifySignedJson(signed, signer, signerKeyId, verifyKey)) throw invalidSignature();
  return sig;
}

/** An ed25519 device key by its key id, from stored device keys. */
function deviceVerifyKey(device: JsonObject | undefined, keyId: string): Uint8Array | undefined {
  const value = isObject(device?.keys) ? (device!.keys as Record<string, unknown>)[keyId] : undefined;
  if (typeof value !== 'string' || !keyId.startsWith('ed25519:')) return undefined;
  try { return decodeBase64(value); } catch { return undefined; }
}

export interface SignatureUploadOutcome {
  signatures: CrossSigningSignature[];
  failures: Record<string, Record<string, { errcode: string; error: string }>>;
  /** Signatures of the uploader's own devices or master key were stored. */
  selfSigned: boolean;
  /** Other users whose master keys the uploader signed. */
  signedUsers: string[];
}

/**
 * POST /keys/signatures/upload, as Synapse: the uploader's devices signed by their self-signing key,
 * their master key signed by their devices, and other users' master keys signed by their user-signing
 * key. Each object must match the stored key; bad entries land in `failures`, good ones are returned.
 */
export async function checkSignatureUpload(store: Store, uploader: string, body: JsonObject): Promise<SignatureUploadOutcome> {
  const out: SignatureUploadOutcome = { signatures: [], failures: {}, selfSigned: false, signedUsers: [] };
  const fail = (userId: string, keyId: string, err: unknown) => {
    if (!(err instanceof MatrixError)) throw err;
    (out.failures[userId] ??= {})[keyId] = { errcode: err.errcode, error: err.message };
  };
  for (const [userId, byKey] of Object.entries(body)) {
    if (!isObject(byKey) || !Object.values(byKey).every(isObject)) throw new MatrixError(400, 'M_INVALID_PARAM', 'Invalid parameter');
  }
  const mine = await store.e2eKeys.getCrossSigningKeys(uploader);
  const ownSigned = body[uploader] as Record<string, JsonObject> | undefined;
  if (ownSigned && Object.keys(ownSigned).length > 0) {
    const master = crossSigningPublicKey(mine.master);
    const ssk = crossSigningPublicKey(mine.self_signing);
    const devices = await store.e2eKeys.getDeviceKeys(uploader);
    for (const [keyId, signed] of Object.entries(ownSigned)) {
      try {
        const sigs = (signed.signatures as Record<string, Record<string, unknown>> | undefined)?.[uploader];
        if (!isObject(sigs)) throw invalidSignature();
        if (master && keyId === master.name) {
          // The master key signed by the uploader's devices (a device key id names the device).
          for (const signerKeyId of Object.keys(sigs)) {
            if (signerKeyId === master.keyId) continue;
            const verifyKey = deviceVerifyKey(devices.get(signerKeyId.slice('ed25519:'.length)), signerKeyId);
            if (!verifyKey) throw invalidSignature();
            const sig = checkSignedCopy(uploader, signerKeyId, verifyKey, signed, mine.master!);
            out.signatures.push({ signerUserId: uploader, signerKeyId, targetUserId: uploader, targetKeyId: keyId, signature: sig });
          }
        } else {
          if (!ssk) throw new MatrixError(404, 'M_NOT_FOUND', `No self_signing key found for ${uploader}`);
          const stored = devices.get(keyId);
          if (!stored) throw new MatrixError(404, 'M_NOT_FOUND', 'Unknown device');
          const sig = checkSignedCopy(uploader, ssk.keyId, ssk.bytes, signed, stored);
          out.signatures.push({ signerUserId: uploader, signerKeyId: ssk.keyId, targetUserId: uploader, targetKeyId: keyId, signature: sig });
        }
        out.selfSigned = true;
      } catch (err) { fail(uploader, keyId, err); }
    }
  }
  const usk = crossSigningPublicKey(mine.user_signing);
  for (const [target, byKey] of Object.entries(body)) {
    if (target === uploader) continue;
    const entries = Object.entries(byKey as Record<string, JsonObject>);
    try {
      if (!usk) throw new MatrixError(404, 'M_NOT_FOUND', `No user_signing key found for ${uploader}`);
      const theirs = (await store.e2eKeys.getCrossSigningKeys(target)).master;
      const master = crossSigningPublicKey(theirs);
      if (!master) throw new MatrixError(404, 'M_NOT_FOUND', `No master key found for ${target}`);
      if (!entries.some(([k]) => k === master.name)) throw new MatrixError(404, 'M_NOT_FOUND', 'Unknown device');
      for (const [keyId, signed] of entries) {
        try {
          if (keyId !== master.name) throw new MatrixError(404, 'M_NOT_FOUND', 'Unknown device');
          const sig = checkSignedCopy(uploader, usk.keyId, usk.bytes, signed, theirs!);
          out.signatures.push({ signerUserId: uploader, signerKeyId: usk.keyId, targetUserId: target, targetKeyId: keyId, signature: sig });
          out.signedUsers.push(target);
        } catch (err) { fail(target, keyId, err); }
      }
    } catch (err) {
      for (const [keyId] of entries) fail(target, keyId, err);
    }
  }
  return out;
}
