/** POST /keys/query's answer for local users: device keys with the signatures the viewer may see, display names, and cross-signing keys. */
import type { Store } from '../storage/types.js';
import type { CrossSigningSignature } from '../storage/e2e-types.js';
import type { JsonObject } from '../storage/user-data-types.js';
import { crossSigningPublicKey, isObject } from './key-shapes.js';

type Signatures = Record<string, Record<string, string>>;

/** Adds the stored signatures of `targetKeyId` to a copy of `key`'s `signatures`. */
export function withSignatures(key: JsonObject, targetKeyId: string, signatures: readonly CrossSigningSignature[]): JsonObject {
  const extra = signatures.filter((s) => s.targetKeyId === targetKeyId);
  if (extra.length === 0) return key;
  const merged: Signatures = {};
  for (const [u, byKey] of Object.entries(isObject(key.signatures) ? key.signatures as Signatures : {})) merged[u] = { ...byKey };
  for (const s of extra) (merged[s.signerUserId] ??= {})[s.signerKeyId] = s.signature;
  return { ...key, signatures: merged };
}

export interface KeyQueryResult {
  device_keys: Record<string, Record<string, JsonObject>>;
  master_keys: Record<string, JsonObject>;
  self_signing_keys: Record<string, JsonObject>;
  user_signing_keys: Record<string, JsonObject>;
}

/**
 * Keys of local users as `viewer` may see them (spec §"Key and signature security"): every queried
 * user appears in `device_keys` (empty when unknown); an empty device list means all devices; only
 * devices that still exist and uploaded keys are listed; a user-signing key only to its owner.
 */
export async function queryLocalKeys(store: Store, viewer: string, query: ReadonlyMap<string, readonly string[]>): Promise<KeyQueryResult> {
  const out: KeyQueryResult = { device_keys: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {} };
  for (const [userId, wanted] of query) {
    const devices = new Map((await store.devices.listDevices(userId)).map((d) => [d.deviceId, d.displayName]));
    const keys = await store.e2eKeys.getDeviceKeys(userId, wanted.length > 0 ? wanted : undefined);
    const signatures = await store.e2eKeys.signaturesOf(userId, viewer);
    const byDevice: Record<string, JsonObject> = {};
    for (const [deviceId, key] of keys) {
      if (!devices.has(deviceId)) continue;
      const displayName = devices.get(deviceId);
      const unsigned = { ...(isObject(key.unsigned) ? key.unsigned : {}), ...(displayName ? { device_display_name: displayName } : {}) };
      byDevice[deviceId] = { ...withSignatures(key, deviceId, signatures), unsigned };
    }
    out.device_keys[userId] = byDevice;
    const cross = await store.e2eKeys.getCrossSigningKeys(userId);
    const master = crossSigningPublicKey(cross.master);
    if (cross.master && master) out.master_keys[userId] = withSignatures(cross.master, master.name, signatures);
    if (cross.self_signing) out.self_signing_keys[userId] = cross.self_signing;
    if (cross.user_signing && userId === viewer) out.user_signing_keys[userId] = cross.user_signing;
  }
  return out;
}
