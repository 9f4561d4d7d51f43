/** The storage contract of the content repository: one row per local media id (spec §"Content repository"). */

/** The stored file of a media id: what the uploader sent and what the server measured. */
export interface MediaContent {
  /** The upload's `Content-Type` (default `application/octet-stream`). */
  contentType: string;
  /** The upload's `filename` query parameter; null when none was given. */
  uploadName: string | null;
  /** Bytes. */
  size: number;
  /** sha256 of the bytes, hex. */
  sha256: string;
  /** ms since the Unix epoch. */
  uploadedTs: number;
}

/** A local media id: uploaded at once (`POST /upload`) or created first and uploaded later (`POST /create`). */
export interface MediaRecord {
  mediaId: string;
  /** The user who uploaded (or created) it. */
  userId: string;
  createdTs: number;
  /** null while a created id waits for its upload. */
  content: MediaContent | null;
  /** When a created id expires unless content is uploaded (`unused_expires_at`); null for direct uploads. */
  expiresTs: number | null;
}

/** Local media metadata; the bytes live in files (DATA_DIR/media) that the media service owns. */
export interface MediaStore {
  /** Records a media id; resolves to false (and changes nothing) when the id is taken. */
  add(media: MediaRecord): Promise<boolean>;
  get(mediaId: string): Promise<MediaRecord | undefined>;
  /** Gives a created id its content; false when the id is unknown or already has content. */
  completeUpload(mediaId: string, content: MediaContent): Promise<boolean>;
  /** How many of the user's ids have no content yet and do not expire before `nowTs`. */
  countPending(userId: string, nowTs: number): Promise<number>;
  /** Forgets ids that never got content and expired at or before `nowTs`; resolves to how many. */
  deleteExpiredPending(nowTs: number): Promise<number>;
}
