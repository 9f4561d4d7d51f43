/** MSC3079 low-bandwidth Client-Server API: each CoAP request under `/_matrix/client` or a path enum becomes a call of the client dispatcher. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../log.js';
import type { Dispatch, DispatchRequest, DispatchResult } from '../http/dispatch.js';
import { tooLarge } from '../http/errors.js';
import { CborBodyError, decodeCbor, encodeCbor } from './cbor-keys.js';
import { CoapCode, CoapOption, ContentFormat, coapCodeForStatus } from './codes.js';
import type { CoapExchange, CoapMiddleware } from './exchange.js';
import type { Observations } from './observe.js';
import { expandPathEnum } from './path-enums.js';
import type { EndpointSession, Sessions } from './sessions.js';
import { observeSync } from './sync-observe.js';

export interface LowBandwidthDeps {
  dispatch: Dispatch;
  observations: Observations;
  sessions: Sessions;
  log: Logger;
  /** Largest body a non-JSON reply (e.g. a media stream) may have over CoAP. */
  maxReplyBytes: number;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE']);
const SYNC = /^\/_matrix\/client\/(?:r0|v3)\/sync$/;

/** The HTTP path of a CoAP request (full `/_matrix/client/…` path, or an enum), or undefined when it is neither. */
export function httpPathOf(segments: readonly string[]): string | undefined {
  if (segments[0] === '_matrix') return segments[1] === 'client' ? '/' + segments.map(encodeURIComponent).join('/') : undefined;
  return expandPathEnum(segments);
}

/** The access token of option 256, with or without the "Bearer " prefix. */
function tokenOf(value: Buffer | undefined): string | undefined {
  const t = value?.toString('utf8').replace(/^Bearer\s+/i, '').trim();
  return t ? t : undefined;
}

/** How replies are encoded for this request: Accept wins, else the request's own format, else CBOR. */
export interface ReplyEncoding { cbor: boolean; integerKeys: boolean }

export function replyEncoding(ex: Pick<CoapExchange, 'accept' | 'contentFormat'>, session: Pick<EndpointSession, 'cborVersion'>): ReplyEncoding {
  const cbor = ex.accept !== undefined ? ex.accept !== ContentFormat.JSON : ex.contentFormat !== ContentFormat.JSON;
  // The reference proxy always writes integer keys; option 257 = 0 asks for plain string keys instead.
  return { cbor, integerKeys: session.cborVersion !== 0 };
}

/** A JSON value as the client wants it. */
export function encodeBody(body: unknown, enc: ReplyEncoding): { payload: Buffer; format: ContentFormat } {
  if (enc.cbor) return { payload: encodeCbor(body, { integerKeys: enc.integerKeys }), format: ContentFormat.CBOR };
  return { payload: Buffer.from(JSON.stringify(body)), format: ContentFormat.JSON };
}

/** Extra options of a reply: Max-Age on 429 from retry_after_ms (or Retry-After). */
export function replyOptions(result: DispatchResult): Record<string, number> {
  if (result.status !== 429) return {};
  const ms = (result.body as { retry_after_ms?: unknown } | undefined)?.retry_after_ms;
  const seconds = typeof ms === 'number' ? Math.ceil(ms / 1000) : Number(result.headers['Retry-After'] ?? 1);
  return { [CoapOption.MAX_AGE]: Number.isFinite(seconds) ? seconds : 1 };
}

async function streamBytes(result: DispatchResult, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of result.stream!) {
    size += (chunk as Buffer).length;
    if (size > limit) { result.stream!.destroy(); return undefined; }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const STREAM_FORMATS: Record<string, ContentFormat> = { 'application/json': ContentFormat.JSON, 'application/cbor': ContentFormat.CBOR, 'text/plain': ContentFormat.TEXT };

/** Sends a dispatcher result as the CoAP reply. */
export async function sendResult(ex: CoapExchange, result: DispatchResult, enc: ReplyEncoding, maxReplyBytes: number): Promise<void> {
  const code = coapCodeForStatus(result.status);
  if (result.stream) {
    const bytes = await streamBytes(result, maxReplyBytes);
    if (!bytes) { ex.reply(CoapCode.REQUEST_ENTITY_TOO_LARGE); return; }
    const type = (result.headers['Content-Type'] ?? '').split(';')[0]!.trim();
    ex.reply(code, bytes, STREAM_FORMATS[type] ?? ContentFormat.OCTET_STREAM);
    return;
  }
  const { payload, format } = encodeBody(result.body ?? {}, enc);
  ex.reply(code, payload, format, replyOptions(result));
}

export function lowBandwidthApi(deps: LowBandwidthDeps): CoapMiddleware {
  const { dispatch, observations, sessions } = deps;

  return async (ex, next) => {
    const path = httpPathOf(ex.path);
    if (path === undefined) return next();
    const session = sessions.touch(ex.endpoint);
    // MSC3079: option 256 is sticky per client endpoint; a new one replaces the old.
    const token = tokenOf(ex.option(CoapOption.AUTHORIZATION));
    if (token !== undefined) session.token = token;
    const version = ex.option(CoapOption.CBOR_KEY_VERSION);
    if (version !== undefined) session.cborVersion = version.length === 0 ? 0 : version.readUIntBE(0, Math.min(4, version.length));
    const enc = replyEncoding(ex, session);
    const refuse = (code: CoapCode, errcode: string, error: string) => {
      const { payload, format } = encodeBody({ errcode, error }, enc);
      ex.reply(code, payload, format);
    };
    if (!METHODS.has(ex.method)) { refuse(CoapCode.METHOD_NOT_ALLOWED, 'M_UNRECOGNIZED', `${ex.method} is not a Client-Server API method`); return; }

    let body = ex.payload;
    if (body.length > 0 && ex.contentFormat === ContentFormat.CBOR) {
      try {
        body = Buffer.from(JSON.stringify(decodeCbor(body)));
      } catch (err) {
        if (!(err instanceof CborBodyError)) throw err;
        refuse(CoapCode.BAD_REQUEST, 'M_NOT_JSON', err.message);
        return;
      }
    } else if (body.length > 0 && ex.contentFormat !== undefined && ex.contentFormat !== ContentFormat.JSON) {
      refuse(CoapCode.UNSUPPORTED_CONTENT_FORMAT, 'M_NOT_JSON', 'Content-Format must be application/json (50) or application/cbor (60)');
      return;
    }
    const headers: IncomingHttpHeaders = { 'content-type': 'application/json' };
    if (session.token !== undefined) headers.authorization = `Bearer ${session.token}`;
    const query = ex.query.toString();
    const request: DispatchRequest = {
      method: ex.method, url: query === '' ? path : `${path}?${query}`, headers, remoteAddress: ex.address,
      readBody: (limit) => (body.length > limit ? Promise.reject(tooLarge()) : Promise.resolve(body)),
    };

    // A follow-up GET for block n of a notification that went out block-wise gets the pushed bytes.
    const resource = path.replace(/^\/_matrix\/client\/r0\//, '/_matrix/client/v3/');
    if (observations.serveBlock(ex, resource)) return;
    if (SYNC.test(path) && ex.method === 'GET' && ex.observe === 0) {
      observeSync({ dispatch, observations, log: deps.log }, ex, resource, request, (result) => {
        const { payload, format } = encodeBody(result.body ?? {}, enc);
        return { payload, format, code: coapCodeForStatus(result.status) };
      });
      return;
    }
    if (ex.observe === 1) observations.deregister(ex.endpoint, ex.token);
    await sendResult(ex, await dispatch(request), enc, deps.maxReplyBytes);
  };
}
