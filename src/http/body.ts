/** Request bodies: read with a byte limit (refusing early on Content-Length) and parsed as JSON. */
import type { IncomingMessage } from 'node:http';
import { MatrixError, tooLarge } from './errors.js';

/** Reads the body, failing with 413 M_TOO_LARGE as soon as it passes `limit` bytes; nothing past that is kept. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)); });
    req.on('error', (err) => { if (!failed) { failed = true; reject(err); } });
  });
}

/** Parses a JSON body; an empty body is `undefined`; anything unparseable is 400 M_NOT_JSON. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new MatrixError(400, 'M_NOT_JSON', 'Content not JSON.');
  }
}

/** The body as a JSON object, for endpoints that require one (400 M_NOT_JSON when absent, M_BAD_JSON when not an object). */
export function jsonObject(body: unknown, allowEmpty = false): Record<string, unknown> {
  if (body === undefined) {
    if (allowEmpty) return {};
    throw new MatrixError(400, 'M_NOT_JSON', 'Content not JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MatrixError(400, 'M_BAD_JSON', 'Content must be a JSON object.');
  return body as Record<string, unknown>;
}
