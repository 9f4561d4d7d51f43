/** Unpadded Base64 and URL-safe unpadded Base64 (appendices §"Unpadded Base64"), encode and decode. */
import { Buffer } from 'node:buffer';

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9\-_]*={0,2}$/;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function stripPadding(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x3d /* = */) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Checks the shape RFC 4648 allows once padding is optional: the alphabet, and a length that is not 1 mod 4. */
function checkShape(s: string, alphabet: RegExp): string {
  if (!alphabet.test(s)) throw new SyntaxError('invalid base64: unexpected character');
  const body = stripPadding(s);
  if (body.length % 4 === 1) throw new SyntaxError('invalid base64: bad length');
  // Padding, when present, must complete the last quantum exactly.
  if (body.length !== s.length && s.length % 4 !== 0) throw new SyntaxError('invalid base64: bad padding');
  return body;
}

/**
 * Encodes bytes as unpadded Base64 with the standard RFC 4648 alphabet.
 * @example encodeBase64(new TextEncoder().encode('foob')) // 'Zm9vYg'
 */
export function encodeBase64(bytes: Uint8Array): string {
  return stripPadding(asBuffer(bytes).toString('base64'));
}

/**
 * Encodes bytes as URL-safe unpadded Base64 (`-` and `_` for values 62 and 63).
 * @example encodeBase64Url(new Uint8Array([0xfb, 0xff])) // '-_8'
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('base64url');
}

/**
 * Decodes standard Base64, with or without `=` padding ("implementations SHOULD accept input with or
 * without padding"). Throws `SyntaxError` on characters outside the alphabet or an impossible length.
 * @example new TextDecoder().decode(decodeBase64('Zm9vYg==')) // 'foob'
 */
export function decodeBase64(s: string): Uint8Array {
  const body = checkShape(s, STANDARD);
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/**
 * Decodes URL-safe Base64, with or without `=` padding. Throws `SyntaxError` on invalid input.
 * @example decodeBase64Url('-_8') // Uint8Array [0xfb, 0xff]
 */
export function decodeBase64Url(s: string): Uint8Array {
  const body = checkShape(s, URL_SAFE);
  return new Uint8Array(Buffer.from(body, 'base64url'));
}
