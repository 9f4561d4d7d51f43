/** The content repository's local media: direct uploads, ids created for a later upload, and waiting for pending content. */
import type { Logger } from '../log.js';
import type { RawBody } from '../http/route.js';
import { MatrixError } from '../http/errors.js';
import type { MediaContent, MediaRecord, MediaStore } from '../storage/media-types.js';
import { isValidMediaId, newMediaId } from './media-ids.js';
import { mediaDirs, moveIntoPlace, removeMediaFile, sweepTempFiles, type MediaDirs } from './media-files.js';

/** How long an id from `POST /create` waits for its upload (`unused_expires_at`; the spec's recommended 24 hours). */
export const PENDING_UPLOAD_LIFETIME_MS = 24 * 3_600_000;
/** Created ids a user may have waiting for content at once (Synapse's default); more is 429 M_LIMIT_EXCEEDED. */
export const MAX_PENDING_UPLOADS = 5;
/** `timeout_ms` of downloads and thumbnails: the spec's default, and the cap Synapse applies. */
export const DEFAULT_CONTENT_WAIT_MS = 20_000;
export const MAX_CONTENT_WAIT_MS = 60_000;

/** What the uploader said about the bytes. */
export interface UploadMeta {
  contentType: string;
  uploadName: string | null;
}

/** Local media with content. */
export interface StoredMedia extends MediaRecord {
  content: MediaContent;
}

export interface MediaService {
  readonly serverName: string;
  readonly dirs: MediaDirs;
  /** Largest upload in bytes (--max-upload-size). */
  readonly maxUploadSize: number;
  /** `POST /upload`: receives the body, stores it under a new media id and resolves to that id. */
  upload(userId: string, receive: () => Promise<RawBody>, meta: UploadMeta): Promise<string>;
  /** `POST /create`: a new id without content (429 M_LIMIT_EXCEEDED past MAX_PENDING_UPLOADS). */
  create(userId: string): Promise<{ mediaId: string; expiresTs: number }>;
  /**
   * `PUT /upload/{serverName}/{mediaId}`: checks the id (404 unknown or expired, 403 another user's, 409 already
   * uploaded or being uploaded) before receiving the body, then stores it and wakes anyone waiting for it.
   */
  uploadTo(userId: string, mediaId: string, receive: () => Promise<RawBody>, meta: UploadMeta): Promise<void>;
  /**
   * A local media id's record once it has content, waiting up to `waitMs` for a pending upload:
   * 404 M_NOT_FOUND for unknown or expired ids, 504 M_NOT_YET_UPLOADED when the wait runs out.
   * `onClose` (the request's) stops the wait early when the client leaves.
   */
  withContent(mediaId: string, waitMs: number, onClose?: (fn: () => void) => void): Promise<StoredMedia>;
}

export interface MediaServiceDeps {
  store: MediaStore;
  serverName: string;
  dataDir: string;
  maxUploadSize: number;
  now: () => number;
  log: Logger;
}

const unknownMedia = (msg = 'Unknown media ID') => new MatrixError(404, 'M_NOT_FOUND', msg);

export function createMediaService(deps: MediaServiceDeps): MediaService {
  const { store, now, log } = deps;
  const dirs = mediaDirs(deps.dataDir);
  /** Ids whose PUT is receiving its body: a second PUT is refused at once (one hub process owns the media dir). */
  const uploading = new Set<string>();
  /** Requests waiting for a pending id's content, woken when it arrives. */
  const waiters = new Map<string, Set<() => void>>();

  // Bodies of uploads cut short by a crash are left in the temp dir; an hour untouched means abandoned.
  void sweepTempFiles(dirs, Date.now(), 3_600_000).catch((err: unknown) => log.warn({ err }, 'media: sweeping upload temp files failed'));

  function wake(mediaId: string): void {
    for (const fn of [...(waiters.get(mediaId) ?? [])]) fn();
  }

  /** Resolves true when an upload to `mediaId` completes, false after `ms` or when the client leaves. */
  function waitForUpload(mediaId: string, ms: number, onClose?: (fn: () => void) => void): Promise<boolean> {
    return new Promise((resolve) => {
      let set = waiters.get(mediaId);
      if (!set) waiters.set(mediaId, (set = new Set()));
      const finish = (uploaded: boolean) => {
        clearTimeout(timer);
        set!.delete(woken);
        if (set!.size === 0) waiters.delete(mediaId);
        resolve(uploaded);
      };
      const woken = () => finish(true);
      const timer = setTimeout(() => finish(false), ms);
      set.add(woken);
      onClose?.(() => finish(false));
    });
  }

  function contentOf(meta: UploadMeta, body: RawBody): MediaContent {
    return { contentType: meta.contentType, uploadName: meta.uploadName, size: body.size, sha256: body.sha256, uploadedTs: now() };
  }

  return {
    serverName: deps.serverName,
    dirs,
    maxUploadSize: deps.maxUploadSize,

    async upload(userId, receive, meta) {
      const body = await receive();
      const content = contentOf(meta, body);
      let mediaId = newMediaId();
      // The row claims the id (24 random characters; a clash is retried rather than overwriting a file).
      while (!(await store.add({ mediaId, userId, createdTs: content.uploadedTs, expiresTs: null, content }))) mediaId = newMediaId();
      await moveIntoPlace(dirs, mediaId, body.path);
      log.info({ mediaId, userId, size: body.size }, 'media: uploaded');
      return mediaId;
    },

    async create(userId) {
      const ts = now();
      await store.deleteExpiredPending(ts);
      if (await store.countPending(userId, ts) >= MAX_PENDING_UPLOADS) {
        throw new MatrixError(429, 'M_LIMIT_EXCEEDED', 'Too many pending media uploads');
      }
      const expiresTs = ts + PENDING_UPLOAD_LIFETIME_MS;
      let mediaId = newMediaId();
      while (!(await store.add({ mediaId, userId, createdTs: ts, expiresTs, content: null }))) mediaId = newMediaId();
      return { mediaId, expiresTs };
    },

    async uploadTo(userId, mediaId, receive, meta) {
      if (!isValidMediaId(mediaId)) throw unknownMedia();
      // Claimed before any await, so two concurrent PUTs cannot both pass the checks below.
      if (uploading.has(mediaId)) throw new MatrixError(409, 'M_CANNOT_OVERWRITE_MEDIA', 'Media ID cannot be overwritten');
      uploading.add(mediaId);
      try {
        const record = await store.get(mediaId);
        if (!record) throw unknownMedia();
        if (record.userId !== userId) throw new MatrixError(403, 'M_FORBIDDEN', 'Only the creator of the media ID can upload to it');
        if (record.content) throw new MatrixError(409, 'M_CANNOT_OVERWRITE_MEDIA', 'Media ID already has content');
        if (record.expiresTs !== null && record.expiresTs <= now()) throw unknownMedia('Media ID has expired');
        const body = await receive();
        await moveIntoPlace(dirs, mediaId, body.path);
        if (!(await store.completeUpload(mediaId, contentOf(meta, body)))) {
          await removeMediaFile(dirs, mediaId);
          throw new MatrixError(409, 'M_CANNOT_OVERWRITE_MEDIA', 'Media ID already has content');
        }
        log.info({ mediaId, userId, size: body.size }, 'media: uploaded to a created id');
      } finally {
        uploading.delete(mediaId);
      }
      wake(mediaId);
    },

    async withContent(mediaId, waitMs, onClose) {
      const deadline = now() + waitMs;
      for (;;) {
        const record = isValidMediaId(mediaId) ? await store.get(mediaId) : undefined;
        if (!record) throw unknownMedia('Media not found');
        if (record.content) return record as StoredMedia;
        if (record.expiresTs !== null && record.expiresTs <= now()) throw unknownMedia('Media not found');
        const left = deadline - now();
        if (left <= 0 || !(await waitForUpload(mediaId, left, onClose))) {
          throw new MatrixError(504, 'M_NOT_YET_UPLOADED', 'Media has not been uploaded yet');
        }
      }
    },
  };
}
