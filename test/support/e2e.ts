/** Test support for end-to-end encryption: ed25519 identities that sign device keys, one-time keys and cross-signing keys as a client does, and a spec client per test user. */
import { randomBytes } from 'node:crypto';
import { publicKeyFromSeed, signJson } from '../../src/events/signing.js';
import { encodeBase64 } from '../../src/events/base64.js';
import { createSpecClient, type SpecClient } from './spec-client.js';
import type { TestHub } from './hub.js';
import type { TestUser } from './users.js';

/** An ed25519 key pair; `pub` is unpadded base64. */
export interface Ed25519 { seed: Uint8Array; pub: string }

export function ed25519(): Ed25519 {
  const seed = new Uint8Array(randomBytes(32));
  return { seed, pub: encodeBase64(publicKeyFromSeed(seed)) };
}

/** Signs `obj` as `userId` with `key` under `ed25519:<keyName>` (a device id, or the public key for cross-signing keys). */
export function signAs<T extends object>(obj: T, userId: string, key: Ed25519, keyName = key.pub): T & { signatures: Record<string, Record<string, string>> } {
  return signJson(obj, userId, `ed25519:${keyName}`, key.seed);
}

/** Device keys (definitions/device_keys.yaml) signed by the device's own ed25519 key. */
export function deviceKeys(userId: string, deviceId: string, key: Ed25519 = ed25519()) {
  return signAs({
    user_id: userId, device_id: deviceId, algorithms: ['m.olm.v1.curve25519-aes-sha2', 'm.megolm.v1.aes-sha2'],
    keys: { [`ed25519:${deviceId}`]: key.pub, [`curve25519:${deviceId}`]: ed25519().pub },
  }, userId, key, deviceId);
}

/** A signed_curve25519 key object signed by the device. */
export function signedKey(userId: string, deviceId: string, device: Ed25519, fallback = false) {
  return signAs({ key: ed25519().pub, ...(fallback ? { fallback: true } : {}) }, userId, device, deviceId);
}

/** A user's three cross-signing keys, the self-signing and user-signing keys signed by the master key. */
export function crossSigning(userId: string) {
  const master = ed25519(), selfSigning = ed25519(), userSigning = ed25519();
  const key = (usage: string, k: Ed25519) => ({ user_id: userId, usage: [usage], keys: { [`ed25519:${k.pub}`]: k.pub } });
  return {
    master, selfSigning, userSigning,
    body: {
      master_key: key('master', master),
      self_signing_key: signAs(key('self_signing', selfSigning), userId, master),
      user_signing_key: signAs(key('user_signing', userSigning), userId, master),
    },
  };
}

/** A spec client acting as `user` that prefixes `/_matrix/client/v3`. */
export function clientOf(hub: TestHub, user: Pick<TestUser, 'token'>) {
  const c: SpecClient = createSpecClient(hub.clientUrl, user.token);
  const v3 = (p: string) => `/_matrix/client/v3${p}`;
  return {
    get: (p: string) => c.get(v3(p)),
    post: (p: string, body?: unknown) => c.post(v3(p), body),
    put: (p: string, body?: unknown) => c.put(v3(p), body),
    delete: (p: string, body?: unknown) => c.delete(v3(p), body),
  };
}
