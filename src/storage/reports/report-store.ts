/** ReportStore over the SqlDriver: the `content_reports` table, one SQL text for SQLite and PostgreSQL. */
import type { SqlDriver } from '../sql-driver.js';
import type { NewReport, ReportKind, ReportRecord, ReportStore } from '../report-types.js';

const COLUMNS = 'id, kind, room_id, event_id, target_user_id, reporter, reason, received_ts';
const INSERT_REPORT = `INSERT INTO content_reports (kind, room_id, event_id, target_user_id, reporter, reason, received_ts)
  VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`;
const SELECT_REPORT = `SELECT ${COLUMNS} FROM content_reports WHERE id = ?`;
const SELECT_REPORTS = `SELECT ${COLUMNS} FROM content_reports WHERE id > ? ORDER BY id LIMIT ?`;

interface ReportRow {
  id: number | string;
  kind: string;
  room_id: string | null;
  event_id: string | null;
  target_user_id: string | null;
  reporter: string;
  reason: string | null;
  received_ts: number | string;
}

const toRecord = (r: ReportRow): ReportRecord => ({
  id: Number(r.id), kind: r.kind as ReportKind, roomId: r.room_id, eventId: r.event_id, targetUserId: r.target_user_id,
  reporter: r.reporter, reason: r.reason, receivedTs: Number(r.received_ts),
});

export function createReportStore(db: SqlDriver): ReportStore {
  return {
    async add(r: NewReport) {
      const row = await db.get<{ id: number | string }>(INSERT_REPORT, [r.kind, r.roomId, r.eventId, r.targetUserId, r.reporter, r.reason, r.receivedTs]);
      return Number(row!.id);
    },
    async get(id) {
      const row = await db.get<ReportRow>(SELECT_REPORT, [id]);
      return row && toRecord(row);
    },
    async list(afterId, limit) {
      return (await db.all<ReportRow>(SELECT_REPORTS, [afterId, limit])).map(toRecord);
    },
  };
}
