/** Block-wise uploads (RFC 7959 Block1) assembled before node-coap sees them: keyed by endpoint, method and URI (libcoap changes the token on every block), bounded in size and number. */
import { encodeBlock, parseBlock } from './blocks.js';
import { CoapCode, OptionNumber } from './codes.js';
import { answer, endpointOf, isRequest, type DatagramGuard, type Packet } from './datagram.js';

export interface UploadOptions {
  /** Largest body an upload may reach (4.13 with Size1 past it). */
  maxBodyBytes: number;
  /** Uploads being assembled at once, overall and per address (5.03 past them). */
  maxUploads: number;
  maxUploadsPerAddress: number;
  /** An upload with no new block for this long is dropped. */
  uploadLifetimeMs: number;
  now(): number;
}

interface Upload { address: string; chunks: Buffer[]; bytes: number; at: number }

/** Finished uploads remembered so a retransmitted last block gets the same whole body again. */
const REMEMBER_DONE = 16;

/** The request's method and URI (Uri-Path and Uri-Query options), as a key. */
function requestKey(endpoint: string, p: Packet): string {
  const uri = p.options.filter((o) => o.name === 'Uri-Path' || o.name === 'Uri-Query').map((o) => `${String(o.name)[4]}${o.value.toString('hex')}`);
  return `${endpoint} ${p.code} ${uri.join('/')}`;
}

const uintOf = (b: Buffer | undefined) => (b === undefined ? undefined : b.length === 0 ? 0 : b.readUIntBE(0, Math.min(b.length, 6)));

/**
 * The guard: blocks with M set are stored and answered 2.31 Continue; the last one goes on to node-coap carrying
 * the whole body as a single block (NUM 0, M 0), so node-coap's own per-token reassembly has nothing left to join.
 */
export function createUploads(opts: UploadOptions): DatagramGuard {
  const uploads = new Map<string, Upload>();
  const done = new Map<string, Buffer>();

  return (ctx, next) => {
    const p = ctx.packet;
    const at = p ? p.options.findIndex((o) => o.name === 'Block1') : -1;
    if (!p || at === -1 || !isRequest(p)) { next(); return; }
    const raw = p.options[at]!.value;
    const block = parseBlock(raw);
    if (!block) { answer(ctx, CoapCode.BAD_OPTION); return; }
    const key = requestKey(endpointOf(ctx), p);
    const t = opts.now();
    for (const [k, u] of uploads) if (t - u.at > opts.uploadLifetimeMs) uploads.delete(k);
    const tooLarge = () => { uploads.delete(key); answer(ctx, CoapCode.REQUEST_ENTITY_TOO_LARGE, [[OptionNumber.SIZE1, opts.maxBodyBytes]]); };
    const deliver = (body: Buffer) => {
      p.payload = body;
      p.options[at] = { name: 'Block1', value: encodeBlock({ num: 0, more: false, szx: block.szx }) };
      next();
    };

    const again = done.get(`${key}#${p.messageId}`);
    if (again) { deliver(again); return; }
    // RFC 7959 §4: Size1 in a request announces the whole size; refuse at once when it is too much.
    const announced = uintOf(p.options.find((o) => o.name === 'Size1')?.value);
    if (announced !== undefined && announced > opts.maxBodyBytes) { tooLarge(); return; }
    const offset = block.num * (1 << (block.szx + 4));
    let u = uploads.get(key);
    if (offset === 0 && (!u || u.bytes > 0)) {
      const mine = [...uploads.values()].filter((x) => x.address === ctx.rsinfo.address).length;
      if (!uploads.has(key) && (uploads.size >= opts.maxUploads || mine >= opts.maxUploadsPerAddress)) {
        answer(ctx, CoapCode.SERVICE_UNAVAILABLE, [[OptionNumber.MAX_AGE, 10]]);
        return;
      }
      u = { address: ctx.rsinfo.address, chunks: [], bytes: 0, at: t };
      uploads.set(key, u);
    }
    if (!u) { answer(ctx, CoapCode.REQUEST_ENTITY_INCOMPLETE); return; }
    if (offset < u.bytes && offset + p.payload.length <= u.bytes && block.more) {
      answer(ctx, CoapCode.CONTINUE, [[OptionNumber.BLOCK1, raw]]); // a retransmitted block we already have
      return;
    }
    // RFC 7959 §2.9.2: a block that does not continue the body makes the upload incomplete.
    if (offset !== u.bytes) { uploads.delete(key); answer(ctx, CoapCode.REQUEST_ENTITY_INCOMPLETE); return; }
    if (u.bytes + p.payload.length > opts.maxBodyBytes) { tooLarge(); return; }
    u.chunks.push(p.payload);
    u.bytes += p.payload.length;
    u.at = t;
    if (block.more) { answer(ctx, CoapCode.CONTINUE, [[OptionNumber.BLOCK1, raw]]); return; }
    uploads.delete(key);
    const body = Buffer.concat(u.chunks);
    done.set(`${key}#${p.messageId}`, body);
    while (done.size > REMEMBER_DONE) done.delete(done.keys().next().value!);
    deliver(body);
  };
}
