/** SQLite AccountDataStore: the `account_data` table, each write taking the next stream id in the same statement. */
import type Database from 'better-sqlite3';
import type { AccountDataEvent, AccountDataStore, JsonObject } from '../user-data-types.js';
import { groupChanges } from '../user-data-rules.js';

// One statement, so atomic: SQLite runs one writer at a time, and the subquery sees every committed id.
const UPSERT = `
INSERT INTO account_data (user_id, room_id, type, content, stream_id)
VALUES (?, ?, ?, ?, (SELECT coalesce(max(stream_id), 0) + 1 FROM account_data))
ON CONFLICT (user_id, room_id, type) DO UPDATE SET content = excluded.content, stream_id = excluded.stream_id
RETURNING stream_id`;
const SELECT_ONE = 'SELECT content FROM account_data WHERE user_id = ? AND room_id = ? AND type = ?';
const SELECT_ROOM = 'SELECT type, content FROM account_data WHERE user_id = ? AND room_id = ? ORDER BY type';
const SELECT_CHANGES = `
SELECT room_id, type, content, stream_id FROM account_data
WHERE user_id = ? AND stream_id > ? AND stream_id <= ?
ORDER BY stream_id`;
const SELECT_MAX = 'SELECT coalesce(max(stream_id), 0) AS max FROM account_data';

interface ChangeRow {
  room_id: string;
  type: string;
  content: string;
  stream_id: number;
}

/** Builds the store over an open, migrated database. */
export function createSqliteAccountDataStore(db: Database.Database): AccountDataStore {
  const upsert = db.prepare<[string, string, string, string], { stream_id: number }>(UPSERT);
  const selectOne = db.prepare<[string, string, string], { content: string }>(SELECT_ONE);
  const selectRoom = db.prepare<[string, string], { type: string; content: string }>(SELECT_ROOM);
  const selectChanges = db.prepare<[string, number, number], ChangeRow>(SELECT_CHANGES);
  const selectMax = db.prepare<[], { max: number }>(SELECT_MAX);
  const list = (userId: string, roomId: string): AccountDataEvent[] =>
    selectRoom.all(userId, roomId).map((r) => ({ type: r.type, content: JSON.parse(r.content) as JsonObject }));

  return {
    async get(userId, roomId, type) {
      const row = selectOne.get(userId, roomId ?? '', type);
      return row && (JSON.parse(row.content) as JsonObject);
    },
    async set(userId, roomId, type, content) {
      return upsert.get(userId, roomId ?? '', type, JSON.stringify(content))!.stream_id;
    },
    async listGlobal(userId) {
      return list(userId, '');
    },
    async listForRoom(userId, roomId) {
      return list(userId, roomId);
    },
    async changesSince(userId, sinceStreamId, toStreamId) {
      const rows = selectChanges.all(userId, sinceStreamId, toStreamId ?? Number.MAX_SAFE_INTEGER);
      return groupChanges(rows.map((r) => ({ roomId: r.room_id, type: r.type, content: r.content, streamId: r.stream_id })), sinceStreamId);
    },
    async currentStreamId() {
      return selectMax.get()!.max;
    },
  };
}
