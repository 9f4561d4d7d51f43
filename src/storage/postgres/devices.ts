/** PostgreSQL DeviceStore: `devices` and `access_tokens` (hashes only) through named, parameterised statements. */
import { TokenExistsError, UnknownDeviceError, UnknownUserError } from '../errors.js';
import type { AccessTokenInfo, DeviceRecord, DeviceStore } from '../types.js';
import { isForeignKeyViolation } from './driver-errors.js';
import { run, statement, toNumber, toNumberOrNull, type Queryable } from './query.js';

const DEVICE_COLUMNS = 'user_id, device_id, display_name, last_seen_ts';

const INSERT_DEVICE = statement('insert_device', `
INSERT INTO devices (user_id, device_id, display_name, last_seen_ts)
VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING
RETURNING user_id`);
// $3 is true when the caller passed a display name (null included), false to keep the stored one.
const UPDATE_DEVICE = statement('update_device', `
UPDATE devices
SET display_name = CASE WHEN $3 THEN $4 ELSE display_name END,
    last_seen_ts = coalesce($5, last_seen_ts)
WHERE user_id = $1 AND device_id = $2`);
const SELECT_DEVICE = statement('select_device', `SELECT ${DEVICE_COLUMNS} FROM devices WHERE user_id = $1 AND device_id = $2`);
const SELECT_DEVICES = statement('select_devices', `SELECT ${DEVICE_COLUMNS} FROM devices WHERE user_id = $1 ORDER BY device_id`);
// One statement, so atomic. The foreign key cascades too; the explicit delete keeps the rule visible.
const DELETE_DEVICE = statement('delete_device', `
WITH tokens AS (DELETE FROM access_tokens WHERE user_id = $1 AND device_id = $2)
DELETE FROM devices WHERE user_id = $1 AND device_id = $2`);
const INSERT_TOKEN = statement('insert_access_token', `
INSERT INTO access_tokens (token_hash, user_id, device_id, expires_ts, refresh_token_hash)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING`);
const SELECT_TOKEN = statement('select_access_token', 'SELECT user_id, device_id, expires_ts FROM access_tokens WHERE token_hash = $1');
const SELECT_REFRESH = statement('select_refresh_token', 'SELECT token_hash, user_id, device_id FROM access_tokens WHERE refresh_token_hash = $1');
const DELETE_TOKEN = statement('delete_access_token', 'DELETE FROM access_tokens WHERE token_hash = $1');
const DELETE_DEVICE_TOKENS = statement('delete_device_tokens', 'DELETE FROM access_tokens WHERE user_id = $1 AND device_id = $2');
const DELETE_USER_TOKENS = statement('delete_user_tokens', 'DELETE FROM access_tokens WHERE user_id = $1 AND ($2::text IS NULL OR device_id <> $2)');

interface DeviceRow {
  user_id: string;
  device_id: string;
  display_name: string | null;
  last_seen_ts: string | null;
}

function toDevice(row: DeviceRow): DeviceRecord {
  return { userId: row.user_id, deviceId: row.device_id, displayName: row.display_name, lastSeenTs: toNumberOrNull(row.last_seen_ts) };
}

/** Builds the store over a pool whose search_path reaches the migrated schema. */
export function createPostgresDeviceStore(db: Queryable): DeviceStore {
  return {
    async upsertDevice(userId, deviceId, displayName, lastSeenTs) {
      try {
        const inserted = await run(db, INSERT_DEVICE, [userId, deviceId, displayName ?? null, lastSeenTs ?? null]);
        if (inserted.rows.length > 0) return true;
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new UnknownUserError(userId);
        throw err;
      }
      await run(db, UPDATE_DEVICE, [userId, deviceId, displayName !== undefined, displayName ?? null, lastSeenTs ?? null]);
      return false;
    },
    async getDevice(userId, deviceId) {
      const { rows } = await run<DeviceRow>(db, SELECT_DEVICE, [userId, deviceId]);
      return rows.length > 0 ? toDevice(rows[0]) : undefined;
    },
    async listDevices(userId) {
      return (await run<DeviceRow>(db, SELECT_DEVICES, [userId])).rows.map(toDevice);
    },
    async deleteDevice(userId, deviceId) {
      return ((await run(db, DELETE_DEVICE, [userId, deviceId])).rowCount ?? 0) > 0;
    },
    async createAccessToken(token) {
      let rowCount: number | null;
      try {
        const values = [token.tokenHash, token.userId, token.deviceId, token.expiresTs ?? null, token.refreshTokenHash ?? null];
        ({ rowCount } = await run(db, INSERT_TOKEN, values));
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new UnknownDeviceError(token.userId, token.deviceId);
        throw err;
      }
      if (!rowCount) throw new TokenExistsError();
    },
    async findAccessToken(tokenHash) {
      const { rows } = await run<{ user_id: string; device_id: string; expires_ts: string | null }>(db, SELECT_TOKEN, [tokenHash]);
      if (rows.length === 0) return undefined;
      const info: AccessTokenInfo = { userId: rows[0].user_id, deviceId: rows[0].device_id };
      if (rows[0].expires_ts !== null) info.expiresTs = toNumber(rows[0].expires_ts);
      return info;
    },
    async findRefreshToken(refreshTokenHash) {
      const { rows } = await run<{ token_hash: string; user_id: string; device_id: string }>(db, SELECT_REFRESH, [refreshTokenHash]);
      return rows.length > 0 ? { accessTokenHash: rows[0].token_hash, userId: rows[0].user_id, deviceId: rows[0].device_id } : undefined;
    },
    async deleteAccessToken(tokenHash) {
      return ((await run(db, DELETE_TOKEN, [tokenHash])).rowCount ?? 0) > 0;
    },
    async deleteTokensForDevice(userId, deviceId) {
      return (await run(db, DELETE_DEVICE_TOKENS, [userId, deviceId])).rowCount ?? 0;
    },
    async deleteTokensForUser(userId, exceptDeviceId) {
      return (await run(db, DELETE_USER_TOKENS, [userId, exceptDeviceId ?? null])).rowCount ?? 0;
    },
  };
}
