/** KeyBackupStore over the SqlDriver: backup versions per user and the opaque session keys stored in them. */
import type { SqlDriver } from '../sql-driver.js';
import type { JsonObject } from '../user-data-types.js';
import type { BackupVersion, KeyBackupStore, RoomKeyEntry } from '../e2e-types.js';

const INSERT_VERSION = `INSERT INTO e2e_room_keys_versions (user_id, version, algorithm, auth_data, etag, deleted)
  SELECT CAST(? AS TEXT), coalesce(max(version), 0) + 1, CAST(? AS TEXT), CAST(? AS TEXT), 0, 0 FROM e2e_room_keys_versions WHERE user_id = ?
  RETURNING version`;
const VERSION_COLUMNS = 'version, algorithm, auth_data, etag';
const SELECT_VERSION = `SELECT ${VERSION_COLUMNS} FROM e2e_room_keys_versions WHERE user_id = ? AND version = ? AND deleted = 0`;
const SELECT_CURRENT = `SELECT ${VERSION_COLUMNS} FROM e2e_room_keys_versions WHERE user_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1`;
const UPDATE_AUTH = 'UPDATE e2e_room_keys_versions SET auth_data = ? WHERE user_id = ? AND version = ? AND deleted = 0';
const MARK_DELETED = 'UPDATE e2e_room_keys_versions SET deleted = 1 WHERE user_id = ? AND version = ?';
const BUMP_ETAG = 'UPDATE e2e_room_keys_versions SET etag = etag + 1 WHERE user_id = ? AND version = ?';
// Spec §"Server-side key backups": keep the verified key, then the lower first_message_index, then the lower forwarded_count.
const UPSERT_KEY = `INSERT INTO e2e_room_keys (user_id, version, room_id, session_id, first_message_index, forwarded_count, is_verified, session_data)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (user_id, version, room_id, session_id) DO UPDATE SET
    first_message_index = excluded.first_message_index, forwarded_count = excluded.forwarded_count,
    is_verified = excluded.is_verified, session_data = excluded.session_data
  WHERE excluded.is_verified > e2e_room_keys.is_verified
     OR (excluded.is_verified = e2e_room_keys.is_verified AND (excluded.first_message_index < e2e_room_keys.first_message_index
     OR (excluded.first_message_index = e2e_room_keys.first_message_index AND excluded.forwarded_count < e2e_room_keys.forwarded_count)))`;
const KEY_COLUMNS = 'room_id, session_id, first_message_index, forwarded_count, is_verified, session_data';
const COUNT_KEYS = 'SELECT count(*) AS n FROM e2e_room_keys WHERE user_id = ? AND version = ?';

type VersionRow = { version: number | string; algorithm: string; auth_data: string; etag: number | string };
type KeyRow = { room_id: string; session_id: string; first_message_index: number | string; forwarded_count: number | string; is_verified: number | string; session_data: string };

const toVersion = (r: VersionRow): BackupVersion => ({ version: String(r.version), algorithm: r.algorithm, authData: JSON.parse(r.auth_data) as JsonObject, etag: Number(r.etag) });
const toEntry = (r: KeyRow): RoomKeyEntry => ({
  roomId: r.room_id, sessionId: r.session_id,
  key: { firstMessageIndex: Number(r.first_message_index), forwardedCount: Number(r.forwarded_count), isVerified: Number(r.is_verified) === 1, sessionData: JSON.parse(r.session_data) as JsonObject },
});

/** Version ids are decimal integers; anything else names no version. */
const versionNumber = (v: string): number | undefined => (/^[1-9]\d{0,15}$/.test(v) ? Number(v) : undefined);

/** WHERE clause and parameters selecting the keys of a version, a room or one session. */
function scope(userId: string, version: number, roomId?: string, sessionId?: string): [string, Array<string | number>] {
  let where = 'user_id = ? AND version = ?';
  const params: Array<string | number> = [userId, version];
  if (roomId !== undefined) { where += ' AND room_id = ?'; params.push(roomId); }
  if (roomId !== undefined && sessionId !== undefined) { where += ' AND session_id = ?'; params.push(sessionId); }
  return [where, params];
}

export function createKeyBackupStore(db: SqlDriver): KeyBackupStore {
  return {
    async createVersion(userId, algorithm, authData) {
      // Two creates racing for the same number: the loser retries with the next one.
      for (let attempt = 0; ; attempt++) {
        try {
          const row = await db.get<{ version: number | string }>(INSERT_VERSION, [userId, algorithm, JSON.stringify(authData), userId]);
          return String(row!.version);
        } catch (err) {
          if (attempt >= 4) throw err;
        }
      }
    },
    async getVersion(userId, version) {
      if (version === undefined) {
        const row = await db.get<VersionRow>(SELECT_CURRENT, [userId]);
        return row && toVersion(row);
      }
      const n = versionNumber(version);
      if (n === undefined) return undefined;
      const row = await db.get<VersionRow>(SELECT_VERSION, [userId, n]);
      return row && toVersion(row);
    },
    async updateVersion(userId, version, authData) {
      const n = versionNumber(version);
      if (n === undefined) return false;
      return (await db.run(UPDATE_AUTH, [JSON.stringify(authData), userId, n])).changes === 1;
    },
    async deleteVersion(userId, version) {
      const n = versionNumber(version);
      if (n === undefined) return false;
      const [marked] = await db.batch([[MARK_DELETED, [userId, n]], ['DELETE FROM e2e_room_keys WHERE user_id = ? AND version = ?', [userId, n]]]);
      return marked === 1;
    },
    async putKeys(userId, version, keys) {
      const n = versionNumber(version);
      if (n === undefined || keys.length === 0) return 0;
      const changes = await db.batch(keys.map((k) => [UPSERT_KEY, [
        userId, n, k.roomId, k.sessionId, k.key.firstMessageIndex, k.key.forwardedCount, k.key.isVerified ? 1 : 0, JSON.stringify(k.key.sessionData),
      ]] as const));
      const written = changes.reduce((a, b) => a + b, 0);
      if (written > 0) await db.run(BUMP_ETAG, [userId, n]);
      return written;
    },
    async getKeys(userId, version, roomId, sessionId) {
      const n = versionNumber(version);
      if (n === undefined) return [];
      const [where, params] = scope(userId, n, roomId, sessionId);
      return (await db.all<KeyRow>(`SELECT ${KEY_COLUMNS} FROM e2e_room_keys WHERE ${where} ORDER BY room_id, session_id`, params)).map(toEntry);
    },
    async deleteKeys(userId, version, roomId, sessionId) {
      const n = versionNumber(version);
      if (n === undefined) return;
      const [where, params] = scope(userId, n, roomId, sessionId);
      await db.batch([[`DELETE FROM e2e_room_keys WHERE ${where}`, params], [BUMP_ETAG, [userId, n]]]);
    },
    async countKeys(userId, version) {
      const n = versionNumber(version);
      if (n === undefined) return 0;
      return Number((await db.get<{ n: number | string }>(COUNT_KEYS, [userId, n]))!.n);
    },
  };
}
