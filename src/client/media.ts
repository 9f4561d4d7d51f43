/** Content repository (spec §"Content repository"): uploads, created ids, config and URL previews; downloads are in media-download.ts. */
import type { Handler, RequestContext, Route } from '../http/route.js';
import { MatrixError } from '../http/errors.js';
import type { Services } from '../services.js';
import { createMediaService, type MediaService, type UploadMeta } from '../media/media-service.js';
import { mxcUri } from '../media/media-ids.js';
import { uploadContentType } from '../media/content-headers.js';
import { mediaDownloadRoutes } from './media-download.js';

/** Guests may download but not upload (as Synapse: 403 M_GUEST_ACCESS_FORBIDDEN). */
function uploader(ctx: RequestContext): string {
  if (ctx.principal!.isGuest) throw new MatrixError(403, 'M_GUEST_ACCESS_FORBIDDEN', 'Guest access not allowed');
  return ctx.principal!.userId;
}

/** What the uploader says about the body: `Content-Type` (default application/octet-stream) and `?filename=`. */
function uploadMeta(ctx: RequestContext): UploadMeta {
  return { contentType: uploadContentType(ctx.headers['content-type']), uploadName: ctx.query.get('filename') || null };
}

const route = (method: Route['method'], path: string, auth: Route['auth'], handler: Handler, extra: Partial<Route> = {}): Route =>
  ({ method, path, auth, listener: 'client', handler, ...extra });

/** Every media route; the media service they share lives as long as the route table. */
export function mediaRoutes(s: Services): Route[] {
  const media = createMediaService({
    store: s.store.media, serverName: s.config.serverName, dataDir: s.config.dataDir,
    maxUploadSize: s.config.maxUploadSize, now: s.now, log: s.log.child({ module: 'media' }),
  });
  return [...mediaUploadRoutes(media), ...mediaDownloadRoutes(media)];
}

export function mediaUploadRoutes(media: MediaService): Route[] {
  const raw = { body: 'raw', maxBodyBytes: media.maxUploadSize } as const;

  /** POST /_matrix/media/v3/upload */
  const upload: Handler = async (ctx) => {
    const mediaId = await media.upload(uploader(ctx), ctx.rawBody!, uploadMeta(ctx));
    return { content_uri: mxcUri(media.serverName, mediaId) };
  };

  /** POST /_matrix/media/v1/create */
  const create: Handler = async (ctx) => {
    const { mediaId, expiresTs } = await media.create(uploader(ctx));
    return { content_uri: mxcUri(media.serverName, mediaId), unused_expires_at: expiresTs };
  };

  /** PUT /_matrix/media/v3/upload/{serverName}/{mediaId} */
  const uploadTo: Handler = async (ctx) => {
    if (ctx.params.serverName !== media.serverName) throw new MatrixError(404, 'M_NOT_FOUND', 'Non-local server name specified');
    await media.uploadTo(uploader(ctx), ctx.params.mediaId!, ctx.rawBody!, uploadMeta(ctx));
    return {};
  };

  /** GET /_matrix/client/v1/media/config */
  const config: Handler = () => ({ 'm.upload.size': media.maxUploadSize });

  return [
    // Synapse also answers /r0 here; older clients still call it.
    ...['v3', 'r0'].map((v) => route('POST', `/_matrix/media/${v}/upload`, 'user', upload, raw)),
    route('POST', '/_matrix/media/v1/create', 'user', create),
    route('PUT', '/_matrix/media/v3/upload/{serverName}/{mediaId}', 'user', uploadTo, raw),
    route('GET', '/_matrix/client/v1/media/config', 'user', config, { rateLimited: false }),
    /** GET /_matrix/media/v3/config (deprecated; like Synapse it still needs a token) */
    ...['v3', 'r0'].map((v) => route('GET', `/_matrix/media/${v}/config`, 'user', config, { rateLimited: false })),
    /** GET /_matrix/client/v1/media/preview_url: URL previews are off, and Synapse with them off serves no such endpoint. */
    route('GET', '/_matrix/client/v1/media/preview_url', 'user', () => {
      throw new MatrixError(404, 'M_UNRECOGNIZED', 'URL previews are disabled on this server');
    }),
    /** GET /_matrix/media/v3/preview_url (deprecated): Synapse answers 400 M_UNRECOGNIZED when previews are off. */
    ...['v3', 'r0'].map((v) => route('GET', `/_matrix/media/${v}/preview_url`, 'user', () => {
      throw new MatrixError(400, 'M_UNRECOGNIZED', 'URL previews are disabled on this server');
    })),
  ];
}
