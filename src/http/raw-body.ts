/** Raw request bodies (media uploads): streamed to a temp file with a byte limit and a sha256, never held in memory. */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { tooLarge } from './errors.js';
import type { RawBody } from './route.js';

/**
 * Streams `req` into a new file in `dir`, failing with 413 M_TOO_LARGE as soon as the declared
 * Content-Length or the bytes received pass `limit` (the file is removed; nothing more is read).
 */
export async function receiveRawBody(req: IncomingMessage, dir: string, limit: number): Promise<RawBody> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(`Upload is larger than the limit of ${limit} bytes`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `upload-${process.pid}-${randomBytes(8).toString('hex')}`);
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let size = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        req.off('data', onData);
        req.pause(); // read no more of a refused body; the 413 reply closes the connection
        out.destroy();
        reject(err);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) { fail(tooLarge(`Upload is larger than the limit of ${limit} bytes`)); return; }
        hash.update(chunk);
        // Backpressure: stop reading while the disk catches up (a Pi's SD card is slow).
        if (!out.write(chunk)) { req.pause(); out.once('drain', () => { if (!failed) req.resume(); }); }
      };
      req.on('data', onData);
      req.once('end', () => { if (!failed) out.end(); });
      req.once('close', () => { if (!req.complete) fail(new Error('the client went away during the upload')); });
      req.once('error', fail);
      out.once('error', fail);
      out.once('finish', () => { if (!failed) resolve(); });
    });
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return { path, size, sha256: hash.digest('hex') };
}

/** Removes the temp file of a received body unless the handler moved it away (then this is a no-op). */
export async function discardRawBody(pending: Promise<RawBody>): Promise<void> {
  const body = await pending.catch(() => undefined);
  if (body) await rm(body.path, { force: true });
}

/** Sends a stream reply: headers first, then the stream piped with backpressure; HEAD sends the headers only. */
export function sendStream(res: ServerResponse, status: number, headers: Record<string, string>, stream: Readable, head: boolean): Promise<void> {
  res.writeHead(status, headers);
  if (head) { stream.destroy(); res.end(); return Promise.resolve(); }
  return new Promise((resolve) => {
    const done = () => { stream.destroy(); resolve(); };
    // A client that goes away mid-download is normal: stop reading the file and finish quietly.
    res.once('close', done);
    stream.once('error', () => { res.destroy(); done(); });
    stream.pipe(res);
  });
}
