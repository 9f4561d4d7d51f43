/** DeviceListStore over the SqlDriver: the device-list change stream, ids from the `device_lists` counter taken in the writing transaction. */
import type { SqlDriver, SqlParam } from '../sql-driver.js';
import type { DeviceListChange, DeviceListStore } from '../e2e-types.js';
import { CURRENT_ID, lockStream, nextId, streamPosition } from './stream-counter.js';

const INSERT_CHANGE = `INSERT INTO device_list_changes (stream_id, user_id, room_id, viewer)
  SELECT ${CURRENT_ID}, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT)`;
const SELECT_BETWEEN = 'SELECT stream_id, user_id, room_id, viewer FROM device_list_changes WHERE stream_id > ? AND stream_id <= ? ORDER BY stream_id';

export function createDeviceListStore(db: SqlDriver): DeviceListStore {
  return {
    async record(changes) {
      if (changes.length > 0) {
        const statements: Array<readonly [string, readonly SqlParam[]]> = [...lockStream(db, 'device_lists')];
        for (const c of changes) statements.push(nextId('device_lists'), [INSERT_CHANGE, ['device_lists', c.userId, c.roomId, c.viewer]]);
        await db.batch(statements);
      }
      return streamPosition(db, 'device_lists');
    },
    async changesBetween(since, upto) {
      if (upto <= since) return [];
      const rows = await db.all<{ stream_id: number | string; user_id: string; room_id: string; viewer: string }>(SELECT_BETWEEN, [since, upto]);
      return rows.map((r): DeviceListChange => ({ streamId: Number(r.stream_id), userId: r.user_id, roomId: r.room_id, viewer: r.viewer }));
    },
    position: () => streamPosition(db, 'device_lists'),
  };
}
