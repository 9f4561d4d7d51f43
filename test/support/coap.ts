/** Test support: a node-coap client for the hub's CoAP port (requests, observations) and Debian's coap-client-notls. */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Agent, request, type IncomingMessage, type ObserveReadStream } from 'coap';
import { decodeCbor, encodeCbor } from '../../src/coap/cbor-keys.js';

export const COAP_CLIENT = '/usr/bin/coap-client-notls';

export interface CoapReply {
  code: string;
  payload: Buffer;
  /** Content-Format as a number (undefined: none). */
  format: number | undefined;
  headers: Record<string, unknown>;
  /** The payload decoded: CBOR (integer keys expanded) or JSON; undefined when empty. */
  body: any;
}

export interface CoapRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Uri-Path segments, sent as they are. */
  path: string[];
  query?: Record<string, string>;
  /** A JSON value sent as CBOR with integer keys (default) or JSON (`format: 50`), or raw bytes. */
  body?: unknown;
  format?: 50 | 60;
  accept?: 50 | 60;
  /** Option 256. */
  token?: string;
  /** Extra options by name or number. */
  options?: Record<string, Buffer | number>;
  confirmable?: boolean;
}

/**
 * A client agent on one UDP socket for its whole life, so the hub sees one client endpoint (MSC3079's sticky
 * token is per endpoint; node-coap's default agent closes its socket when idle and comes back on a new port).
 */
export function coapAgent(): { agent: Agent; close(): void } {
  const socket = createSocket('udp4');
  return { agent: new Agent({ socket }), close: () => socket.close() };
}

const FORMATS: Record<string, number> = { 'application/json': 50, 'application/cbor': 60, 'text/plain': 0, 'application/octet-stream': 42 };

function toReply(res: IncomingMessage, payload: Buffer): CoapReply {
  const cf = res.headers['Content-Format'];
  const format = typeof cf === 'number' ? cf : typeof cf === 'string' ? FORMATS[cf] : undefined;
  let body: unknown;
  if (payload.length > 0) body = format === 60 ? decodeCbor(payload) : format === 50 ? JSON.parse(payload.toString()) : payload.toString();
  return { code: res.code, payload, format, headers: res.headers as Record<string, unknown>, body };
}

function build(agent: Agent, port: number, o: CoapRequestOptions, observe: boolean) {
  const format = o.format ?? 60;
  const req = request({
    hostname: '127.0.0.1', port, agent, method: o.method ?? 'GET', confirmable: o.confirmable ?? true,
    pathname: '/' + o.path.join('/'), ...(o.query ? { query: new URLSearchParams(o.query).toString() } : {}),
    ...(observe ? { observe: true } : {}),
  });
  if (o.token !== undefined) req.setOption('256', Buffer.from(o.token));
  if (o.accept !== undefined) req.setOption('Accept', o.accept);
  for (const [k, v] of Object.entries(o.options ?? {})) req.setOption(k, v);
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(o.body)) payload = o.body;
  else if (o.body !== undefined) payload = format === 60 ? encodeCbor(o.body) : Buffer.from(JSON.stringify(o.body));
  if (payload) req.setOption('Content-Format', format);
  return { req, payload };
}

/** One request; resolves with the (block-wise reassembled) reply. */
export function coapRequest(agent: Agent, port: number, o: CoapRequestOptions): Promise<CoapReply> {
  return new Promise((resolve, reject) => {
    const { req, payload } = build(agent, port, o, false);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(toReply(res, Buffer.concat(chunks))));
    });
    req.on('error', reject);
    req.on('timeout', reject);
    req.end(payload);
  });
}

export interface Observation {
  /** The next notification (the registration's own answer first), within `timeoutMs`. */
  next(timeoutMs?: number): Promise<CoapReply>;
  close(): void;
}

/** A GET with Observe: 0; notifications are queued until `next()` takes them. */
export function coapObserve(agent: Agent, port: number, o: CoapRequestOptions): Observation {
  const queue: CoapReply[] = [];
  const waiters: Array<(r: CoapReply) => void> = [];
  let stream: ObserveReadStream | undefined;
  const { req } = build(agent, port, o, true);
  req.on('response', (res: ObserveReadStream) => {
    stream = res;
    res.on('data', (payload: Buffer) => {
      const r = toReply(res, payload);
      const w = waiters.shift();
      if (w) w(r); else queue.push(r);
    });
  });
  req.end();
  return {
    next(timeoutMs = 10_000) {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no CoAP notification within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((r) => { clearTimeout(timer); resolve(r); });
      });
    },
    close() { stream?.close(); },
  };
}

export interface ProcessResult { code: number | null; stdout: string; stderr: string }

/** Runs coap-client-notls to completion. */
export function coapClient(args: string[], timeoutMs = 15_000): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(COAP_CLIENT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { p.kill(); reject(new Error(`coap-client-notls timed out: ${stderr}`)); }, timeoutMs);
    p.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** A long-running coap-client-notls (e.g. `-s` to observe); `next` waits for stdout to contain a match. */
export function coapClientProcess(args: string[]) {
  const p = spawn(COAP_CLIENT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return {
    async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const m = pattern.exec(stdout);
        if (m) return m[0];
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`coap-client-notls printed no ${pattern} within ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`);
    },
    output: () => ({ stdout, stderr }),
    stop() { if (p.exitCode === null) p.kill(); },
  };
}

/** The option argument for coap-client-notls carrying `text` as hex (safe whatever the text starts with). */
export const hexOption = (num: number, text: string) => `${num},0x${Buffer.from(text).toString('hex')}`;
