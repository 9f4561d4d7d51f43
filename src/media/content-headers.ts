/** Response headers for served media: Content-Type, Content-Disposition (spec §"Serving inline content") and security headers. */

/** The spec's list of types that may be served with `Content-Disposition: inline` (SVG and HTML are not among them). */
export const INLINE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'text/css', 'text/plain', 'text/csv', 'application/json', 'application/ld+json',
  'image/jpeg', 'image/gif', 'image/png', 'image/apng', 'image/webp', 'image/avif',
  'video/mp4', 'video/webm', 'video/ogg', 'video/quicktime',
  'audio/mp4', 'audio/webm', 'audio/aac', 'audio/mpeg', 'audio/ogg', 'audio/wave', 'audio/wav', 'audio/x-wav',
  'audio/x-pn-wav', 'audio/flac', 'audio/x-flac',
]);

/** Text types served with `; charset=UTF-8` when the upload named no charset (the spec allows adding one; Synapse does). */
const TEXT_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'text/css', 'text/csv', 'text/html', 'text/calendar', 'text/plain', 'text/javascript', 'application/json',
  'application/ld+json', 'application/rtf', 'image/svg+xml', 'text/xml',
]);

/** Headers every media response carries: a sandboxing CSP (the spec's recommendation, as Synapse sends it) and CORP. */
export const MEDIA_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';",
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow, noarchive, noimageindex',
  // Media never changes once uploaded.
  'Cache-Control': 'public, max-age=86400, s-maxage=86400',
});

/** The type and subtype of a Content-Type, lower-cased, without parameters. */
export function baseContentType(contentType: string): string {
  return contentType.split(';', 1)[0]!.trim().toLowerCase();
}

/** What an upload's Content-Type header is stored as: printable ASCII as sent, else `application/octet-stream`. */
export function uploadContentType(header: string | undefined): string {
  const v = header?.trim() ?? '';
  return /^[\x21-\x7e][\x20-\x7e]*$/.test(v) ? v : 'application/octet-stream';
}

/** The Content-Type to serve: as uploaded, with a UTF-8 charset added to bare text types. */
export function servedContentType(contentType: string): string {
  return TEXT_CONTENT_TYPES.has(contentType.trim().toLowerCase()) ? `${contentType}; charset=UTF-8` : contentType;
}

/** RFC 2616 token characters: a file name made only of them can be sent as `filename=NAME`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 5987 attr-char; everything else is percent-encoded as UTF-8 in `filename*=utf-8''…`. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function rfc5987(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * `inline` for the spec's inline-safe types, else `attachment`, with the file name when there is one:
 * `filename=NAME` when NAME is a token, else `filename*=utf-8''PERCENT-ENCODED` (as Synapse does).
 */
export function contentDisposition(contentType: string, fileName: string | null): string {
  const kind = INLINE_CONTENT_TYPES.has(baseContentType(contentType)) ? 'inline' : 'attachment';
  if (fileName === null || fileName === '') return kind;
  return TOKEN.test(fileName) ? `${kind}; filename=${fileName}` : `${kind}; filename*=utf-8''${rfc5987(fileName)}`;
}

/** A single byte range of a file, inclusive. */
export interface ByteRange { start: number; end: number }

/**
 * The one range a `Range: bytes=…` header asks for, `'unsatisfiable'`, or undefined to serve the whole file
 * (no header, another unit, several ranges or a malformed value are all answered with the whole file, as RFC 9110 allows).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    // A suffix range: the last N bytes.
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
