/** Cross-signing keys (master, self-signing, user-signing) and the signatures uploaded apart from them, over the SqlDriver. */
import type { SqlDriver } from '../sql-driver.js';
import type { CrossSigningKeyType, CrossSigningSignature, E2eKeyStore } from '../e2e-types.js';
import type { JsonObject } from '../user-data-types.js';
import { storedJson } from './stream-counter.js';

const SELECT_KEYS = 'SELECT key_type, key_json FROM e2e_cross_signing_keys WHERE user_id = ?';
const UPSERT_KEY = `INSERT INTO e2e_cross_signing_keys (user_id, key_type, key_json) VALUES (?, ?, ?)
  ON CONFLICT (user_id, key_type) DO UPDATE SET key_json = excluded.key_json`;
const UPSERT_SIGNATURE = `INSERT INTO e2e_cross_signing_signatures (target_user_id, target_key_id, signer_user_id, signer_key_id, signature)
  VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (target_user_id, target_key_id, signer_user_id, signer_key_id) DO UPDATE SET signature = excluded.signature`;
// Spec §"Key and signature security": a user sees signatures made by themselves, and those other
// users made of their own keys; never another user's user-signing signatures.
const SELECT_SIGNATURES = `SELECT target_user_id, target_key_id, signer_user_id, signer_key_id, signature FROM e2e_cross_signing_signatures
  WHERE target_user_id = ? AND (signer_user_id = ? OR signer_user_id = target_user_id)`;

const TYPES: readonly CrossSigningKeyType[] = ['master', 'self_signing', 'user_signing'];

type Extras = Pick<E2eKeyStore, 'getCrossSigningKeys' | 'setCrossSigningKey' | 'addSignatures' | 'signaturesOf'>;

export function createCrossSigningStore(db: SqlDriver): Extras {
  return {
    async getCrossSigningKeys(userId) {
      const out: Partial<Record<CrossSigningKeyType, JsonObject>> = {};
      for (const r of await db.all<{ key_type: string; key_json: string }>(SELECT_KEYS, [userId])) {
        if ((TYPES as readonly string[]).includes(r.key_type)) out[r.key_type as CrossSigningKeyType] = JSON.parse(r.key_json) as JsonObject;
      }
      return out;
    },
    async setCrossSigningKey(userId, type, key) {
      await db.run(UPSERT_KEY, [userId, type, storedJson(key)]);
    },
    async addSignatures(signatures) {
      if (signatures.length === 0) return;
      await db.batch(signatures.map((s) => [UPSERT_SIGNATURE, [s.targetUserId, s.targetKeyId, s.signerUserId, s.signerKeyId, s.signature]] as const));
    },
    async signaturesOf(targetUserId, viewer) {
      const rows = await db.all<{ target_user_id: string; target_key_id: string; signer_user_id: string; signer_key_id: string; signature: string }>(
        SELECT_SIGNATURES, [targetUserId, viewer]);
      return rows.map((r): CrossSigningSignature => ({
        targetUserId: r.target_user_id, targetKeyId: r.target_key_id, signerUserId: r.signer_user_id, signerKeyId: r.signer_key_id, signature: r.signature,
      }));
    },
  };
}
