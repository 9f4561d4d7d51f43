/** The HTTP boundary: CORS, the preflight, reading bodies off the socket, and writing dispatch results as JSON or streams. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { readBody } from './body.js';
import { receiveRawBody, sendStream } from './raw-body.js';
import { createDispatcher, type DispatchResult, type DispatcherOptions } from './dispatch.js';

/** The CORS headers of the spec's "Web Browser Clients" section, sent on every response. */
export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'X-Requested-With, Content-Type, Authorization',
});

/** The HTTP listener takes what the dispatcher takes, and whether a reverse proxy names the client. */
export interface HttpHandlerOptions extends DispatcherOptions {
  /** Take the client's address from X-Forwarded-For (see clientAddress). */
  xForwarded?: boolean;
}

/**
 * The address a request came from. With `xForwarded`, the last entry of X-Forwarded-For: the one the reverse proxy
 * in front appended (nginx `$proxy_add_x_forwarded_for`, Caddy, Traefik). Entries before it were sent by the client
 * and could be anything, so they are not trusted; a value that is not an IP address falls back to the socket's.
 */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, xForwarded: boolean): string {
  const socket = req.socket.remoteAddress ?? '';
  if (!xForwarded) return socket;
  const header = req.headers['x-forwarded-for'];
  const last = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').at(-1)!.trim();
  return isIP(last) !== 0 ? last : socket;
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

/** Writes a dispatch result: a stream as is, else JSON; an error 413 closes the connection (its body was not drained). */
async function write(res: ServerResponse, r: DispatchResult, head: boolean): Promise<void> {
  if (r.stream) await sendStream(res, r.status, { ...CORS_HEADERS, ...r.headers }, r.stream, head);
  else send(res, r.status, r.body, r.error && r.status === 413 ? { ...r.headers, Connection: 'close' } : r.headers, head);
}

/** Builds the request listener for one HTTP listener from the route table (see dispatch.ts for the request path). */
export function createHttpHandler(opts: HttpHandlerOptions): HttpHandler {
  const dispatch = createDispatcher(opts);
  let inFlight = 0;

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      // Web Browser Clients: answer the preflight with the CORS headers and run no endpoint logic.
      res.writeHead(204, { ...CORS_HEADERS, 'Content-Length': 0 });
      res.end();
      return;
    }
    inFlight++;
    dispatch({
      method, url: req.url ?? '/', headers: req.headers, remoteAddress: clientAddress(req, opts.xForwarded === true),
      readBody: (limit) => readBody(req, limit),
      receiveRawBody: (dir, limit) => receiveRawBody(req, dir, limit),
      onClose: (fn) => res.once('close', () => { if (!res.writableFinished) fn(); }),
    })
      .then((r) => write(res, r, method === 'HEAD'))
      .catch((err: unknown) => {
        opts.log.error({ method, err }, 'writing the response failed');
        if (!res.headersSent) send(res, 500, { errcode: 'M_UNKNOWN', error: 'Internal server error' });
        else res.destroy();
      })
      .finally(() => { inFlight--; });
  }) as HttpHandler;
  handler.inFlight = () => inFlight;
  return handler;
}
