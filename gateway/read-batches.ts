/**
 * Bounds how many MQTT packets of one TCP connection the broker takes in at once. aedes parses everything a socket
 * has buffered and reads again only when all of it is handled; a device that pipelines a thousand QoS 1 publishes
 * would put all of them in flight (a few kB of heap each, held until its event commits). Cut at a packet boundary,
 * the rest waits in the socket, and TCP flow control holds the sender back, as MQTT 5's Receive Maximum would.
 */
import type { Socket } from 'node:net';

/** Packets handed to the broker per read of one connection (the writer commits up to 64 events a transaction). */
export const MAX_PACKETS_PER_READ = 64;

/**
 * The offset just past the `maxPackets`-th complete packet in `buf`, or `buf.length` when fewer are complete (a
 * partial packet, or a malformed length the parser will refuse, is left to the parser as it is).
 * @example packetBoundary(Buffer.from([0xc0, 0, 0xc0, 0, 0xc0, 0]), 2) // 4 (two PINGREQs)
 */
export function packetBoundary(buf: Uint8Array, maxPackets: number): number {
  let off = 0;
  for (let count = 0; count < maxPackets; count++) {
    // Fixed header: one byte of type and flags, then the remaining length in 1-4 bytes of 7 bits (MQTT 3.1.1 §2.2.3).
    let len = 0, mul = 1, i = off + 1, b = 0x80;
    for (let n = 0; n < 4 && (b & 0x80); n++) {
      if (i >= buf.length) return buf.length;
      b = buf[i++]!;
      len += (b & 0x7f) * mul;
      mul *= 128;
    }
    if (b & 0x80) return buf.length;
    const end = i + len;
    if (end >= buf.length) return buf.length;
    off = end;
  }
  return off;
}

/**
 * Makes the socket's `read()` return at most `maxPackets` complete packets; the rest goes back to the front of its
 * buffer (`unshift`) for the broker's next read, which aedes makes once those packets are handled.
 */
export function limitPacketsPerRead(socket: Socket, maxPackets = MAX_PACKETS_PER_READ): void {
  const read = socket.read.bind(socket);
  socket.read = (size?: number | null) => {
    if (size !== undefined && size !== null) return read(size);
    const buf = read() as Buffer | null;
    if (buf === null) return buf;
    const cut = packetBoundary(buf, maxPackets);
    if (cut >= buf.length) return buf;
    socket.unshift(buf.subarray(cut));
    return buf.subarray(0, cut);
  };
}
