/** Image sniffing from a file's first bytes: format, pixel size and animation for PNG/APNG, GIF, JPEG and WebP (no decoding). */

export type ImageFormat = 'png' | 'gif' | 'jpeg' | 'webp';

export interface ImageInfo {
  format: ImageFormat;
  /** The content type thumbnails of this format are served as. */
  contentType: 'image/png' | 'image/gif' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  /** true: several frames (APNG, animated GIF or WebP); false: one; undefined: the head read was too short to tell. */
  animated: boolean | undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG: IHDR gives the size; an `acTL` chunk before the first `IDAT` makes it an APNG. */
function png(b: Buffer): ImageInfo | undefined {
  if (b.length < 24 || !b.subarray(0, 8).equals(PNG_SIGNATURE) || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  let animated: boolean | undefined;
  for (let pos = 8; pos + 8 <= b.length;) {
    const type = b.toString('latin1', pos + 4, pos + 8);
    if (type === 'acTL') { animated = true; break; }
    if (type === 'IDAT' || type === 'IEND') { animated = false; break; }
    pos += 12 + b.readUInt32BE(pos);
  }
  return { format: 'png', contentType: 'image/png', width, height, animated };
}

/** Skips GIF data sub-blocks from `pos`; returns the position after the terminator, or -1 past the end of `b`. */
function skipSubBlocks(b: Buffer, pos: number): number {
  while (pos < b.length) {
    const n = b[pos]!;
    if (n === 0) return pos + 1;
    pos += n + 1;
  }
  return -1;
}

/** GIF: the logical screen gives the size; two image descriptors make it animated. */
function gif(b: Buffer): ImageInfo | undefined {
  const sig = b.toString('latin1', 0, 6);
  if (b.length < 13 || (sig !== 'GIF87a' && sig !== 'GIF89a')) return undefined;
  const width = b.readUInt16LE(6);
  const height = b.readUInt16LE(8);
  const flags = b[10]!;
  let pos = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  let frames = 0;
  let animated: boolean | undefined;
  while (pos >= 0 && pos < b.length && animated === undefined) {
    const block = b[pos]!;
    if (block === 0x3b) animated = frames > 1; // trailer
    else if (block === 0x21) pos = skipSubBlocks(b, pos + 2); // extension: introducer, label, sub-blocks
    else if (block === 0x2c) {
      if (++frames > 1) { animated = true; break; }
      if (pos + 10 > b.length) break;
      const local = b[pos + 9]!;
      pos += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0);
      pos = skipSubBlocks(b, pos + 1); // LZW minimum code size, then the image data
    } else return undefined; // not a GIF block: corrupt
  }
  return { format: 'gif', contentType: 'image/gif', width, height, animated };
}

/** JPEG: the first SOFn segment gives the size (in stored orientation). */
function jpeg(b: Buffer): ImageInfo | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return undefined;
    const marker = b[pos + 1]!;
    if (marker === 0xff) { pos++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { pos += 2; continue; }
    const len = b.readUInt16BE(pos + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (pos + 9 > b.length) return undefined;
      return { format: 'jpeg', contentType: 'image/jpeg', width: b.readUInt16BE(pos + 7), height: b.readUInt16BE(pos + 5), animated: false };
    }
    pos += 2 + len;
  }
  return undefined;
}

/** WebP: the first chunk (VP8, VP8L or VP8X) gives the size; VP8X's flags say whether it is animated. */
function webp(b: Buffer): ImageInfo | undefined {
  if (b.length < 30 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  const chunk = b.toString('latin1', 12, 16);
  const base = { format: 'webp' as const, contentType: 'image/webp' as const };
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return { ...base, width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff, animated: false };
  }
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21);
    return { ...base, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, animated: false };
  }
  if (chunk === 'VP8X') {
    return { ...base, width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1, animated: (b[20]! & 0x02) !== 0 };
  }
  return undefined;
}

/**
 * What the first bytes of a file say about the image in it, or undefined when it is not a PNG, GIF, JPEG or WebP
 * image with a non-zero size. Give it enough of the file (e.g. 256 KiB) to see past metadata chunks.
 */
export function sniffImage(head: Buffer): ImageInfo | undefined {
  const info = png(head) ?? gif(head) ?? jpeg(head) ?? webp(head);
  return info && info.width > 0 && info.height > 0 ? info : undefined;
}
