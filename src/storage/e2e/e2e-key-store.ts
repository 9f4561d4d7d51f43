/** E2eKeyStore over the SqlDriver: device keys, one-time keys (claimed atomically) and fallback keys; cross-signing in cross-signing-store.ts. */
import type { SqlDriver } from '../sql-driver.js';
import type { E2eKeyStore, OneTimeKey } from '../e2e-types.js';
import type { JsonObject } from '../user-data-types.js';
import { createCrossSigningStore } from './cross-signing-store.js';
import { placeholders, storedJson } from './stream-counter.js';

// The WHERE makes an identical re-upload a zero-row change, so the caller learns whether anything changed.
const UPSERT_DEVICE_KEYS = `INSERT INTO e2e_device_keys (user_id, device_id, key_json, ts_added) VALUES (?, ?, ?, ?)
  ON CONFLICT (user_id, device_id) DO UPDATE SET key_json = excluded.key_json, ts_added = excluded.ts_added
  WHERE e2e_device_keys.key_json <> excluded.key_json`;
const SELECT_DEVICE_KEYS = 'SELECT device_id, key_json FROM e2e_device_keys WHERE user_id = ? ORDER BY device_id';
const INSERT_OTK = `INSERT INTO e2e_one_time_keys (user_id, device_id, algorithm, key_id, key_json) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (user_id, device_id, algorithm, key_id) DO NOTHING`;
const COUNT_OTKS = 'SELECT algorithm, count(*) AS n FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ? GROUP BY algorithm';
// Oldest first (spec: keys are given out in upload order). One statement, so atomic; on PostgreSQL
// SKIP LOCKED lets a concurrent claim take the next key instead of finding this one gone.
const CLAIM_OTK = (lock: string) => `DELETE FROM e2e_one_time_keys WHERE id = (
  SELECT id FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ? AND algorithm = ? ORDER BY id LIMIT 1${lock}
) RETURNING algorithm, key_id, key_json`;
// A re-upload of the very same key keeps its used flag (as Synapse does); any other key starts unused.
const UPSERT_FALLBACK = `INSERT INTO e2e_fallback_keys (user_id, device_id, algorithm, key_id, key_json, used) VALUES (?, ?, ?, ?, ?, 0)
  ON CONFLICT (user_id, device_id, algorithm) DO UPDATE SET key_id = excluded.key_id, key_json = excluded.key_json,
  used = CASE WHEN e2e_fallback_keys.key_id = excluded.key_id AND e2e_fallback_keys.key_json = excluded.key_json THEN e2e_fallback_keys.used ELSE 0 END`;
const CLAIM_FALLBACK = 'UPDATE e2e_fallback_keys SET used = 1 WHERE user_id = ? AND device_id = ? AND algorithm = ? RETURNING algorithm, key_id, key_json';
const SELECT_UNUSED_FALLBACK = 'SELECT algorithm FROM e2e_fallback_keys WHERE user_id = ? AND device_id = ? AND used = 0';

type KeyRow = { algorithm: string; key_id: string; key_json: string };
const toKey = (r: KeyRow): OneTimeKey => ({ algorithm: r.algorithm, keyId: r.key_id, key: JSON.parse(r.key_json) });

export function createE2eKeyStore(db: SqlDriver): E2eKeyStore {
  const claimOtk = CLAIM_OTK(db.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '');
  const cross = createCrossSigningStore(db);
  return {
    ...cross,
    async setDeviceKeys(userId, deviceId, keys, ts) {
      return (await db.run(UPSERT_DEVICE_KEYS, [userId, deviceId, storedJson(keys), ts])).changes > 0;
    },
    async getDeviceKeys(userId, deviceIds) {
      const out = new Map<string, JsonObject>();
      if (deviceIds !== undefined && deviceIds.length === 0) return out;
      const rows = deviceIds === undefined
        ? await db.all<{ device_id: string; key_json: string }>(SELECT_DEVICE_KEYS, [userId])
        : await db.all<{ device_id: string; key_json: string }>(
          `SELECT device_id, key_json FROM e2e_device_keys WHERE user_id = ? AND device_id IN (${placeholders(deviceIds.length)}) ORDER BY device_id`,
          [userId, ...deviceIds]);
      for (const r of rows) out.set(r.device_id, JSON.parse(r.key_json) as JsonObject);
      return out;
    },
    async deleteDeviceKeys(userId, deviceIds) {
      if (deviceIds.length === 0) return;
      const ids = placeholders(deviceIds.length);
      await db.batch([
        [`DELETE FROM e2e_device_keys WHERE user_id = ? AND device_id IN (${ids})`, [userId, ...deviceIds]],
        [`DELETE FROM e2e_one_time_keys WHERE user_id = ? AND device_id IN (${ids})`, [userId, ...deviceIds]],
        [`DELETE FROM e2e_fallback_keys WHERE user_id = ? AND device_id IN (${ids})`, [userId, ...deviceIds]],
        [`DELETE FROM e2e_cross_signing_signatures WHERE target_user_id = ? AND target_key_id IN (${ids})`, [userId, ...deviceIds]],
      ]);
    },
    async findOneTimeKeys(userId, deviceId, keys) {
      const out: OneTimeKey[] = [];
      for (let i = 0; i < keys.length; i += 100) {
        const chunk = keys.slice(i, i + 100);
        const rows = await db.all<KeyRow>(
          `SELECT algorithm, key_id, key_json FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ? AND key_id IN (${placeholders(chunk.length)})`,
          [userId, deviceId, ...chunk.map((k) => k.keyId)]);
        const wanted = new Set(chunk.map((k) => `${k.algorithm}:${k.keyId}`));
        for (const r of rows) if (wanted.has(`${r.algorithm}:${r.key_id}`)) out.push(toKey(r));
      }
      return out;
    },
    async addOneTimeKeys(userId, deviceId, keys) {
      if (keys.length === 0) return;
      await db.batch(keys.map((k) => [INSERT_OTK, [userId, deviceId, k.algorithm, k.keyId, storedJson(k.key)]] as const));
    },
    async countOneTimeKeys(userId, deviceId) {
      const out: Record<string, number> = {};
      for (const r of await db.all<{ algorithm: string; n: number | string }>(COUNT_OTKS, [userId, deviceId])) out[r.algorithm] = Number(r.n);
      return out;
    },
    async claimOneTimeKey(userId, deviceId, algorithm) {
      const row = await db.get<KeyRow>(claimOtk, [userId, deviceId, algorithm]);
      return row && toKey(row);
    },
    async setFallbackKey(userId, deviceId, key) {
      await db.run(UPSERT_FALLBACK, [userId, deviceId, key.algorithm, key.keyId, storedJson(key.key)]);
    },
    async claimFallbackKey(userId, deviceId, algorithm) {
      const row = await db.get<KeyRow>(CLAIM_FALLBACK, [userId, deviceId, algorithm]);
      return row && toKey(row);
    },
    async unusedFallbackKeyTypes(userId, deviceId) {
      return (await db.all<{ algorithm: string }>(SELECT_UNUSED_FALLBACK, [userId, deviceId])).map((r) => r.algorithm).sort();
    },
  };
}
