/** Datagram guards run inside node-coap's middleware list before it handles a packet: LAN-only sources, per-address rate limit, ACK tracking, block-wise uploads. */
import { addressKey, type RateLimiter } from '../http/rate-limit.js';
import { CoapCode, OptionNumber } from './codes.js';
import { answer, endpointOf, isRequest, type DatagramGuard } from './datagram.js';
import { createUploads, type UploadOptions } from './uploads.js';

export interface GuardOptions extends UploadOptions {
  /** 'lan': datagrams from public addresses are dropped unanswered; 'any': all are served. */
  allow: 'lan' | 'any';
  /** Per source address; absent: no limit. */
  rateLimiter?: RateLimiter;
  /** An ACK or RST arrived (observe notifications wait for it). */
  onAck(endpoint: string, messageId: number, reset: boolean): void;
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

/** The guards, by where they go in node-coap's list: before it parses the datagram, and after. */
export function createGuards(opts: GuardOptions): { beforeParse: DatagramGuard[]; afterParse: DatagramGuard[] } {
  const dropForeign: DatagramGuard = (ctx, next) => {
    if (opts.allow === 'any' || isLanAddress(ctx.rsinfo.address)) next();
    // else: dropped without an answer (no reflection to spoofed addresses)
  };

  const watchAcks: DatagramGuard = (ctx, next) => {
    const p = ctx.packet;
    if (p && (p.ack || p.reset)) opts.onAck(endpointOf(ctx), p.messageId, p.reset);
    next();
  };

  const limitRate: DatagramGuard = (ctx, next) => {
    const p = ctx.packet;
    if (!opts.rateLimiter || !p || !isRequest(p)) { next(); return; }
    const wait = opts.rateLimiter.take(`ip:${addressKey(ctx.rsinfo.address)}`);
    if (wait === 0) { next(); return; }
    answer(ctx, CoapCode.TOO_MANY_REQUESTS, [[OptionNumber.MAX_AGE, Math.ceil(wait / 1000)]]);
  };

  return { beforeParse: [dropForeign], afterParse: [watchAcks, limitRate, createUploads(opts)] };
}
