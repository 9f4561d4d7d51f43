/** Raw CoAP datagrams below node-coap: the parsed packet its middlewares pass along, and replies built without it. */
import type { Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { MessageType, type CoapCode } from './codes.js';

/** A parsed datagram as node-coap's own `parseRequest` middleware leaves it. */
export interface Packet {
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

/** One entry of node-coap's middleware list: call `next()` to go on; not calling it drops the datagram. */
export type DatagramGuard = (ctx: DatagramContext, next: (err?: Error | null) => void) => void;

/** Whether the packet is a request (0.01-0.31), not an empty ACK/RST or a response. */
export const isRequest = (p: Packet): boolean => p.code.startsWith('0.') && p.code !== '0.00';

/** `address:port` of the sender. */
export const endpointOf = (ctx: DatagramContext): string => `${ctx.rsinfo.address}:${ctx.rsinfo.port}`;

/** An unsigned option value in the fewest bytes (0 is empty). */
function uintBytes(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from(bytes);
}

/**
 * A reply built without node-coap: piggybacked on the ACK of a CON request, else NON. Options are
 * [number, uint or raw bytes]; option deltas up to 268 and values up to 12 bytes (all these replies need).
 * @example encodeReply({ confirmable: false, messageId: 0x1234, token: Buffer.alloc(0), code: '4.04' }) // <50 84 12 34>
 */
export function encodeReply(p: { confirmable: boolean; messageId: number; token: Buffer; code: CoapCode; options?: Array<[number, number | Buffer]> }): Buffer {
  const type = p.confirmable ? MessageType.ACK : MessageType.NON;
  const [cls, detail] = p.code.split('.').map(Number) as [number, number];
  const parts: Buffer[] = [Buffer.of(0x40 | (type << 4) | p.token.length, (cls << 5) | detail, p.messageId >> 8, p.messageId & 0xff), p.token];
  let last = 0;
  for (const [num, v] of [...(p.options ?? [])].sort((a, b) => a[0] - b[0])) {
    const value = typeof v === 'number' ? uintBytes(v) : v;
    const delta = num - last;
    last = num;
    if (delta < 13) parts.push(Buffer.of((delta << 4) | value.length));
    else parts.push(Buffer.of((13 << 4) | value.length, delta - 13));
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** Sends an answer to the request in `ctx` straight from the server's socket. */
export function answer(ctx: DatagramContext, code: CoapCode, options: Array<[number, number | Buffer]> = []): void {
  const p = ctx.packet!;
  const buf = encodeReply({ confirmable: p.confirmable, messageId: p.messageId, token: p.token, code, options });
  (ctx.server._sock as Socket | null)?.send(buf, ctx.rsinfo.port, ctx.rsinfo.address);
}
