/** The HTTP boundary: routes a request, applies CORS, body limits and the auth wrapper, and serialises replies and MatrixErrors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { MatrixError, errorResponse, unrecognized } from './errors.js';
import { readBody, parseJsonBody } from './body.js';
import { discardRawBody, receiveRawBody, sendStream } from './raw-body.js';
import { Router } from './router.js';
import { isReply, type RawBody, type RequestContext, type Route } from './route.js';
import type { Authenticator } from './auth.js';
import type { RateLimiter } from './rate-limit.js';

/** The CORS headers of the spec's "Web Browser Clients" section, sent on every response. */
export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'X-Requested-With, Content-Type, Authorization',
});

export interface HttpHandlerOptions {
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

export interface HttpHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Requests still being handled; shutdown waits for this to reach 0. */
  inFlight(): number;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, head = false): void {
  if (res.headersSent) { res.end(); return; }
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...CORS_HEADERS,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(head ? undefined : payload);
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { throw new MatrixError(400, 'M_UNRECOGNIZED', 'Malformed percent-encoding in path'); }
}

/** Builds the request listener for one HTTP listener from the route table. */
export function createHttpHandler(opts: HttpHandlerOptions): HttpHandler {
  const router = new Router(opts.routes);
  let seq = 0;
  let inFlight = 0;
  const log = opts.log;

  async function handle(req: IncomingMessage, res: ServerResponse, reqId: string): Promise<{ status: number; user?: string }> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (method === 'OPTIONS') {
      // Web Browser Clients: answer the preflight with the CORS headers and run no endpoint logic.
      res.writeHead(204, { ...CORS_HEADERS, 'Content-Length': 0 });
      res.end();
      return { status: 204 };
    }
    const match = router.match(method, path);
    if (match.kind === 'none') throw unrecognized(404);
    if (match.kind === 'method') throw new MatrixError(405, 'M_UNRECOGNIZED', 'Unrecognized request', {}, { Allow: [...match.allowed, 'OPTIONS'].join(', ') });
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(match.params)) params[k] = safeDecode(v);
    const hasBody = method === 'POST' || method === 'PUT' || method === 'DELETE';
    const route = match.route;
    const limit = route.maxBodyBytes ?? opts.maxBodyBytes;
    const body = hasBody && route.body !== 'raw' ? parseJsonBody(await readBody(req, limit)) : undefined;
    const ctx: RequestContext = {
      method, path, params, body, reqId, log,
      query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress ?? '',
      onClose: (fn) => res.once('close', () => { if (!res.writableFinished) fn(); }),
    };
    // A raw body (media upload) is read only after auth, when the handler asks; its temp file never outlives the request.
    let received: Promise<RawBody> | undefined;
    if (route.body === 'raw') {
      ctx.rawBody = () => (received ??= opts.uploadDir === undefined
        ? Promise.reject(new Error('raw body route without an uploadDir')) : receiveRawBody(req, opts.uploadDir, limit));
    }
    await opts.authenticator.check(route.auth, ctx);
    if (opts.rateLimiter && route.rateLimited !== false) opts.rateLimiter.check(ctx);
    let result: unknown;
    try {
      result = await route.handler(ctx);
    } finally {
      if (received) await discardRawBody(received);
    }
    if (isReply(result) && result.stream) await sendStream(res, result.status, { ...CORS_HEADERS, ...result.headers }, result.stream, method === 'HEAD');
    else if (isReply(result)) send(res, result.status, result.body, result.headers, method === 'HEAD');
    else send(res, 200, result ?? {}, {}, method === 'HEAD');
    return { status: isReply(result) ? result.status : 200, user: ctx.principal?.userId ?? ctx.origin };
  }

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const reqId = `${opts.name}-${++seq}`;
    const started = performance.now();
    inFlight++;
    handle(req, res, reqId)
      .then(({ status, user }) => {
        if (log.isLevelEnabled('debug')) log.debug({ reqId, method: req.method, path: stripToken(req.url), status, user, ms: +(performance.now() - started).toFixed(2) }, 'request');
      })
      .catch((err: unknown) => {
        const { status, body, headers, unexpected } = errorResponse(err);
        if (unexpected) log.error({ reqId, method: req.method, path: stripToken(req.url), err }, 'request failed');
        else if (log.isLevelEnabled('debug')) log.debug({ reqId, method: req.method, path: stripToken(req.url), status, errcode: body.errcode }, 'request refused');
        // A body we stopped reading cannot be drained cheaply: close the connection after replying.
        send(res, status, body, status === 413 ? { ...headers, Connection: 'close' } : headers, req.method === 'HEAD');
      })
      .finally(() => { inFlight--; });
  }) as HttpHandler;
  handler.inFlight = () => inFlight;
  return handler;
}

/** The request URL for logs, without an access token in the query string. */
function stripToken(url: string | undefined): string {
  return (url ?? '').replace(/([?&]access_token=)[^&]*/, '$1<redacted>');
}
