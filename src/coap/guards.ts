/** Datagram guards run inside node-coap's middleware list before it handles a packet: LAN-only sources, per-address rate limit, ACK tracking, block-wise upload limits. */
import type { Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { addressKey, type RateLimiter } from '../http/rate-limit.js';
import { parseBlock } from './blocks.js';
import { CoapCode, MessageType, OptionNumber } from './codes.js';

/** A parsed datagram as node-coap's own `parseRequest` middleware leaves it. */
interface Packet {
  code: string;
  confirmable: boolean;
  ack: boolean;
  reset: boolean;
  messageId: number;
  token: Buffer;
  options: Array<{ name: string | number; value: Buffer }>;
  payload: Buffer;
}

/** node-coap's middleware argument (`MiddlewareParameters`). */
export interface DatagramContext {
  raw: Buffer;
  rsinfo: AddressInfo;
  packet?: Packet;
  server: { _sock: unknown };
}
export type DatagramGuard = (ctx: DatagramContext, next: (err?: Error | null) => void) => void;

export interface GuardOptions {
  /** 'lan': datagrams from public addresses are dropped unanswered; 'any': all are served. */
  allow: 'lan' | 'any';
  /** Per source address; absent: no limit. */
  rateLimiter?: RateLimiter;
  /** Largest request body a block-wise upload may reach. */
  maxBodyBytes: number;
  /** Block-wise uploads being assembled at once, overall and per address. */
  maxUploads: number;
  maxUploadsPerAddress: number;
  /** How long an unfinished upload is counted (node-coap keeps its blocks for EXCHANGE_LIFETIME). */
  uploadLifetimeMs: number;
  /** An ACK or RST arrived (observe notifications wait for it). */
  onAck(endpoint: string, messageId: number, reset: boolean): void;
  now(): number;
}

/**
 * Whether an address is on this network: loopback, RFC 1918, link-local, IPv6 ULA (fc00::/7), IPv4-mapped forms.
 * @example isLanAddress('192.168.1.20') // true
 */
export function isLanAddress(address: string): boolean {
  const a = address.replace(/%.*$/, '').toLowerCase();
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.\d+\.\d+$/.exec(a);
  if (v4) {
    const [x, y] = [Number(v4[1]), Number(v4[2])];
    return x === 10 || x === 127 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254);
  }
  return a === '::1' || /^fe[89ab][0-9a-f]:/.test(a) || /^f[cd][0-9a-f]{2}:/.test(a);
}

/** A reply built without node-coap (it has not parsed the request yet): piggybacked on the ACK of a CON, else NON. */
export function encodeReply(p: { confirmable: boolean; messageId: number; token: Buffer; code: CoapCode; options?: Array<[number, number]> }): Buffer {
  const type = p.confirmable ? MessageType.ACK : MessageType.NON;
  const [cls, detail] = p.code.split('.').map(Number) as [number, number];
  const parts: Buffer[] = [Buffer.of(0x40 | (type << 4) | p.token.length, (cls << 5) | detail, p.messageId >> 8, p.messageId & 0xff), p.token];
  let last = 0;
  for (const [num, uint] of [...(p.options ?? [])].sort((a, b) => a[0] - b[0])) {
    const value = uintBytes(uint);
    const delta = num - last;
    last = num;
    // Deltas up to 268 and values up to 12 bytes are all these replies need (options 14 and 60, uint values).
    if (delta < 13) parts.push(Buffer.of((delta << 4) | value.length));
    else parts.push(Buffer.of((13 << 4) | value.length, delta - 13));
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** An unsigned option value in the fewest bytes (0 is empty). */
function uintBytes(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from(bytes);
}

const isRequest = (p: Packet) => p.code.startsWith('0.') && p.code !== '0.00';

/** The guards, by where they go in node-coap's list: before it parses the datagram, and after. */
export function createGuards(opts: GuardOptions): { beforeParse: DatagramGuard[]; afterParse: DatagramGuard[] } {
  /** Unfinished block-wise uploads: key → last block time. */
  const uploads = new Map<string, { address: string; at: number }>();

  const send = (ctx: DatagramContext, buf: Buffer) => {
    (ctx.server._sock as Socket | null)?.send(buf, ctx.rsinfo.port, ctx.rsinfo.address);
  };
  const refuse = (ctx: DatagramContext, p: Packet, code: CoapCode, options: Array<[number, number]> = []) =>
    send(ctx, encodeReply({ confirmable: p.confirmable, messageId: p.messageId, token: p.token, code, options }));

  const dropForeign: DatagramGuard = (ctx, next) => {
    if (opts.allow === 'any' || isLanAddress(ctx.rsinfo.address)) next();
    // else: dropped without an answer (no reflection to spoofed addresses)
  };

  const watchAcks: DatagramGuard = (ctx, next) => {
    const p = ctx.packet;
    if (p && (p.ack || p.reset)) opts.onAck(`${ctx.rsinfo.address}:${ctx.rsinfo.port}`, p.messageId, p.reset);
    next();
  };

  const limitRate: DatagramGuard = (ctx, next) => {
    const p = ctx.packet;
    if (!opts.rateLimiter || !p || !isRequest(p)) { next(); return; }
    const wait = opts.rateLimiter.take(`ip:${addressKey(ctx.rsinfo.address)}`);
    if (wait === 0) { next(); return; }
    refuse(ctx, p, CoapCode.TOO_MANY_REQUESTS, [[OptionNumber.MAX_AGE, Math.ceil(wait / 1000)]]);
  };

  const guardUploads: DatagramGuard = (ctx, next) => {
    const p = ctx.packet;
    const raw = p?.options.find((o) => o.name === 'Block1')?.value;
    const block = raw === undefined ? undefined : parseBlock(raw);
    if (!p || !block || !isRequest(p)) { next(); return; }
    const size = 1 << (block.szx + 4);
    const reaches = block.num * size + (block.more ? size : Math.min(size, p.payload.length));
    if (reaches > opts.maxBodyBytes) {
      refuse(ctx, p, CoapCode.REQUEST_ENTITY_TOO_LARGE, [[OptionNumber.SIZE1, opts.maxBodyBytes]]);
      return;
    }
    const key = `${ctx.rsinfo.address}:${ctx.rsinfo.port}/${p.token.toString('hex')}`;
    const t = opts.now();
    for (const [k, u] of uploads) if (t - u.at > opts.uploadLifetimeMs) uploads.delete(k);
    if (!block.more) { uploads.delete(key); next(); return; }
    if (!uploads.has(key)) {
      const mine = [...uploads.values()].filter((u) => u.address === ctx.rsinfo.address).length;
      if (uploads.size >= opts.maxUploads || mine >= opts.maxUploadsPerAddress) {
        refuse(ctx, p, CoapCode.SERVICE_UNAVAILABLE, [[OptionNumber.MAX_AGE, 10]]);
        return;
      }
    }
    uploads.set(key, { address: ctx.rsinfo.address, at: t });
    next();
  };

  return { beforeParse: [dropForeign], afterParse: [watchAcks, limitRate, guardUploads] };
}
