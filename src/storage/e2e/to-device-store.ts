/** ToDeviceStore over the SqlDriver: per-device inboxes with ids from the `to_device` counter, sends idempotent per transaction id. */
import { randomBytes } from 'node:crypto';
import type { SqlDriver, SqlParam } from '../sql-driver.js';
import type { JsonObject } from '../user-data-types.js';
import type { ToDeviceMessage, ToDeviceStore } from '../e2e-types.js';
import { CURRENT_ID, lockStream, placeholders, streamPosition } from './stream-counter.js';

// The transaction row is claimed with a fresh nonce; every later statement of the batch only acts
// when that nonce won, so a repeated (or concurrent) send of the same transaction queues nothing.
const INSERT_TXN = 'INSERT INTO to_device_txns (user_id, device_id, txn_id, nonce, created_ts) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING';
const OURS = 'EXISTS (SELECT 1 FROM to_device_txns WHERE user_id = ? AND device_id = ? AND txn_id = ? AND nonce = ?)';
const BUMP_IF_OURS = `UPDATE e2e_stream_positions SET position = position + 1 WHERE name = ? AND ${OURS}`;
const INSERT_IF_OURS = `INSERT INTO to_device_inbox (stream_id, user_id, device_id, sender, type, content)
  SELECT ${CURRENT_ID}, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT) WHERE ${OURS}`;
const SELECT_PENDING = `SELECT stream_id, sender, type, content FROM to_device_inbox
  WHERE user_id = ? AND device_id = ? AND stream_id > ? AND stream_id <= ? ORDER BY stream_id LIMIT ?`;
const DELETE_UP_TO = 'DELETE FROM to_device_inbox WHERE user_id = ? AND device_id = ? AND stream_id <= ?';

export function createToDeviceStore(db: SqlDriver): ToDeviceStore {
  return {
    async send(sender, txnId, type, deliveries, ts) {
      const nonce = randomBytes(12).toString('base64url');
      const ours = [sender.userId, sender.deviceId, txnId, nonce];
      const statements: Array<readonly [string, readonly SqlParam[]]> = [...lockStream(db, 'to_device'), [INSERT_TXN, [...ours.slice(0, 3), nonce, ts]]];
      for (const d of deliveries) {
        statements.push([BUMP_IF_OURS, ['to_device', ...ours]]);
        statements.push([INSERT_IF_OURS, ['to_device', d.userId, d.deviceId, sender.userId, type, JSON.stringify(d.content), ...ours]]);
      }
      const changes = await db.batch(statements);
      const sent = changes[statements.length - 1 - deliveries.length * 2] === 1;
      return { sent, position: await streamPosition(db, 'to_device') };
    },
    async pending(userId, deviceId, after, upto, limit) {
      if (upto <= after || limit <= 0) return [];
      const rows = await db.all<{ stream_id: number | string; sender: string; type: string; content: string }>(SELECT_PENDING, [userId, deviceId, after, upto, limit]);
      return rows.map((r): ToDeviceMessage => ({ streamId: Number(r.stream_id), sender: r.sender, type: r.type, content: JSON.parse(r.content) as JsonObject }));
    },
    async deleteUpTo(userId, deviceId, upTo) {
      return (await db.run(DELETE_UP_TO, [userId, deviceId, upTo])).changes;
    },
    async deleteForDevices(userId, deviceIds) {
      if (deviceIds.length === 0) return;
      await db.run(`DELETE FROM to_device_inbox WHERE user_id = ? AND device_id IN (${placeholders(deviceIds.length)})`, [userId, ...deviceIds]);
    },
    position: () => streamPosition(db, 'to_device'),
  };
}
