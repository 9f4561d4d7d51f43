/** The signed CBOR envelope's byte layout: the bytes a device signs, and the envelope map itself (no I/O, no node:crypto). */
/**
 * Largest counter an envelope may carry (2^53 - 1, so it survives JavaScript numbers on both ends).
 * @example
 * if (counter >= MAX_COUNTER) rotateKey();
 */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

/**
 * The envelope as a CBOR map with one-letter text keys.
 * @example
 * const env: Envelope = { p: payload, d: 'kitchen', c: 1, s: signature };
 */
export interface Envelope {
  /** The payload bytes (the reading, event or state as CBOR or JSON). */
  p: Uint8Array;
  /** The device name (its MQTT username). */
  d: string;
  /** A counter that increases with every envelope the device sends. */
  c: number;
  /** The 64-byte ed25519 signature over {@link signingBytes}`(d, c, p)`. */
  s: Uint8Array;
}

/** A CBOR head: major type and argument in the shortest form (RFC 8949 §3, preferred serialisation). */
function head(major: number, n: number): number[] {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  if (n < 0x100000000) return [m | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const hi = Math.floor(n / 0x100000000);
  const lo = n >>> 0;
  return [m | 27, (hi >>> 24) & 0xff, (hi >> 16) & 0xff, (hi >> 8) & 0xff, hi & 0xff, (lo >>> 24) & 0xff, (lo >> 16) & 0xff, (lo >> 8) & 0xff, lo & 0xff];
}

/**
 * The bytes a device signs: CBOR `[d, c, p]` in preferred serialisation, i.e. `0x83`, the device name as a
 * text string (major 3), the counter as an unsigned integer (major 0, shortest form), the payload as a byte
 * string (major 2). Firmware can build it with a dozen lines of C.
 * @example
 * signingBytes('k', 1, new Uint8Array([0xa0])) // Uint8Array [0x83, 0x61, 0x6b, 0x01, 0x41, 0xa0]
 */
export function signingBytes(device: string, counter: number, payload: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError('counter must be a non-negative safe integer');
  const name = new TextEncoder().encode(device);
  const out = new Uint8Array(1 + 9 + name.length + 9 + 9 + payload.length);
  let i = 0;
  const put = (bytes: ArrayLike<number>) => { out.set(bytes, i); i += bytes.length; };
  put([0x83]);
  put(head(3, name.length)); put(name);
  put(head(0, counter));
  put(head(2, payload.length)); put(payload);
  return out.slice(0, i);
}

/**
 * Encodes an envelope as the CBOR map `{"p": bstr, "d": tstr, "c": uint, "s": bstr}` in that key order,
 * preferred serialisation, no tags (built by hand so it is byte-for-byte what firmware produces).
 * @example
 * const bytes = encodeEnvelope({ p: payload, d: 'kitchen', c: 17, s: signature }); // starts 0xa4 0x61 0x70
 */
export function encodeEnvelope(env: Envelope): Uint8Array {
  const name = new TextEncoder().encode(env.d);
  const parts: ArrayLike<number>[] = [
    [0xa4],
    [0x61, 0x70], head(2, env.p.length), env.p,
    [0x61, 0x64], head(3, name.length), name,
    [0x61, 0x63], head(0, env.c),
    [0x61, 0x73], head(2, env.s.length), env.s,
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) { out.set(p, i); i += p.length; }
  return out;
}
