/** RoomStore over the SqlDriver: one SQL text for SQLite and PostgreSQL (events, state groups, current state, extremities, txns). */
import type { SqlDriver, SqlParam } from '../sql-driver.js';
import { txnKey, type RoomStore, type StoredEvent, type StateEntry, type PersistEvent } from '../room-types.js';
import { createRoomExtras } from './room-extras.js';

const EVENT_COLUMNS = 'stream_ordering, event_id, json, state_group, rejected, redacted_by, txn_user, txn_device, txn_id';
const INSERT_ROOM = 'INSERT INTO rooms (room_id, room_version, creator, is_public, created_ts) VALUES (?, ?, ?, ?, ?)';
const SELECT_ROOM = 'SELECT room_id, room_version, creator, is_public, created_ts FROM rooms WHERE room_id = ?';
const UPDATE_ROOM_PUBLIC = 'UPDATE rooms SET is_public = ? WHERE room_id = ?';
const SELECT_PUBLIC_ROOMS = 'SELECT room_id FROM rooms WHERE is_public = 1 ORDER BY created_ts';
const MAX_IDS = 'SELECT (SELECT coalesce(max(stream_ordering), 0) FROM events) AS so, (SELECT coalesce(max(id), 0) FROM state_groups) AS sg';
const INSERT_EVENT = `INSERT INTO events (stream_ordering, event_id, room_id, type, state_key, sender, depth, origin_server_ts, json,
  state_group, rejected, soft_failed, txn_user, txn_device, txn_id, rel_type, relates_to, thread_root)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_GROUP = 'INSERT INTO state_groups (id, room_id, prev_group, chain_len) VALUES (?, ?, ?, ?)';
const INSERT_GROUP_ENTRY = 'INSERT INTO state_group_entries (group_id, type, state_key, event_id) VALUES (?, ?, ?, ?)';
const UPSERT_CURRENT = `INSERT INTO current_state (room_id, type, state_key, event_id, membership) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (room_id, type, state_key) DO UPDATE SET event_id = excluded.event_id, membership = excluded.membership`;
const DELETE_EXTREMITIES = 'DELETE FROM forward_extremities WHERE room_id = ?';
const INSERT_EXTREMITY = 'INSERT INTO forward_extremities (room_id, event_id) VALUES (?, ?)';
const SELECT_EVENT = `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`;
const SELECT_GROUP = 'SELECT prev_group, chain_len FROM state_groups WHERE id = ?';
const SELECT_GROUP_ENTRIES = 'SELECT type, state_key, event_id FROM state_group_entries WHERE group_id = ?';
const SELECT_CURRENT = 'SELECT type, state_key, event_id FROM current_state WHERE room_id = ?';
const SELECT_EXTREMITIES = 'SELECT event_id FROM forward_extremities WHERE room_id = ? ORDER BY event_id';
// Send transactions live on their events (index events_by_txn; the `IS NOT NULL` term lets the planner use it).
const SEND_SCOPE = 'send';
const SELECT_TXN = 'SELECT event_id FROM events WHERE txn_user = ? AND txn_device = ? AND txn_id = ? AND txn_id IS NOT NULL';
const SELECT_TXNS = 'SELECT txn_user, txn_device, txn_id, event_id FROM events WHERE txn_id IS NOT NULL AND (txn_user, txn_device, txn_id) IN (VALUES';
const SELECT_ROOMS_FOR_USER = "SELECT room_id, membership, event_id FROM current_state WHERE state_key = ? AND type = 'm.room.member'";
const SELECT_MEMBERS = "SELECT state_key, membership, event_id FROM current_state WHERE room_id = ? AND type = 'm.room.member'";
const SELECT_EVENTS_F = `SELECT ${EVENT_COLUMNS} FROM events WHERE room_id = ? AND stream_ordering > ? AND stream_ordering < ? ORDER BY stream_ordering ASC LIMIT ?`;
const SELECT_EVENTS_B = `SELECT ${EVENT_COLUMNS} FROM events WHERE room_id = ? AND stream_ordering < ? AND stream_ordering > ? ORDER BY stream_ordering DESC LIMIT ?`;
const SELECT_STATE_HISTORY = 'SELECT stream_ordering, event_id, state_key FROM events WHERE room_id = ? AND type = ? AND state_key IS NOT NULL AND rejected IS NULL ORDER BY stream_ordering';
const SELECT_STATE_HISTORY_KEY = 'SELECT stream_ordering, event_id, state_key FROM events WHERE room_id = ? AND type = ? AND state_key = ? AND rejected IS NULL ORDER BY stream_ordering';
const SELECT_RELATIONS = `SELECT ${EVENT_COLUMNS} FROM events WHERE relates_to = ? AND relates_to IS NOT NULL AND room_id = ? AND rejected IS NULL ORDER BY stream_ordering`;
const SELECT_RELATIONS_TYPED = `SELECT ${EVENT_COLUMNS} FROM events WHERE relates_to = ? AND relates_to IS NOT NULL AND room_id = ? AND rel_type = ? AND rejected IS NULL ORDER BY stream_ordering`;
const SELECT_THREAD_ROOTS = "SELECT DISTINCT relates_to FROM events WHERE room_id = ? AND rel_type = 'm.thread' AND rejected IS NULL";
const UPDATE_REDACTED = 'UPDATE events SET redacted_by = ? WHERE event_id = ? AND redacted_by IS NULL';
const SELECT_AT_TS_F = `SELECT ${EVENT_COLUMNS} FROM events WHERE room_id = ? AND origin_server_ts >= ? AND rejected IS NULL ORDER BY origin_server_ts ASC, stream_ordering ASC LIMIT 1`;
const SELECT_AT_TS_B = `SELECT ${EVENT_COLUMNS} FROM events WHERE room_id = ? AND origin_server_ts <= ? AND rejected IS NULL ORDER BY origin_server_ts DESC, stream_ordering DESC LIMIT 1`;

interface EventRow {
  stream_ordering: number | string;
  event_id: string;
  json: string;
  state_group: number | string | null;
  rejected: string | null;
  redacted_by: string | null;
  txn_user: string | null;
  txn_device: string | null;
  txn_id: string | null;
}

const num = (v: number | string) => (typeof v === 'number' ? v : Number(v));

function toStored(row: EventRow): StoredEvent {
  return {
    pdu: JSON.parse(row.json),
    streamOrdering: num(row.stream_ordering),
    stateGroup: row.state_group === null ? null : num(row.state_group),
    rejected: row.rejected,
    redactedBy: row.redacted_by,
    txn: row.txn_user && row.txn_device && row.txn_id ? { userId: row.txn_user, deviceId: row.txn_device, txnId: row.txn_id } : null,
  };
}

const toEntry = (r: { type: string; state_key: string; event_id: string }): StateEntry => ({ type: r.type, stateKey: r.state_key, eventId: r.event_id });

function persistStatements(p: PersistEvent, out: Array<readonly [string, SqlParam[]]> = [], lastInRoom = true): Array<readonly [string, SqlParam[]]> {
  const e = p.event;
  const g = p.stateGroup;
  if (g?.isNew) {
    out.push([INSERT_GROUP, [g.id, e.room_id, g.prevGroup, g.chainLen]]);
    for (const s of g.delta) out.push([INSERT_GROUP_ENTRY, [g.id, s.type, s.stateKey, s.eventId]]);
  }
  out.push([INSERT_EVENT, [
    p.streamOrdering, e.event_id, e.room_id, e.type, e.state_key ?? null, e.sender, e.depth, e.origin_server_ts, p.json ?? JSON.stringify(e),
    g?.id ?? null, p.rejected ?? null, p.softFailed ? 1 : 0, p.txn?.userId ?? null, p.txn?.deviceId ?? null, p.txn?.txnId ?? null,
    p.relation?.relType ?? null, p.relation?.relatesTo ?? null, p.relation?.threadRoot ?? null,
  ]]);
  for (const s of p.currentState) {
    const membership = s.type === 'm.room.member' && s.eventId === e.event_id ? String(e.content?.membership ?? '') : null;
    out.push([UPSERT_CURRENT, [e.room_id, s.type, s.stateKey, s.eventId, membership]]);
  }
  if (!p.rejected && !p.softFailed && lastInRoom) {
    out.push([DELETE_EXTREMITIES, [e.room_id]]);
    for (const x of p.extremities) out.push([INSERT_EXTREMITY, [e.room_id, x]]);
  }
  return out;
}

export function createRoomStore(db: SqlDriver): RoomStore {
  return {
    ...createRoomExtras(db),
    async createRoom(r) {
      await db.run(INSERT_ROOM, [r.roomId, r.roomVersion, r.creator, r.isPublic ? 1 : 0, r.createdTs]);
    },
    async getRoom(roomId) {
      const r = await db.get<{ room_id: string; room_version: string; creator: string | null; is_public: number | string; created_ts: number | string }>(SELECT_ROOM, [roomId]);
      return r && { roomId: r.room_id, roomVersion: r.room_version, creator: r.creator, isPublic: num(r.is_public) === 1, createdTs: num(r.created_ts) };
    },
    async setRoomPublic(roomId, isPublic) { await db.run(UPDATE_ROOM_PUBLIC, [isPublic ? 1 : 0, roomId]); },
    async listPublicRooms() { return (await db.all<{ room_id: string }>(SELECT_PUBLIC_ROOMS)).map((r) => r.room_id); },
    async maxIds() {
      const r = (await db.get<{ so: number | string; sg: number | string }>(MAX_IDS))!;
      return { streamOrdering: num(r.so), stateGroup: num(r.sg) };
    },
    async persistEvent(p) { await db.batch(persistStatements(p)); },
    async persistEvents(ps) {
      // Only the last accepted event of each room decides its forward extremities.
      const last = new Map<string, PersistEvent>();
      for (const p of ps) if (!p.rejected && !p.softFailed) last.set(p.event.room_id, p);
      const out: Array<readonly [string, SqlParam[]]> = [];
      for (const p of ps) persistStatements(p, out, last.get(p.event.room_id) === p);
      await db.batch(out);
    },
    async getEvent(eventId) {
      const row = await db.get<EventRow>(SELECT_EVENT, [eventId]);
      return row && toStored(row);
    },
    async getEvents(eventIds) {
      const out = new Map<string, StoredEvent>();
      const unique = [...new Set(eventIds)];
      for (let i = 0; i < unique.length; i += 200) {
        const chunk = unique.slice(i, i + 200);
        const rows = await db.all<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id IN (${chunk.map(() => '?').join(',')})`, chunk);
        for (const row of rows) out.set(row.event_id, toStored(row));
      }
      return out;
    },
    async getStateGroup(id) {
      const g = await db.get<{ prev_group: number | string | null; chain_len: number | string }>(SELECT_GROUP, [id]);
      if (!g) return undefined;
      const delta = (await db.all<{ type: string; state_key: string; event_id: string }>(SELECT_GROUP_ENTRIES, [id])).map(toEntry);
      return { prevGroup: g.prev_group === null ? null : num(g.prev_group), chainLen: num(g.chain_len), delta };
    },
    async getCurrentState(roomId) { return (await db.all<{ type: string; state_key: string; event_id: string }>(SELECT_CURRENT, [roomId])).map(toEntry); },
    async getForwardExtremities(roomId) { return (await db.all<{ event_id: string }>(SELECT_EXTREMITIES, [roomId])).map((r) => r.event_id); },
    async getTxn(userId, deviceId, scope, txnId) {
      if (scope !== SEND_SCOPE) return undefined;
      return (await db.get<{ event_id: string }>(SELECT_TXN, [userId, deviceId, txnId]))?.event_id;
    },
    async getTxns(scope, txns) {
      const out = new Map<string, string>();
      if (scope !== SEND_SCOPE) return out;
      // One statement for the group (a row-value IN over VALUES, on both backends), at most 64 rows a statement.
      for (let i = 0; i < txns.length; i += 64) {
        const chunk = txns.slice(i, i + 64);
        const params: SqlParam[] = [];
        for (const t of chunk) params.push(t.userId, t.deviceId, t.txnId);
        const rows = await db.all<{ txn_user: string; txn_device: string; txn_id: string; event_id: string }>(
          `${SELECT_TXNS} ${chunk.map(() => '(?, ?, ?)').join(', ')})`, params);
        for (const r of rows) out.set(txnKey(r.txn_user, r.txn_device, r.txn_id), r.event_id);
      }
      return out;
    },
    async roomsForUser(userId) {
      return (await db.all<{ room_id: string; membership: string; event_id: string }>(SELECT_ROOMS_FOR_USER, [userId]))
        .map((r) => ({ roomId: r.room_id, membership: r.membership, eventId: r.event_id }));
    },
    async membersOfRoom(roomId) {
      return (await db.all<{ state_key: string; membership: string; event_id: string }>(SELECT_MEMBERS, [roomId]))
        .map((r) => ({ userId: r.state_key, membership: r.membership, eventId: r.event_id }));
    },
    async roomEvents(q) {
      const rows = q.dir === 'f'
        ? await db.all<EventRow>(SELECT_EVENTS_F, [q.roomId, q.from, q.to, q.limit])
        : await db.all<EventRow>(SELECT_EVENTS_B, [q.roomId, q.from, q.to, q.limit]);
      return rows.map(toStored);
    },
    async roomsChangedBetween(roomIds, since, until) {
      const out = new Set<string>();
      for (let i = 0; i < roomIds.length; i += 200) {
        const chunk = roomIds.slice(i, i + 200);
        const rows = await db.all<{ room_id: string }>(
          `SELECT DISTINCT room_id FROM events WHERE stream_ordering > ? AND stream_ordering <= ? AND room_id IN (${chunk.map(() => '?').join(',')})`,
          [since, until, ...chunk]);
        for (const r of rows) out.add(r.room_id);
      }
      return out;
    },
    async stateHistory(roomId, type, stateKey) {
      const rows = stateKey === null
        ? await db.all<{ stream_ordering: number | string; event_id: string; state_key: string }>(SELECT_STATE_HISTORY, [roomId, type])
        : await db.all<{ stream_ordering: number | string; event_id: string; state_key: string }>(SELECT_STATE_HISTORY_KEY, [roomId, type, stateKey]);
      return rows.map((r) => ({ streamOrdering: num(r.stream_ordering), eventId: r.event_id, stateKey: r.state_key }));
    },
    async relations(roomId, eventId, relType) {
      const rows = relType === null
        ? await db.all<EventRow>(SELECT_RELATIONS, [eventId, roomId])
        : await db.all<EventRow>(SELECT_RELATIONS_TYPED, [eventId, roomId, relType]);
      return rows.map(toStored);
    },
    async threadRoots(roomId) { return (await db.all<{ relates_to: string }>(SELECT_THREAD_ROOTS, [roomId])).map((r) => r.relates_to); },
    async setRedactedBy(eventId, redactionId) { await db.run(UPDATE_REDACTED, [redactionId, eventId]); },
    async eventAtTimestamp(roomId, ts, dir) {
      const row = await db.get<EventRow>(dir === 'f' ? SELECT_AT_TS_F : SELECT_AT_TS_B, [roomId, ts]);
      return row && toStored(row);
    },
  };
}
