/** The one dispatch path of every transport (HTTP, CoAP): route match, body, auth wrapper, rate limit, handler, MatrixError → status and body. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from '../log.js';
import { MatrixError, errorResponse, unrecognized } from './errors.js';
import { parseJsonBody } from './body.js';
import { discardRawBody } from './raw-body.js';
import { Router } from './router.js';
import { isReply, type RawBody, type RequestContext, type Route } from './route.js';
import type { Authenticator } from './auth.js';
import type { RateLimiter } from './rate-limit.js';

/** A request as a transport hands it over; the body is read only when (and as) the matched route wants it. */
export interface DispatchRequest {
  method: string;
  /** Path and query, still percent-encoded: `/_matrix/client/v3/sync?since=s1`. */
  url: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string;
  /** The whole body, failing with 413 M_TOO_LARGE past `limit` bytes. */
  readBody(limit: number): Promise<Buffer>;
  /** Streams the body into a file in `dir` (`body: 'raw'` routes); absent: the transport cannot, and such routes fail. */
  receiveRawBody?(dir: string, limit: number): Promise<RawBody>;
  /** Registers a callback for when the caller goes away before the reply (long-polls stop waiting). */
  onClose?(fn: () => void): void;
}

/** What to send back: a JSON `body` (undefined: none) or a `stream` with its own headers. */
export interface DispatchResult {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  stream?: Readable;
  /** The reply is an error (thrown MatrixError or an unexpected failure). */
  error: boolean;
}

export interface DispatcherOptions {
  /** Prefix of request ids in logs (the listener's name). */
  name: string;
  routes: readonly Route[];
  authenticator: Authenticator;
  log: Logger;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  /** Where raw bodies (`body: 'raw'` routes, e.g. media uploads) are streamed to; on the data dir's filesystem. */
  uploadDir?: string;
  /** Applied after auth to every route not marked `rateLimited: false`; absent: no rate limiting. */
  rateLimiter?: RateLimiter;
}

export type Dispatch = (req: DispatchRequest) => Promise<DispatchResult>;

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { throw new MatrixError(400, 'M_UNRECOGNIZED', 'Malformed percent-encoding in path'); }
}

/** The request URL for logs, without an access token in the query string. */
export function stripToken(url: string | undefined): string {
  return (url ?? '').replace(/([?&]access_token=)[^&]*/, '$1<redacted>');
}

/** Builds the dispatcher of one listener's route table; it never rejects (errors become error results). */
export function createDispatcher(opts: DispatcherOptions): Dispatch {
  const router = new Router(opts.routes);
  const log = opts.log;
  let seq = 0;

  async function run(req: DispatchRequest, reqId: string): Promise<{ result: DispatchResult; user?: string }> {
    const { method, url } = req;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const match = router.match(method, path);
    if (match.kind === 'none') throw unrecognized(404);
    if (match.kind === 'method') throw new MatrixError(405, 'M_UNRECOGNIZED', 'Unrecognized request', {}, { Allow: [...match.allowed, 'OPTIONS'].join(', ') });
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(match.params)) params[k] = safeDecode(v);
    const hasBody = method === 'POST' || method === 'PUT' || method === 'DELETE';
    const route = match.route;
    const limit = route.maxBodyBytes ?? opts.maxBodyBytes;
    const body = hasBody && route.body !== 'raw' ? parseJsonBody(await req.readBody(limit)) : undefined;
    const ctx: RequestContext = {
      method, path, params, body, reqId, log,
      query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
      headers: req.headers,
      remoteAddress: req.remoteAddress,
      onClose: req.onClose,
    };
    // A raw body (media upload) is read only after auth, when the handler asks; its temp file never outlives the request.
    let received: Promise<RawBody> | undefined;
    if (route.body === 'raw') {
      const receive = req.receiveRawBody;
      ctx.rawBody = () => (received ??= receive === undefined
        ? Promise.reject(new MatrixError(400, 'M_UNRECOGNIZED', 'Uploads are not accepted over this transport'))
        : opts.uploadDir === undefined ? Promise.reject(new Error('raw body route without an uploadDir')) : receive(opts.uploadDir, limit));
    }
    await opts.authenticator.check(route.auth, ctx);
    if (opts.rateLimiter && route.rateLimited !== false) opts.rateLimiter.check(ctx);
    let out: unknown;
    try {
      out = await route.handler(ctx);
    } finally {
      if (received) await discardRawBody(received);
    }
    const user = ctx.principal?.userId ?? ctx.origin;
    if (isReply(out)) return { user, result: { status: out.status, headers: out.headers, body: out.body, error: false, ...(out.stream ? { stream: out.stream } : {}) } };
    return { user, result: { status: 200, headers: {}, body: out ?? {}, error: false } };
  }

  return async (req) => {
    const reqId = `${opts.name}-${++seq}`;
    const started = performance.now();
    try {
      const { result, user } = await run(req, reqId);
      if (log.isLevelEnabled('debug')) log.debug({ reqId, method: req.method, path: stripToken(req.url), status: result.status, user, ms: +(performance.now() - started).toFixed(2) }, 'request');
      return result;
    } catch (err) {
      const { status, body, headers, unexpected } = errorResponse(err);
      if (unexpected) log.error({ reqId, method: req.method, path: stripToken(req.url), err }, 'request failed');
      else if (log.isLevelEnabled('debug')) log.debug({ reqId, method: req.method, path: stripToken(req.url), status, errcode: body.errcode }, 'request refused');
      return { status, headers, body, error: true };
    }
  };
}
