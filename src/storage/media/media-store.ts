/** MediaStore over the SqlDriver: the `media` table, one SQL text for SQLite and PostgreSQL. */
import type { SqlDriver } from '../sql-driver.js';
import type { MediaContent, MediaRecord, MediaStore } from '../media-types.js';

const COLUMNS = 'media_id, user_id, created_ts, expires_ts, content_type, upload_name, size, sha256, uploaded_ts';
const INSERT_MEDIA = `INSERT INTO media (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (media_id) DO NOTHING`;
const SELECT_MEDIA = `SELECT ${COLUMNS} FROM media WHERE media_id = ?`;
const COMPLETE_UPLOAD = `UPDATE media SET content_type = ?, upload_name = ?, size = ?, sha256 = ?, uploaded_ts = ?
  WHERE media_id = ? AND uploaded_ts IS NULL`;
const COUNT_PENDING = 'SELECT COUNT(*) AS n FROM media WHERE user_id = ? AND uploaded_ts IS NULL AND expires_ts > ?';
const DELETE_EXPIRED_PENDING = 'DELETE FROM media WHERE uploaded_ts IS NULL AND expires_ts <= ?';

interface MediaRow {
  media_id: string;
  user_id: string;
  created_ts: number | string;
  expires_ts: number | string | null;
  content_type: string | null;
  upload_name: string | null;
  size: number | string | null;
  sha256: string | null;
  uploaded_ts: number | string | null;
}

const toRecord = (r: MediaRow): MediaRecord => ({
  mediaId: r.media_id,
  userId: r.user_id,
  createdTs: Number(r.created_ts),
  expiresTs: r.expires_ts === null ? null : Number(r.expires_ts),
  content: r.uploaded_ts === null ? null : {
    contentType: r.content_type ?? 'application/octet-stream',
    uploadName: r.upload_name,
    size: Number(r.size),
    sha256: r.sha256 ?? '',
    uploadedTs: Number(r.uploaded_ts),
  },
});

export function createMediaStore(db: SqlDriver): MediaStore {
  return {
    async add(m) {
      const c: MediaContent | null = m.content;
      const { changes } = await db.run(INSERT_MEDIA, [
        m.mediaId, m.userId, m.createdTs, m.expiresTs,
        c?.contentType ?? null, c?.uploadName ?? null, c?.size ?? null, c?.sha256 ?? null, c?.uploadedTs ?? null,
      ]);
      return changes === 1;
    },
    async get(mediaId) {
      const row = await db.get<MediaRow>(SELECT_MEDIA, [mediaId]);
      return row && toRecord(row);
    },
    async completeUpload(mediaId, c) {
      const { changes } = await db.run(COMPLETE_UPLOAD, [c.contentType, c.uploadName, c.size, c.sha256, c.uploadedTs, mediaId]);
      return changes === 1;
    },
    async countPending(userId, nowTs) {
      const row = await db.get<{ n: number | string }>(COUNT_PENDING, [userId, nowTs]);
      return Number(row?.n ?? 0);
    },
    async deleteExpiredPending(nowTs) {
      return (await db.run(DELETE_EXPIRED_PENDING, [nowTs])).changes;
    },
  };
}
