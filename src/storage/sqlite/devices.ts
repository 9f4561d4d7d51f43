/** SQLite DeviceStore: `devices` and `access_tokens` (hashes only) through statements prepared once. */
import type Database from 'better-sqlite3';
import { TokenExistsError, UnknownDeviceError, UnknownUserError } from '../errors.js';
import type { AccessTokenInfo, DeviceRecord, DeviceStore, NewAccessToken, RotatedTokens } from '../types.js';
import { isForeignKeyViolation, isUniqueViolation } from './driver-errors.js';

const INSERT_DEVICE = `
INSERT INTO devices (user_id, device_id, display_name, last_seen_ts)
VALUES (@userId, @deviceId, @displayName, @lastSeenTs)
ON CONFLICT DO NOTHING`;
// @setName is 1 when the caller passed a display name (null included), 0 to keep the stored one.
const UPDATE_DEVICE = `
UPDATE devices
SET display_name = CASE WHEN @setName = 1 THEN @displayName ELSE display_name END,
    last_seen_ts = coalesce(@lastSeenTs, last_seen_ts)
WHERE user_id = @userId AND device_id = @deviceId`;
const SELECT_DEVICE = 'SELECT user_id, device_id, display_name, last_seen_ts, last_seen_ip FROM devices WHERE user_id = ? AND device_id = ?';
const SELECT_DEVICES = 'SELECT user_id, device_id, display_name, last_seen_ts, last_seen_ip FROM devices WHERE user_id = ? ORDER BY device_id';
const DELETE_DEVICE = 'DELETE FROM devices WHERE user_id = ? AND device_id = ?';
const INSERT_TOKEN = `
INSERT INTO access_tokens (token_hash, user_id, device_id, expires_ts, refresh_token_hash)
VALUES (@tokenHash, @userId, @deviceId, @expiresTs, @refreshTokenHash)
ON CONFLICT DO NOTHING`;
const SELECT_TOKEN = 'SELECT user_id, device_id, expires_ts, previous_token_hash FROM access_tokens WHERE token_hash = ?';
const SELECT_REFRESH = 'SELECT token_hash, user_id, device_id FROM access_tokens WHERE refresh_token_hash = ?';
const DELETE_TOKEN = 'DELETE FROM access_tokens WHERE token_hash = ?';
const DELETE_DEVICE_TOKENS = 'DELETE FROM access_tokens WHERE user_id = ? AND device_id = ?';
const DELETE_USER_TOKENS = 'DELETE FROM access_tokens WHERE user_id = @userId AND (@exceptDeviceId IS NULL OR device_id <> @exceptDeviceId)';
const UPDATE_LAST_SEEN = 'UPDATE devices SET last_seen_ts = ?, last_seen_ip = ? WHERE user_id = ? AND device_id = ?';
const SELECT_BY_REFRESH = 'SELECT token_hash, user_id, device_id, previous_token_hash FROM access_tokens WHERE refresh_token_hash = ?';
const DELETE_SUCCESSORS = 'DELETE FROM access_tokens WHERE previous_token_hash = ?';
const CLEAR_PREVIOUS = 'UPDATE access_tokens SET previous_token_hash = NULL WHERE token_hash = ?';
const INSERT_REFRESHED = `
INSERT INTO access_tokens (token_hash, user_id, device_id, expires_ts, refresh_token_hash, previous_token_hash)
VALUES (?, ?, ?, ?, ?, ?)`;
const SELECT_PREVIOUS = 'SELECT previous_token_hash FROM access_tokens WHERE token_hash = ?';

interface DeviceRow {
  user_id: string;
  device_id: string;
  display_name: string | null;
  last_seen_ts: number | null;
  last_seen_ip: string | null;
}

function toDevice(row: DeviceRow): DeviceRecord {
  const device: DeviceRecord = { userId: row.user_id, deviceId: row.device_id, displayName: row.display_name, lastSeenTs: row.last_seen_ts };
  if (row.last_seen_ip !== null) device.lastSeenIp = row.last_seen_ip;
  return device;
}

interface RefreshRow {
  token_hash: string;
  user_id: string;
  device_id: string;
  previous_token_hash: string | null;
}

/** Builds the store over an open, migrated database (foreign keys on). */
export function createSqliteDeviceStore(db: Database.Database): DeviceStore {
  const insertDevice = db.prepare(INSERT_DEVICE);
  const updateDevice = db.prepare(UPDATE_DEVICE);
  const selectDevice = db.prepare<[string, string], DeviceRow>(SELECT_DEVICE);
  const selectDevices = db.prepare<[string], DeviceRow>(SELECT_DEVICES);
  const deleteDevice = db.prepare(DELETE_DEVICE);
  const insertToken = db.prepare(INSERT_TOKEN);
  const selectToken = db.prepare<[string], { user_id: string; device_id: string; expires_ts: number | null; previous_token_hash: string | null }>(SELECT_TOKEN);
  const selectRefresh = db.prepare<[string], { token_hash: string; user_id: string; device_id: string }>(SELECT_REFRESH);
  const deleteToken = db.prepare(DELETE_TOKEN);
  const deleteDeviceTokens = db.prepare(DELETE_DEVICE_TOKENS);
  const deleteUserTokens = db.prepare(DELETE_USER_TOKENS);
  const updateLastSeen = db.prepare(UPDATE_LAST_SEEN);
  const selectByRefresh = db.prepare<[string], RefreshRow>(SELECT_BY_REFRESH);
  const deleteSuccessors = db.prepare(DELETE_SUCCESSORS);
  const clearPrevious = db.prepare(CLEAR_PREVIOUS);
  const insertRefreshed = db.prepare(INSERT_REFRESHED);
  const selectPrevious = db.prepare<[string], { previous_token_hash: string | null }>(SELECT_PREVIOUS);

  // Write transactions start IMMEDIATE so a concurrent writer process waits on busy_timeout
  // instead of failing on a read-to-write lock upgrade.
  const upsert = db.transaction((userId: string, deviceId: string, displayName: string | null | undefined, lastSeenTs: number | undefined) => {
    const params = { userId, deviceId, displayName: displayName ?? null, lastSeenTs: lastSeenTs ?? null };
    if (insertDevice.run(params).changes > 0) return true;
    updateDevice.run({ ...params, setName: displayName === undefined ? 0 : 1 });
    return false;
  });
  // The foreign key cascades too; deleting the tokens explicitly keeps the rule visible here.
  const removeDevice = db.transaction((userId: string, deviceId: string) => {
    deleteDeviceTokens.run(userId, deviceId);
    return deleteDevice.run(userId, deviceId).changes > 0;
  });

  const rotate = db.transaction((refreshTokenHash: string, next: RotatedTokens) => {
    const old = selectByRefresh.get(refreshTokenHash);
    if (!old) return undefined;
    deleteSuccessors.run(old.token_hash); // earlier refreshes of this token whose result was never used
    if (old.previous_token_hash !== null) deleteToken.run(old.previous_token_hash); // this refresh token is now used
    clearPrevious.run(old.token_hash);
    insertRefreshed.run(next.tokenHash, old.user_id, old.device_id, next.expiresTs, next.refreshTokenHash, old.token_hash);
    return { userId: old.user_id, deviceId: old.device_id };
  });
  const retire = db.transaction((tokenHash: string) => {
    const previous = selectPrevious.get(tokenHash)?.previous_token_hash;
    if (previous === null || previous === undefined) return false;
    deleteToken.run(previous);
    clearPrevious.run(tokenHash);
    return true;
  });

  return {
    async upsertDevice(userId, deviceId, displayName, lastSeenTs) {
      try {
        return upsert.immediate(userId, deviceId, displayName, lastSeenTs);
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new UnknownUserError(userId);
        throw err;
      }
    },
    async getDevice(userId, deviceId) {
      const row = selectDevice.get(userId, deviceId);
      return row && toDevice(row);
    },
    async listDevices(userId) {
      return selectDevices.all(userId).map(toDevice);
    },
    async deleteDevice(userId, deviceId) {
      return removeDevice.immediate(userId, deviceId);
    },
    async createAccessToken(token: NewAccessToken) {
      let changes: number;
      try {
        changes = insertToken.run({
          tokenHash: token.tokenHash,
          userId: token.userId,
          deviceId: token.deviceId,
          expiresTs: token.expiresTs ?? null,
          refreshTokenHash: token.refreshTokenHash ?? null,
        }).changes;
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new UnknownDeviceError(token.userId, token.deviceId);
        throw err;
      }
      if (changes === 0) throw new TokenExistsError();
    },
    async findAccessToken(tokenHash) {
      const row = selectToken.get(tokenHash);
      if (!row) return undefined;
      const info: AccessTokenInfo = { userId: row.user_id, deviceId: row.device_id };
      if (row.expires_ts !== null) info.expiresTs = row.expires_ts;
      if (row.previous_token_hash !== null) info.previousTokenHash = row.previous_token_hash;
      return info;
    },
    async findRefreshToken(refreshTokenHash) {
      const row = selectRefresh.get(refreshTokenHash);
      return row && { accessTokenHash: row.token_hash, userId: row.user_id, deviceId: row.device_id };
    },
    async deleteAccessToken(tokenHash) {
      return deleteToken.run(tokenHash).changes > 0;
    },
    async deleteTokensForDevice(userId, deviceId) {
      return deleteDeviceTokens.run(userId, deviceId).changes;
    },
    async deleteTokensForUser(userId, exceptDeviceId) {
      return deleteUserTokens.run({ userId, exceptDeviceId: exceptDeviceId ?? null }).changes;
    },
    async recordLastSeen(userId, deviceId, lastSeenTs, lastSeenIp) {
      updateLastSeen.run(lastSeenTs, lastSeenIp, userId, deviceId);
    },
    async rotateRefreshToken(refreshTokenHash, next) {
      try {
        return rotate.immediate(refreshTokenHash, next);
      } catch (err) {
        if (isUniqueViolation(err)) throw new TokenExistsError();
        throw err;
      }
    },
    async retirePreviousToken(tokenHash) {
      return retire.immediate(tokenHash);
    },
  };
}
