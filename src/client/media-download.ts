/** Content repository downloads (spec §"Content repository"): /download and /thumbnail, authenticated (v1) and legacy (v3). */
import type { FileHandle } from 'node:fs/promises';
import { streamReply, type Handler, type RequestContext, type Route } from '../http/route.js';
import { MatrixError } from '../http/errors.js';
import { isValidServerName } from '../events/auth-common.js';
import { intParam } from './query-params.js';
import { DEFAULT_CONTENT_WAIT_MS, MAX_CONTENT_WAIT_MS, type MediaService, type StoredMedia } from '../media/media-service.js';
import { isValidMediaId } from '../media/media-ids.js';
import { openMediaFile } from '../media/media-files.js';
import { MEDIA_SECURITY_HEADERS, baseContentType, contentDisposition, parseRange, servedContentType } from '../media/content-headers.js';
import { sniffImage } from '../media/image-info.js';
import { THUMBNAIL_SOURCE_TYPES, thumbnailFromOriginal, type ThumbnailRequest } from '../media/thumbnails.js';

/** How much of a file is read to recognise an image (enough to pass EXIF and colour-profile chunks). */
const SNIFF_BYTES = 256 * 1024;

const route = (path: string, auth: Route['auth'], handler: Handler): Route =>
  ({ method: 'GET', path, auth, listener: 'client', handler, rateLimited: false });

/** `timeout_ms`: how long to wait for content not yet uploaded (default 20 s, at most 60 s). */
const waitMs = (ctx: RequestContext) => Math.min(intParam(ctx, 'timeout_ms') ?? DEFAULT_CONTENT_WAIT_MS, MAX_CONTENT_WAIT_MS);

/** A positive integer query parameter that must be present (400 M_MISSING_PARAM / M_INVALID_PARAM). */
function dimension(ctx: RequestContext, name: string): number {
  const n = intParam(ctx, name);
  if (n === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', `Missing ${name}`);
  if (n < 1) throw new MatrixError(400, 'M_INVALID_PARAM', `${name} must be a positive integer`);
  return n;
}

function thumbnailQuery(ctx: RequestContext): ThumbnailRequest {
  const width = dimension(ctx, 'width');
  const height = dimension(ctx, 'height');
  const method = ctx.query.get('method') ?? 'scale';
  if (method !== 'crop' && method !== 'scale') throw new MatrixError(400, 'M_INVALID_PARAM', 'method must be crop or scale');
  const animated = ctx.query.get('animated');
  if (animated !== null && animated !== 'true' && animated !== 'false') throw new MatrixError(400, 'M_INVALID_PARAM', 'animated must be true or false');
  return { width, height, method, animated: animated === null ? undefined : animated === 'true' };
}

export function mediaDownloadRoutes(media: MediaService): Route[] {
  /** The media id of a local mxc:// URI with content (waiting for a pending upload), and its open file. */
  async function localMedia(ctx: RequestContext): Promise<{ m: StoredMedia; file: FileHandle; size: number }> {
    const { serverName, mediaId } = ctx.params as { serverName: string; mediaId: string };
    // Sanitise the mxc:// URI: a valid server name, and only [A-Za-z0-9_-] in the media id.
    if (!isValidServerName(serverName)) throw new MatrixError(400, 'M_INVALID_PARAM', 'Invalid server name');
    if (serverName !== media.serverName) throw new MatrixError(404, 'M_NOT_FOUND', 'Remote media is not available: this server does not federate yet');
    if (!isValidMediaId(mediaId)) throw new MatrixError(404, 'M_NOT_FOUND', 'Media not found');
    const m = await media.withContent(mediaId, waitMs(ctx), ctx.onClose);
    const file = await openMediaFile(media.dirs, mediaId);
    if (!file) {
      ctx.log.warn({ mediaId }, 'media: file missing for stored media');
      throw new MatrixError(404, 'M_NOT_FOUND', 'Media not found');
    }
    try {
      return { m, file, size: (await file.stat()).size };
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  /** GET /_matrix/client/v1/media/download/{serverName}/{mediaId}[/{fileName}] */
  const download: Handler = async (ctx) => {
    const { m, file, size } = await localMedia(ctx);
    const headers: Record<string, string> = {
      ...MEDIA_SECURITY_HEADERS,
      'Content-Type': servedContentType(m.content.contentType),
      'Content-Disposition': contentDisposition(m.content.contentType, ctx.params.fileName ?? m.content.uploadName),
      'Accept-Ranges': 'bytes',
    };
    const range = parseRange(ctx.headers.range, size);
    if (range === 'unsatisfiable') {
      await file.close();
      throw new MatrixError(416, 'M_UNKNOWN', 'Requested range not satisfiable', {}, { 'Content-Range': `bytes */${size}` });
    }
    if (range === undefined) return streamReply(200, file.createReadStream(), { ...headers, 'Content-Length': String(size) });
    return streamReply(206, file.createReadStream({ start: range.start, end: range.end }), {
      ...headers, 'Content-Length': String(range.end - range.start + 1), 'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
    });
  };

  /** GET /_matrix/client/v1/media/thumbnail/{serverName}/{mediaId} */
  const thumbnail: Handler = async (ctx) => {
    const req = thumbnailQuery(ctx);
    const { m, file, size } = await localMedia(ctx);
    try {
      let image;
      if (THUMBNAIL_SOURCE_TYPES.has(baseContentType(m.content.contentType))) {
        const head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
        await file.read(head, 0, head.length, 0);
        image = sniffImage(head);
      }
      const answer = thumbnailFromOriginal(m.content.contentType, image, req);
      if ('refused' in answer) throw new MatrixError(400, 'M_UNKNOWN', answer.refused);
      return streamReply(200, file.createReadStream({ start: 0 }), {
        ...MEDIA_SECURITY_HEADERS,
        'Content-Type': answer.contentType,
        'Content-Disposition': `inline; filename=thumbnail.${answer.contentType.slice('image/'.length)}`,
        'Content-Length': String(size),
      });
    } catch (err) {
      await file.close();
      throw err;
    }
  };

  return [
    route('/_matrix/client/v1/media/download/{serverName}/{mediaId}', 'user', download),
    route('/_matrix/client/v1/media/download/{serverName}/{mediaId}/{fileName}', 'user', download),
    route('/_matrix/client/v1/media/thumbnail/{serverName}/{mediaId}', 'user', thumbnail),
    // The deprecated unauthenticated endpoints, still served for local media (clients fall back to them).
    ...['v3', 'r0'].flatMap((v) => [
      route(`/_matrix/media/${v}/download/{serverName}/{mediaId}`, 'none', download),
      route(`/_matrix/media/${v}/download/{serverName}/{mediaId}/{fileName}`, 'none', download),
      route(`/_matrix/media/${v}/thumbnail/{serverName}/{mediaId}`, 'none', thumbnail),
    ]),
  ];
}
