/** CoapExchange: one CoAP request and its response as the middlewares see them (decoded path, options, reply helpers). */
import type { IncomingMessage, ObserveWriteStream, OutgoingMessage } from 'coap';
import { parseBlock, type BlockOption } from './blocks.js';
import { CoapOption, ContentFormat, type CoapCode } from './codes.js';

/** node-coap's response: a plain one, or a stream of notifications when the GET carried Observe: 0. */
export type CoapResponse = OutgoingMessage | ObserveWriteStream;

export interface CoapExchange {
  /** `address:port` of the client endpoint: the key of sticky tokens and observations. */
  endpoint: string;
  address: string;
  method: string;
  /** Uri-Path segments as sent (CoAP carries them unencoded, so `#alias:hub` is one segment). */
  path: string[];
  query: URLSearchParams;
  payload: Buffer;
  confirmable: boolean;
  messageId: number;
  token: Buffer;
  /** Content-Format number of the payload (undefined: none; -1: a format name node-coap knows but Hearth does not). */
  contentFormat: number | undefined;
  accept: number | undefined;
  /** Observe option of the request: 0 register, 1 deregister. */
  observe: number | undefined;
  block2: BlockOption | undefined;
  res: CoapResponse;
  /** The raw value of an option (first occurrence), e.g. option 256. */
  option(name: string): Buffer | undefined;
  /** Replies once: code, payload, Content-Format and extra options. */
  reply(code: CoapCode, payload?: Buffer, format?: ContentFormat, options?: Record<string, number | Buffer>): void;
  replied(): boolean;
}

const FORMAT_NAMES: Record<string, number> = {
  'text/plain': ContentFormat.TEXT, 'application/json': ContentFormat.JSON,
  'application/cbor': ContentFormat.CBOR, 'application/octet-stream': ContentFormat.OCTET_STREAM,
};

/** node-coap turns Content-Format/Accept into a media type name when it knows one; back to the number. */
function formatNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return FORMAT_NAMES[v.split(';')[0]!.trim()] ?? -1;
  if (Buffer.isBuffer(v)) return v.length === 0 ? 0 : v.readUIntBE(0, Math.min(v.length, 2));
  return undefined;
}

function uintOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) return v.length === 0 ? 0 : v.readUIntBE(0, Math.min(v.length, 4));
  return undefined;
}

/**
 * node-coap answers the follow-up requests for blocks 1..n of a large reply from its cache, with the options the
 * reply had when the request event returned; our handlers answer later, so the Content-Format is added to the
 * cache entry as it is made.
 */
function keepFormatForBlocks(res: CoapResponse, format: number): void {
  type Entry = { buffer: Buffer; options: Array<{ name: string; value: Buffer }> };
  const r = res as unknown as { _addCacheEntry?: (key: string, entry: Entry) => void };
  const add = r._addCacheEntry;
  if (typeof add !== 'function') return;
  const value = format < 256 ? Buffer.of(format) : Buffer.of(format >> 8, format & 0xff);
  r._addCacheEntry = (key, entry) => add(key, { ...entry, options: [...entry.options, { name: 'Content-Format', value }] });
}

/** Wraps node-coap's request and response. */
export function toExchange(req: IncomingMessage, res: CoapResponse): CoapExchange {
  const options = (req._packet.options ?? []) as Array<{ name: string | number; value: unknown }>;
  const all = (name: string) => options.filter((o) => String(o.name) === name).map((o) => o.value);
  const first = (name: string) => all(name)[0];
  const text = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
  const query = new URLSearchParams();
  for (const q of all(CoapOption.URI_QUERY)) {
    const s = text(q);
    const eq = s.indexOf('=');
    if (eq === -1) query.append(s, '');
    else query.append(s.slice(0, eq), s.slice(eq + 1));
  }
  const rs = req.rsinfo;
  let done = false;
  return {
    endpoint: `${rs.address}:${rs.port}`,
    address: rs.address,
    method: String(req.method),
    path: all(CoapOption.URI_PATH).map(text),
    query,
    payload: req.payload ?? Buffer.alloc(0),
    confirmable: req._packet.confirmable === true,
    messageId: req._packet.messageId ?? 0,
    token: req._packet.token ?? Buffer.alloc(0),
    contentFormat: formatNumber(first(CoapOption.CONTENT_FORMAT)),
    accept: formatNumber(first(CoapOption.ACCEPT)),
    observe: uintOf(first(CoapOption.OBSERVE)),
    block2: parseBlock(first(CoapOption.BLOCK2) as Buffer | undefined),
    res,
    option(name) {
      const v = first(name);
      return v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(String(v));
    },
    reply(code, payload, format, extra = {}) {
      if (done) return;
      done = true;
      res.statusCode = code;
      (res as { code?: string }).code = code;
      if (format !== undefined && payload !== undefined && payload.length > 0) {
        res.setOption('Content-Format', format);
        keepFormatForBlocks(res, format);
      }
      for (const [k, v] of Object.entries(extra)) res.setOption(k as 'Max-Age', v);
      if (payload !== undefined && payload.length > 0) res.end(payload);
      else res.end();
    },
    replied: () => done,
  };
}

/** One step of the ordered middleware list: handle the exchange (reply) or pass it on with `next()`. */
export type CoapMiddleware = (ex: CoapExchange, next: () => Promise<void>) => Promise<void>;

/** Runs the middlewares in order; the last `next()` answers 4.04. */
export function compose(middlewares: readonly CoapMiddleware[], notFound: (ex: CoapExchange) => void): (ex: CoapExchange) => Promise<void> {
  return (ex) => {
    const step = (i: number): Promise<void> => {
      const mw = middlewares[i];
      if (!mw) { notFound(ex); return Promise.resolve(); }
      return mw(ex, () => step(i + 1));
    };
    return step(0);
  };
}
