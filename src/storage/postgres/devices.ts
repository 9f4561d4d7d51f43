/** PostgreSQL DeviceStore: `devices` and `access_tokens` (hashes only) through named, parameterised statements. */
import { TokenExistsError, UnknownDeviceError, UnknownUserError } from '../errors.js';
import type { AccessTokenInfo, DeviceRecord, DeviceStore } from '../types.js';
import { isForeignKeyViolation, isUniqueViolation } from './driver-errors.js';
import { run, statement, toNumber, toNumberOrNull, type Queryable } from './query.js';

const DEVICE_COLUMNS = 'user_id, device_id, display_name, last_seen_ts, last_seen_ip';

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
const SELECT_TOKEN = statement('select_access_token', 'SELECT user_id, device_id, expires_ts, previous_token_hash FROM access_tokens WHERE token_hash = $1');
const SELECT_REFRESH = statement('select_refresh_token', 'SELECT token_hash, user_id, device_id FROM access_tokens WHERE refresh_token_hash = $1');
const DELETE_TOKEN = statement('delete_access_token', 'DELETE FROM access_tokens WHERE token_hash = $1');
const DELETE_DEVICE_TOKENS = statement('delete_device_tokens', 'DELETE FROM access_tokens WHERE user_id = $1 AND device_id = $2');
const DELETE_USER_TOKENS = statement('delete_user_tokens', 'DELETE FROM access_tokens WHERE user_id = $1 AND ($2::text IS NULL OR device_id <> $2)');
const UPDATE_LAST_SEEN = statement('update_device_last_seen', 'UPDATE devices SET last_seen_ts = $3, last_seen_ip = $4 WHERE user_id = $1 AND device_id = $2');
// One statement, so atomic; FOR UPDATE serialises concurrent uses of the same refresh token.
// The sub-statements touch different rows: the old token's unused successors, its predecessor, itself.
const ROTATE_REFRESH = statement('rotate_refresh_token', `
WITH old AS (
  SELECT token_hash, user_id, device_id, previous_token_hash FROM access_tokens WHERE refresh_token_hash = $1 FOR UPDATE
), successors AS (
  DELETE FROM access_tokens WHERE previous_token_hash IN (SELECT token_hash FROM old)
), predecessor AS (
  DELETE FROM access_tokens WHERE token_hash IN (SELECT previous_token_hash FROM old)
), cleared AS (
  UPDATE access_tokens SET previous_token_hash = NULL WHERE token_hash IN (SELECT token_hash FROM old)
)
INSERT INTO access_tokens (token_hash, user_id, device_id, expires_ts, refresh_token_hash, previous_token_hash)
SELECT $2, user_id, device_id, $3::bigint, $4, token_hash FROM old
RETURNING user_id, device_id`);
const RETIRE_PREVIOUS = statement('retire_previous_token', `
WITH cur AS (
  SELECT previous_token_hash FROM access_tokens WHERE token_hash = $1 AND previous_token_hash IS NOT NULL FOR UPDATE
), cleared AS (
  UPDATE access_tokens SET previous_token_hash = NULL WHERE token_hash IN (SELECT $1::text FROM cur)
)
DELETE FROM access_tokens WHERE token_hash IN (SELECT previous_token_hash FROM cur)
RETURNING token_hash`);

interface DeviceRow {
  user_id: string;
  device_id: string;
  display_name: string | null;
  last_seen_ts: string | null;
  last_seen_ip: string | null;
}

function toDevice(row: DeviceRow): DeviceRecord {
  const device: DeviceRecord = { userId: row.user_id, deviceId: row.device_id, displayName: row.display_name, lastSeenTs: toNumberOrNull(row.last_seen_ts) };
  if (row.last_seen_ip !== null) device.lastSeenIp = row.last_seen_ip;
  return device;
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
      const { rows } = await run<{ user_id: string; device_id: string; expires_ts: string | null; previous_token_hash: string | null }>(db, SELECT_TOKEN, [tokenHash]);
      if (rows.length === 0) return undefined;
      const info: AccessTokenInfo = { userId: rows[0].user_id, deviceId: rows[0].device_id };
      if (rows[0].expires_ts !== null) info.expiresTs = toNumber(rows[0].expires_ts);
      if (rows[0].previous_token_hash !== null) info.previousTokenHash = rows[0].previous_token_hash;
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
    async recordLastSeen(userId, deviceId, lastSeenTs, lastSeenIp) {
      await run(db, UPDATE_LAST_SEEN, [userId, deviceId, lastSeenTs, lastSeenIp]);
    },
    async rotateRefreshToken(refreshTokenHash, next) {
      try {
        const { rows } = await run<{ user_id: string; device_id: string }>(db, ROTATE_REFRESH, [refreshTokenHash, next.tokenHash, next.expiresTs, next.refreshTokenHash]);
        return rows.length > 0 ? { userId: rows[0].user_id, deviceId: rows[0].device_id } : undefined;
      } catch (err) {
        if (isUniqueViolation(err)) throw new TokenExistsError();
        throw err;
      }
    },
    async retirePreviousToken(tokenHash) {
      return ((await run(db, RETIRE_PREVIOUS, [tokenHash])).rowCount ?? 0) > 0;
    },
  };
}
