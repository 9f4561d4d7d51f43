/** The room directory's aliases and read receipts, over the SqlDriver. */
import type { SqlDriver } from '../sql-driver.js';
import type { RoomStore } from '../room-types.js';

const INSERT_ALIAS = 'INSERT INTO room_aliases (alias, room_id, creator) VALUES (?, ?, ?) ON CONFLICT DO NOTHING';
const SELECT_ALIAS = 'SELECT room_id, creator FROM room_aliases WHERE alias = ?';
const DELETE_ALIAS = 'DELETE FROM room_aliases WHERE alias = ?';
const SELECT_ROOM_ALIASES = 'SELECT alias FROM room_aliases WHERE room_id = ? ORDER BY alias';
const INSERT_FORGOTTEN = 'INSERT INTO forgotten_rooms (user_id, room_id) VALUES (?, ?) ON CONFLICT DO NOTHING';
const DELETE_FORGOTTEN = 'DELETE FROM forgotten_rooms WHERE user_id = ? AND room_id = ?';
const SELECT_FORGOTTEN = 'SELECT room_id FROM forgotten_rooms WHERE user_id = ?';
const MAX_RECEIPT = 'SELECT coalesce(max(stream_id), 0) AS m FROM receipts';
const UPSERT_RECEIPT = `INSERT INTO receipts (room_id, user_id, receipt_type, thread_id, event_id, ts, stream_id) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (room_id, user_id, receipt_type, thread_id) DO UPDATE SET event_id = excluded.event_id, ts = excluded.ts, stream_id = excluded.stream_id`;

const SELECT_USER_RECEIPTS = 'SELECT room_id, user_id, receipt_type, thread_id, event_id, ts, stream_id FROM receipts WHERE room_id = ? AND user_id = ?';

type ReceiptDbRow = { room_id: string; user_id: string; receipt_type: string; thread_id: string; event_id: string; ts: number | string; stream_id: number | string };
const toReceipt = (r: ReceiptDbRow) => ({ roomId: r.room_id, userId: r.user_id, receiptType: r.receipt_type, threadId: r.thread_id, eventId: r.event_id, ts: Number(r.ts), streamId: Number(r.stream_id) });

type Extras = Pick<RoomStore, 'userReceipts' | 'setForgotten' | 'forgottenRooms' | 'createAlias' | 'getAlias' | 'deleteAlias' | 'aliasesForRoom' | 'maxReceiptStreamId' | 'putReceipt' | 'receiptsForRooms'>;

export function createRoomExtras(db: SqlDriver): Extras {
  return {
    async createAlias(alias, roomId, creator) { return (await db.run(INSERT_ALIAS, [alias, roomId, creator])).changes === 1; },
    async getAlias(alias) {
      const r = await db.get<{ room_id: string; creator: string }>(SELECT_ALIAS, [alias]);
      return r && { roomId: r.room_id, creator: r.creator };
    },
    async deleteAlias(alias) { return (await db.run(DELETE_ALIAS, [alias])).changes === 1; },
    async aliasesForRoom(roomId) { return (await db.all<{ alias: string }>(SELECT_ROOM_ALIASES, [roomId])).map((r) => r.alias); },
    async setForgotten(userId, roomId, forgotten) { await db.run(forgotten ? INSERT_FORGOTTEN : DELETE_FORGOTTEN, [userId, roomId]); },
    async forgottenRooms(userId) { return new Set((await db.all<{ room_id: string }>(SELECT_FORGOTTEN, [userId])).map((r) => r.room_id)); },
    async userReceipts(roomId, userId) { return (await db.all<ReceiptDbRow>(SELECT_USER_RECEIPTS, [roomId, userId])).map(toReceipt); },
    async maxReceiptStreamId() { return Number((await db.get<{ m: number | string }>(MAX_RECEIPT))!.m); },
    async putReceipt(r) { await db.run(UPSERT_RECEIPT, [r.roomId, r.userId, r.receiptType, r.threadId, r.eventId, r.ts, r.streamId]); },
    async receiptsForRooms(roomIds, since) {
      if (roomIds.length === 0) return [];
      const rows = await db.all<{ room_id: string; user_id: string; receipt_type: string; thread_id: string; event_id: string; ts: number | string; stream_id: number | string }>(
        `SELECT room_id, user_id, receipt_type, thread_id, event_id, ts, stream_id FROM receipts WHERE stream_id > ? AND room_id IN (${roomIds.map(() => '?').join(',')}) ORDER BY stream_id`,
        [since, ...roomIds]);
      return rows.map((r) => ({ roomId: r.room_id, userId: r.user_id, receiptType: r.receipt_type, threadId: r.thread_id, eventId: r.event_id, ts: Number(r.ts), streamId: Number(r.stream_id) }));
    },
  };
}
