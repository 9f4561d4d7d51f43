/** The shape of the route table: one entry per endpoint with its method, path, auth kind and handler. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from '../log.js';

/** Who may call an endpoint; checked by the one auth wrapper (auth.ts), never in a handler. */
export type AuthKind = 'none' | 'optional' | 'user' | 'admin' | 'federation';

/** Which listener serves a route. */
export type ListenerName = 'client' | 'federation';

/** The authenticated caller of a client endpoint. */
export interface Principal {
  userId: string;
  deviceId: string;
  isGuest: boolean;
  admin: boolean;
  /** sha256 of the presented access token, hex; lets /logout find its own token. */
  tokenHash: string;
}

export interface RequestContext {
  method: string;
  /** The path, still percent-encoded. */
  path: string;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when the request had none. */
  body: unknown;
  reqId: string;
  log: Logger;
  remoteAddress: string;
  /** Set by the auth wrapper for 'user', 'admin' and (when a token was sent) 'optional' routes. */
  principal?: Principal;
  /** Set by the auth wrapper for 'federation' routes: the requesting server. */
  origin?: string;
  /** Registers a callback for when the client goes away before the reply (long-polls stop waiting). */
  onClose?: (fn: () => void) => void;
  /**
   * Routes with `body: 'raw'` only: streams the request body to a temp file (at most once; 413 M_TOO_LARGE past the
   * route's `maxBodyBytes`). The handler moves the file away to keep it; otherwise it is deleted after the reply.
   */
  rawBody?: () => Promise<RawBody>;
}

/** A raw request body received into a temp file. */
export interface RawBody {
  path: string;
  size: number;
  /** sha256 of the bytes, hex. */
  sha256: string;
}

/** A non-200 or header-carrying reply; a handler may also just return the JSON body for a 200. */
export interface Reply {
  readonly [REPLY]: true;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** When set, the response body is this stream (sent as is, with `headers`) instead of JSON `body`. */
  stream?: Readable;
}

export const REPLY: unique symbol = Symbol('hearth.reply');

/** Builds a reply with a status other than 200, or with extra headers. */
export function reply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { [REPLY]: true, status, body, headers };
}

/** Builds a reply whose body is streamed (e.g. a media file); `headers` must include its Content-Type. */
export function streamReply(status: number, stream: Readable, headers: Record<string, string>): Reply {
  return { [REPLY]: true, status, body: undefined, headers, stream };
}

export function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && (x as Reply)[REPLY] === true;
}

export type Handler = (ctx: RequestContext) => unknown | Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: AuthKind;
  listener: ListenerName;
  handler: Handler;
  /** `false` exempts the route from the client listener's rate limit (e.g. /sync, /versions); default: limited. */
  rateLimited?: false;
  /** How the request body is read: parsed as JSON into `ctx.body` (default), or left to the handler as `ctx.rawBody()`. */
  body?: 'json' | 'raw';
  /** Largest body in bytes for this route; default: the listener's limit (--max-request-size). */
  maxBodyBytes?: number;
}

/**
 * The same Client-Server endpoint under `/v3` and the `/r0` alias older clients still call.
 * @example clientRoute('GET', '/account/whoami', 'user', handler) // GET /_matrix/client/v3/account/whoami and /r0/...
 */
export function clientRoute(method: Route['method'], subpath: string, auth: AuthKind, handler: Handler, versions: readonly string[] = ['v3', 'r0']): Route[] {
  return versions.map((v) => ({ method, path: `/_matrix/client/${v}${subpath}`, auth, listener: 'client' as const, handler }));
}

/**
 * Marks routes as exempt from rate limiting.
 * @example notRateLimited(clientRoute('GET', '/sync', 'user', handler))
 */
export function notRateLimited(routes: Route[]): Route[] {
  return routes.map((r) => ({ ...r, rateLimited: false as const }));
}
