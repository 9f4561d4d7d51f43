/** PostgreSQL AccountDataStore: `account_data`, each write taking the next stream id under an advisory transaction lock. */
import type pg from 'pg';
import type { AccountDataEvent, AccountDataStore, JsonObject } from '../user-data-types.js';
import { groupChanges } from '../user-data-rules.js';
import { run, statement, toNumber } from './query.js';

// Writers serialise on this lock (released at COMMIT), so stream ids commit in increasing order and a
// reader never sees id N+1 before N. Keyed by schema: instances sharing a database do not contend.
const LOCK_STREAM = statement('lock_account_data_stream', "SELECT pg_advisory_xact_lock(hashtext('hearth.account_data.stream:' || current_schema()))");
const UPSERT = statement('upsert_account_data', `
INSERT INTO account_data (user_id, room_id, type, content, stream_id)
VALUES ($1, $2, $3, $4, (SELECT coalesce(max(stream_id), 0) + 1 FROM account_data))
ON CONFLICT (user_id, room_id, type) DO UPDATE SET content = excluded.content, stream_id = excluded.stream_id
RETURNING stream_id`);
const SELECT_ONE = statement('select_account_data', 'SELECT content FROM account_data WHERE user_id = $1 AND room_id = $2 AND type = $3');
// COLLATE "C": order by code point, as SQLite does, whatever the database's locale.
const SELECT_ROOM = statement('select_account_data_room', 'SELECT type, content FROM account_data WHERE user_id = $1 AND room_id = $2 ORDER BY type COLLATE "C"');
const SELECT_CHANGES = statement('select_account_data_changes', `
SELECT room_id, type, content, stream_id FROM account_data
WHERE user_id = $1 AND stream_id > $2 AND stream_id <= $3
ORDER BY stream_id`);
const SELECT_MAX = statement('select_account_data_max', 'SELECT coalesce(max(stream_id), 0) AS max FROM account_data');

interface ChangeRow {
  room_id: string;
  type: string;
  content: string;
  stream_id: string;
}

/** Builds the store over a pool whose search_path reaches the migrated schema. */
export function createPostgresAccountDataStore(pool: pg.Pool): AccountDataStore {
  const list = async (userId: string, roomId: string): Promise<AccountDataEvent[]> =>
    (await run<{ type: string; content: string }>(pool, SELECT_ROOM, [userId, roomId])).rows
      .map((r) => ({ type: r.type, content: JSON.parse(r.content) as JsonObject }));

  return {
    async get(userId, roomId, type) {
      const { rows } = await run<{ content: string }>(pool, SELECT_ONE, [userId, roomId ?? '', type]);
      return rows.length > 0 ? (JSON.parse(rows[0].content) as JsonObject) : undefined;
    },
    async set(userId, roomId, type, content) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await run(client, LOCK_STREAM, []);
        const { rows } = await run<{ stream_id: string }>(client, UPSERT, [userId, roomId ?? '', type, JSON.stringify(content)]);
        await client.query('COMMIT');
        return toNumber(rows[0].stream_id);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listGlobal(userId) {
      return list(userId, '');
    },
    async listForRoom(userId, roomId) {
      return list(userId, roomId);
    },
    async changesSince(userId, sinceStreamId, toStreamId) {
      const { rows } = await run<ChangeRow>(pool, SELECT_CHANGES, [userId, sinceStreamId, toStreamId ?? Number.MAX_SAFE_INTEGER]);
      return groupChanges(rows.map((r) => ({ roomId: r.room_id, type: r.type, content: r.content, streamId: toNumber(r.stream_id) })), sinceStreamId);
    },
    async currentStreamId() {
      const { rows } = await run<{ max: string }>(pool, SELECT_MAX, []);
      return toNumber(rows[0].max);
    },
  };
}
