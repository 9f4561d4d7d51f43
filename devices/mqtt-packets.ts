/** The few MQTT 3.1.1 packets a device needs (CONNECT … DISCONNECT), encoded and parsed on Uint8Array only. Pure. */

/**
 * MQTT 3.1.1 control packet types (§2.2.1), shifted into the first byte.
 * @example
 * bytes[0] >> 4 === PacketType.PUBACK
 */
export const PacketType = {
  CONNECT: 1, CONNACK: 2, PUBLISH: 3, PUBACK: 4, SUBSCRIBE: 8, SUBACK: 9, PINGREQ: 12, PINGRESP: 13, DISCONNECT: 14,
} as const;

/**
 * A parsed packet: its type, the flags of the first byte and the bytes after the remaining length.
 * @example
 * // { type: 4, flags: 0, body: Uint8Array [0x00, 0x07] }: PUBACK of packet id 7
 */
export interface Packet { type: number; flags: number; body: Uint8Array }

/**
 * What CONNECT says: client id, credentials, keep-alive and a Last Will (QoS 1).
 * @example
 * const c: ConnectFields = { clientId: 'k-1', username: 'k', password: t, keepalive: 60, will: { topic: 'hearth/k/status', payload: 'offline', retain: true } };
 */
export interface ConnectFields {
  clientId: string;
  username: string;
  password: string;
  keepalive: number;
  will?: { topic: string; payload: string; retain: boolean };
}

const utf8 = new TextEncoder();

/** A length-prefixed field (§1.5.3): two bytes of length, big-endian, then the bytes. */
function field(bytes: Uint8Array): number[] {
  return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
}

/** First byte, the remaining length as a variable byte integer (§2.2.3), then the body. */
function frame(first: number, body: ArrayLike<number>): Uint8Array {
  const len: number[] = [];
  let n = body.length;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    len.push(b);
  } while (n > 0);
  const out = new Uint8Array(1 + len.length + body.length);
  out[0] = first;
  out.set(len, 1);
  out.set(body, 1 + len.length);
  return out;
}

/**
 * CONNECT (§3.1) with a clean session, user name and password, and the Last Will at QoS 1.
 * @example
 * ws.send(connectPacket({ clientId: 'k-1', username: 'k', password: token, keepalive: 60 }));
 */
export function connectPacket(c: ConnectFields): Uint8Array {
  // user name 0x80, password 0x40, will retain 0x20, will QoS 1 0x08, will flag 0x04, clean session 0x02
  const flags = 0x80 | 0x40 | 0x02 | (c.will ? 0x04 | 0x08 | (c.will.retain ? 0x20 : 0) : 0);
  const body = [
    ...field(utf8.encode('MQTT')), 4, flags, c.keepalive >> 8, c.keepalive & 0xff,
    ...field(utf8.encode(c.clientId)),
    ...(c.will ? [...field(utf8.encode(c.will.topic)), ...field(utf8.encode(c.will.payload))] : []),
    ...field(utf8.encode(c.username)), ...field(utf8.encode(c.password)),
  ];
  return frame(0x10, body);
}

/**
 * PUBLISH (§3.3): QoS 0 without a packet id, QoS 1 with one.
 * @example
 * ws.send(publishPacket('hearth/k/reading', cbor, 1, 7, false));
 */
export function publishPacket(topic: string, payload: Uint8Array, qos: 0 | 1, packetId: number, retain: boolean): Uint8Array {
  const head = [...field(utf8.encode(topic)), ...(qos === 1 ? [packetId >> 8, packetId & 0xff] : [])];
  const body = new Uint8Array(head.length + payload.length);
  body.set(head);
  body.set(payload, head.length);
  return frame(0x30 | (qos << 1) | (retain ? 1 : 0), body);
}

/**
 * PUBACK (§3.4) for a QoS 1 PUBLISH the device received.
 * @example
 * ws.send(pubackPacket(7)); // 40 02 00 07
 */
export function pubackPacket(packetId: number): Uint8Array {
  return frame(0x40, [packetId >> 8, packetId & 0xff]);
}

/**
 * SUBSCRIBE (§3.8) to one topic filter at QoS 1 (the first byte's reserved bits are 0010).
 * @example
 * ws.send(subscribePacket('hearth/k/command', 1));
 */
export function subscribePacket(filter: string, packetId: number): Uint8Array {
  return frame(0x82, [packetId >> 8, packetId & 0xff, ...field(utf8.encode(filter)), 1]);
}

/**
 * PINGREQ (§3.12): a first byte and a zero remaining length.
 * @example
 * ws.send(PINGREQ); // the broker answers PINGRESP (d0 00)
 */
export const PINGREQ = Uint8Array.of(0xc0, 0);
/**
 * DISCONNECT (§3.14): a clean goodbye, so the broker does not publish the Last Will.
 * @example
 * ws.send(DISCONNECT); ws.close();
 */
export const DISCONNECT = Uint8Array.of(0xe0, 0);

/**
 * A PUBLISH the broker sent: topic, QoS, packet id (QoS 1) and payload.
 * @example
 * const p = parsePublish(packet); if (p.qos === 1) ws.send(pubackPacket(p.packetId));
 */
export function parsePublish(p: Packet): { topic: string; qos: number; packetId: number; payload: Uint8Array } {
  const qos = (p.flags >> 1) & 3;
  const tlen = (p.body[0]! << 8) | p.body[1]!;
  const topic = new TextDecoder().decode(p.body.subarray(2, 2 + tlen));
  let i = 2 + tlen;
  let packetId = 0;
  if (qos > 0) { packetId = (p.body[i]! << 8) | p.body[i + 1]!; i += 2; }
  return { topic, qos, packetId, payload: p.body.slice(i) };
}

/**
 * Splits a byte stream into packets: WebSocket messages may carry part of a packet or several.
 * @example
 * const parser = createPacketParser(); ws.onmessage = (e) => parser.push(new Uint8Array(e.data)).forEach(handle);
 */
export function createPacketParser(): { push(chunk: Uint8Array): Packet[] } {
  let buf = new Uint8Array(0);
  return {
    push(chunk) {
      const joined = new Uint8Array(buf.length + chunk.length);
      joined.set(buf);
      joined.set(chunk, buf.length);
      const out: Packet[] = [];
      let i = 0;
      for (;;) {
        if (joined.length - i < 2) break;
        let len = 0, mult = 1, j = i + 1, complete = false;
        for (let k = 0; k < 4 && j < joined.length; k++, j++) {
          const b = joined[j]!;
          len += (b & 0x7f) * mult;
          mult *= 128;
          if ((b & 0x80) === 0) { complete = true; j++; break; }
        }
        if (!complete) {
          if (j - i - 1 >= 4) throw new Error('malformed MQTT remaining length');
          break;
        }
        if (joined.length - j < len) break;
        out.push({ type: joined[i]! >> 4, flags: joined[i]! & 0x0f, body: joined.slice(j, j + len) });
        i = j + len;
      }
      buf = joined.slice(i);
      return out;
    },
  };
}
