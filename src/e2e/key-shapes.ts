/** Shape checks of uploaded end-to-end keys (device keys, one-time and fallback key maps, cross-signing keys); 400 M_BAD_JSON for anything malformed. */
import { MatrixError, badJson } from '../http/errors.js';
import type { JsonObject } from '../storage/user-data-types.js';
import type { OneTimeKey } from '../storage/e2e-types.js';
import { decodeBase64 } from '../events/base64.js';
import { canonicalJson } from '../events/canonical-json.js';

export const isObject = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStringMap = (x: unknown): x is Record<string, string> => isObject(x) && Object.values(x).every((v) => typeof v === 'string');

/** Whether two uploaded JSON values are the same key: equal canonical JSON (lenient about numbers). */
export function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a, { lenientNumbers: true }) === canonicalJson(b, { lenientNumbers: true });
  } catch {
    return false;
  }
}

/** `signatures`: user id -> key id -> signature string (appendices §"Signing JSON"). */
export function isSignatures(x: unknown): x is Record<string, Record<string, string>> {
  return isObject(x) && Object.values(x).every(isStringMap);
}

/**
 * Checks `device_keys` of POST /keys/upload (definitions/device_keys.yaml): every required field with
 * its type, and `user_id`/`device_id` equal to the caller's (as Synapse, 400 M_BAD_JSON otherwise).
 */
export function checkDeviceKeys(dk: unknown, userId: string, deviceId: string): JsonObject {
  if (!isObject(dk)) throw badJson('device_keys must be an object');
  if (typeof dk.user_id !== 'string' || typeof dk.device_id !== 'string') throw badJson('device_keys needs user_id and device_id');
  if (dk.user_id !== userId) throw badJson('Provided user_id in device_keys does not match that of the authenticated user');
  if (dk.device_id !== deviceId) throw badJson('Provided device_id in device_keys does not match that of the authenticated user device');
  if (!Array.isArray(dk.algorithms) || !dk.algorithms.every((a) => typeof a === 'string')) throw badJson('device_keys.algorithms must be a list of strings');
  if (!isStringMap(dk.keys)) throw badJson('device_keys.keys must map key ids to strings');
  if (!isSignatures(dk.signatures)) throw badJson('device_keys.signatures must map user ids to key ids to signatures');
  return dk;
}

/** Splits `<algorithm>:<key id>`; exactly one colon, as Synapse requires. */
function splitKeyId(id: string, field: string): { algorithm: string; keyId: string } {
  const parts = id.split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw badJson(`Invalid ${field} key ${JSON.stringify(id)}. Expected "<algorithm>:<key_id>".`);
  return { algorithm: parts[0]!, keyId: parts[1]! };
}

/**
 * A `one_time_keys` or `fallback_keys` map (definitions/one_time_keys.yaml): `<algorithm>:<key id>` to
 * a string or a KeyObject `{key, signatures, fallback?}`. Absent or null is an empty list.
 */
export function parseKeyMap(map: unknown, field: 'one_time_keys' | 'fallback_keys'): OneTimeKey[] {
  if (map === undefined || map === null) return [];
  if (!isObject(map)) throw badJson(`${field} must be an object`);
  return Object.entries(map).map(([id, key]) => {
    if (typeof key !== 'string') {
      if (!isObject(key) || typeof key.key !== 'string' || !isSignatures(key.signatures)) throw badJson(`${field}.${id} must be a string or a signed key object`);
      if (key.fallback !== undefined && typeof key.fallback !== 'boolean') throw badJson(`${field}.${id}.fallback must be a boolean`);
    }
    return { ...splitKeyId(id, field), key };
  });
}

/** The usages of cross-signing keys and their fields in POST /keys/device_signing/upload. */
export const CROSS_SIGNING_FIELDS = [['master_key', 'master'], ['self_signing_key', 'self_signing'], ['user_signing_key', 'user_signing']] as const;

/**
 * Checks a cross-signing key (definitions/cross_signing_key.yaml) as Synapse does: it belongs to the
 * user, its usage names the type, and it has exactly one key. Resolves to the key's id and public key.
 */
export function checkCrossSigningKey(key: unknown, userId: string, usage: string): CrossSigningPublicKey {
  const invalid = () => new MatrixError(400, 'M_INVALID_PARAM', `Invalid ${usage} key`);
  if (!isObject(key) || key.user_id !== userId || !Array.isArray(key.usage) || !key.usage.includes(usage)) throw invalid();
  if (!isStringMap(key.keys) || Object.keys(key.keys).length !== 1) throw invalid();
  if (key.signatures !== undefined && !isSignatures(key.signatures)) throw invalid();
  const found = crossSigningPublicKey(key);
  if (!found) throw invalid();
  return found;
}

/** A cross-signing key's one `ed25519:` key: its id, the id's part after the colon (its "device id"), and the key bytes. */
export interface CrossSigningPublicKey {
  keyId: string;
  /** What signatures of this key name as its target (spec: the public key acts as a device id). */
  name: string;
  bytes: Uint8Array;
}

/** The public key of a cross-signing key, when it has exactly one well-formed ed25519 key. */
export function crossSigningPublicKey(key: JsonObject | undefined): CrossSigningPublicKey | undefined {
  if (!key || !isStringMap(key.keys)) return undefined;
  const entries = Object.entries(key.keys);
  if (entries.length !== 1 || !entries[0]![0].startsWith('ed25519:')) return undefined;
  const [keyId, value] = entries[0]!;
  try {
    const bytes = decodeBase64(value);
    return bytes.length === 32 ? { keyId, name: keyId.slice('ed25519:'.length), bytes } : undefined;
  } catch {
    return undefined;
  }
}
