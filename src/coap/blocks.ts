/** Block-wise transfer helpers (RFC 7959): the Block option value, and a byte-bounded memory of bodies sent in blocks. */

/** The block size Hearth sends (SZX 6 = 1024 bytes, the largest RFC 7959 allows). */
export const BLOCK_SZX = 6;
export const BLOCK_SIZE = 1 << (BLOCK_SZX + 4);

export interface BlockOption {
  num: number;
  more: boolean;
  /** Size exponent: the block is 2^(szx+4) bytes. */
  szx: number;
}

/**
 * Encodes a Block1/Block2 option value (RFC 7959 §2.2) in the fewest bytes.
 * @example encodeBlock({ num: 0, more: true, szx: 6 }) // <Buffer 0e>
 */
export function encodeBlock(b: BlockOption): Buffer {
  const v = (b.num << 4) | (b.more ? 8 : 0) | (b.szx & 7);
  if (v === 0) return Buffer.alloc(0);
  if (v < 0x100) return Buffer.of(v);
  if (v < 0x10000) return Buffer.of(v >> 8, v & 0xff);
  return Buffer.of(v >> 16, (v >> 8) & 0xff, v & 0xff);
}

/**
 * Parses a Block option value; undefined when it is longer than 3 bytes or uses the reserved SZX 7.
 * @example parseBlock(Buffer.of(0x1e)) // { num: 1, more: true, szx: 6 }
 */
export function parseBlock(value: Buffer | undefined): BlockOption | undefined {
  if (value === undefined || value.length > 3) return undefined;
  let v = 0;
  for (const byte of value) v = (v << 8) | byte;
  const szx = v & 7;
  if (szx === 7) return undefined;
  return { num: v >> 4, more: (v & 8) !== 0, szx };
}

/** Bytes of block `num` of `body` with `szx`, and the option saying whether more follow; undefined past the end. */
export function sliceBlock(body: Buffer, num: number, szx: number): { payload: Buffer; option: Buffer } | undefined {
  const size = 1 << (szx + 4);
  const start = num * size;
  if (start >= body.length && !(num === 0 && body.length === 0)) return undefined;
  const end = Math.min(body.length, start + size);
  return { payload: body.subarray(start, end), option: encodeBlock({ num, more: end < body.length, szx }) };
}

/**
 * The last bodies sent block-wise, per client endpoint and resource, so the follow-up GETs for blocks 1..n
 * (RFC 7959 §2.6: after a notification carried block 0) get exactly the data that was pushed. Bounded in bytes;
 * the least recently used body is dropped first.
 */
export function createBodyMemory(maxBytes: number) {
  const bodies = new Map<string, RememberedBody>();
  let bytes = 0;
  const drop = (key: string) => {
    const b = bodies.get(key);
    if (b) { bytes -= b.body.length; bodies.delete(key); }
  };
  return {
    remember(key: string, entry: RememberedBody): void {
      drop(key);
      if (entry.body.length > maxBytes) return;
      bodies.set(key, entry);
      bytes += entry.body.length;
      while (bytes > maxBytes) drop(bodies.keys().next().value!);
    },
    recall(key: string): RememberedBody | undefined {
      const b = bodies.get(key);
      if (b) { bodies.delete(key); bodies.set(key, b); }
      return b;
    },
    forget: drop,
    bytes: () => bytes,
  };
}

/** A body sent in blocks, with its Content-Format and the Observe sequence number of the notification that carried it. */
export interface RememberedBody { body: Buffer; format: number; observe: number }

export type BodyMemory = ReturnType<typeof createBodyMemory>;
