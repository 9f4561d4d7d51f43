/** Benchmark: confirmable CBOR readings → committed events over CoAP (32 in flight), and bytes on the wire of a login + send + sync round, CoAP+CBOR vs HTTP+JSON. */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, request as coapRequest, type IncomingMessage } from 'coap';
import { decodeCbor, encodeCbor } from '../src/coap/cbor-keys.js';
import { HEARTH_BIN, api, median, startBenchHub, type BenchHub } from './support.js';

const IN_FLIGHT = 32;
const READINGS_PER_RUN = 6000;
const PASSWORD = 'bench-password-1';

/** A CON POST to /d/NAME/reading with Content-Format 60 and the device token in option 256 (RFC 7252 §3). */
function readingPacket(messageId: number, device: string, token: string, payload: Buffer): Buffer {
  const opt = (delta: number, value: Buffer) => {
    const d = delta < 13 ? [delta, []] : delta < 269 ? [13, [delta - 13]] : [14, [(delta - 269) >> 8, (delta - 269) & 0xff]];
    const l = value.length < 13 ? [value.length, []] : [13, [value.length - 13]];
    return Buffer.concat([Buffer.from([((d[0] as number) << 4) | (l[0] as number), ...(d[1] as number[]), ...(l[1] as number[])]), value]);
  };
  const tok = Buffer.alloc(4);
  tok.writeUInt32BE(messageId);
  return Buffer.concat([
    Buffer.from([0x44, 0x02, messageId >> 8, messageId & 0xff]), tok,
    opt(11, Buffer.from('d')), opt(0, Buffer.from(device)), opt(0, Buffer.from('reading')),
    opt(1, Buffer.from([60])), opt(256 - 12, Buffer.from(token)), Buffer.from([0xff]), payload,
  ]);
}

/** Posts `count` readings with `IN_FLIGHT` outstanding; resolves with committed readings per second (2.04 answers). */
async function readingRun(port: number, device: string, token: string, count: number, run: number): Promise<number> {
  const sock: Socket = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const pending = new Map<number, { buf: Buffer; resolve: (code: number) => void; timer: NodeJS.Timeout }>();
  sock.on('message', (m) => {
    const id = m.readUInt16BE(2);
    const p = pending.get(id);
    if (!p || m[1] === 0) return; // an empty ACK: the answer follows separately
    clearTimeout(p.timer);
    pending.delete(id);
    if (((m[0]! >> 4) & 3) === 0) sock.send(Buffer.from([0x60, 0, m[2]!, m[3]!]), port, '127.0.0.1'); // ACK a separate CON answer
    p.resolve(m[1]!);
  });
  const send = (id: number, buf: Buffer) => new Promise<number>((resolve) => {
    const retry = () => { sock.send(buf, port, '127.0.0.1'); const e = pending.get(id); if (e) e.timer = setTimeout(retry, 2000); };
    pending.set(id, { buf, resolve, timer: setTimeout(retry, 2000) });
    sock.send(buf, port, '127.0.0.1');
  });
  let next = 0;
  let committed = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < count) {
      const i = next++;
      const id = (run * count + i) & 0xffff;
      const payload = encodeCbor({ id: `r${run}-${i}`, temperature: 20 + (i % 50) / 10, humidity: 40 + (i % 7) }, { integerKeys: false });
      const code = await send(id, readingPacket(id, device, token, payload));
      if (code === ((2 << 5) | 4)) committed++;
    }
  }));
  const rate = committed / ((performance.now() - t0) / 1000);
  sock.close();
  if (committed !== count) throw new Error(`only ${committed} of ${count} readings were answered 2.04`);
  return rate;
}

/** UDP payload bytes both ways of the node-coap client's socket. */
function countingSocket(): { socket: Socket; bytes: () => { sent: number; received: number; datagrams: number } } {
  const socket = createSocket('udp4');
  let sent = 0, received = 0, datagrams = 0;
  const send = socket.send.bind(socket) as (...a: unknown[]) => void;
  (socket as unknown as { send: (...a: unknown[]) => void }).send = (...a: unknown[]) => {
    const buf = a[0] as Buffer;
    const len = typeof a[2] === 'number' && typeof a[1] === 'number' ? a[2] : buf.length;
    sent += len; datagrams++;
    send(...a);
  };
  socket.on('message', (m) => { received += m.length; datagrams++; });
  return { socket, bytes: () => ({ sent, received, datagrams }) };
}

function coapCall(agent: Agent, port: number, method: 'GET' | 'POST' | 'PUT', path: string[], body?: unknown, token?: string, query?: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = coapRequest({ hostname: '127.0.0.1', port, agent, method, pathname: '/' + path.join('/'), ...(query ? { query } : {}) });
    if (token) req.setOption('256', Buffer.from(token));
    const payload = body === undefined ? undefined : encodeCbor(body);
    if (payload) req.setOption('Content-Format', 60);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { const b = Buffer.concat(chunks); res.code.startsWith('2.') ? resolve(b.length ? decodeCbor(b) : {}) : reject(new Error(`${path[0]}: ${res.code}`)); });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** login (/1), send (/9), sync (/7) over CoAP with CBOR integer keys; the token goes once and then sticks. */
async function coapRound(port: number, user: string, roomId: string) {
  const { socket, bytes } = countingSocket();
  const agent = new Agent({ socket });
  const steps: number[] = [];
  const mark = () => { const b = bytes(); steps.push(b.sent + b.received - steps.reduce((x, y) => x + y, 0)); };
  const login = await coapCall(agent, port, 'POST', ['1'], { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: PASSWORD });
  mark();
  await coapCall(agent, port, 'PUT', ['9', roomId, 'm.room.message', 'wire1'], { msgtype: 'm.text', body: 'The kitchen is at 21.5 °C' }, login.access_token);
  mark();
  await coapCall(agent, port, 'GET', ['7'], undefined, undefined, 'timeout=0');
  mark();
  const b = bytes();
  socket.close();
  return { ...b, steps };
}

/** The same round over HTTP/1.1 + JSON on one keep-alive connection, counted at the socket (no TLS). */
async function httpRound(hub: BenchHub, user: string, roomId: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let socket: import('node:net').Socket | undefined;
  const call = (method: string, path: string, body?: unknown, token?: string) => new Promise<any>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${hub.url}/_matrix/client/v3${path}`, {
      method, agent, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      socket = res.socket;
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
  const steps: number[] = [];
  const mark = () => steps.push(socket!.bytesWritten + socket!.bytesRead - steps.reduce((x, y) => x + y, 0));
  const login = await call('POST', '/login', { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: PASSWORD });
  mark();
  await call('PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/wire1`, { msgtype: 'm.text', body: 'The kitchen is at 21.5 °C' }, login.access_token);
  mark();
  await call('GET', '/sync?timeout=0', undefined, login.access_token);
  mark();
  const out = { sent: socket!.bytesWritten, received: socket!.bytesRead, steps };
  agent.destroy();
  return out;
}

async function register(hub: BenchHub, username: string): Promise<void> {
  const post = (body: unknown) => fetch(`${hub.url}/_matrix/client/v3/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
  const first = await post({ username, password: PASSWORD });
  await post({ username, password: PASSWORD, auth: { type: 'm.login.dummy', session: first.session } });
}

export async function main(): Promise<Record<string, number>> {
  const hub = await startBenchHub(1, ['--coap-port', '0', '--coap-bind', '127.0.0.1', '--coap-rate-limit', 'off', '--registration', 'open',
    '--device-rate-limit', '1000000', '--device-rate-burst', '1000000']);
  try {
    const coapLine = /CoAP on coap:\/\/[^:]+:(\d+)/;
    for (let i = 0; i < 100 && !coapLine.test(hub.output()); i++) await new Promise((r) => setTimeout(r, 50));
    const port = Number(coapLine.exec(hub.output())?.[1]);
    const { stdout } = await promisify(execFile)(process.execPath, [HEARTH_BIN, 'device', 'add', 'bench1', '--profile', 'hearth', '--data-dir', hub.dir]);
    const device = JSON.parse(stdout) as { token: string };
    const rates: number[] = [];
    for (let run = 0; run < 3; run++) rates.push(await readingRun(port, 'bench1', device.token, READINGS_PER_RUN, run));
    console.log(`CoAP confirmable CBOR readings → committed events, ${IN_FLIGHT} in flight (median of 3 runs of ${READINGS_PER_RUN}): ${median(rates).toFixed(0)} events/s   (target >= 2000)`);

    const { room_id: roomId } = await api(hub, hub.users[0]!, 'POST', '/createRoom', { preset: 'public_chat', name: 'Kitchen' });
    for (const name of ['wirecoap', 'wirehttp']) {
      await register(hub, name);
      const login = await fetch(`${hub.url}/_matrix/client/v3/login`, { method: 'POST', body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: name }, password: PASSWORD }) }).then((r) => r.json() as Promise<any>);
      await api(hub, { userId: login.user_id, token: login.access_token }, 'POST', `/join/${encodeURIComponent(roomId)}`, {});
    }
    const c = await coapRound(port, 'wirecoap', roomId);
    const h = await httpRound(hub, 'wirehttp', roomId);
    const coapTotal = c.sent + c.received;
    const httpTotal = h.sent + h.received;
    console.log('Bytes on the wire, login + send + initial sync (application layer: UDP payloads vs HTTP/1.1 on one TCP connection, no TLS):');
    const col = (x: number | string, w = 10) => String(x).padStart(w);
    console.log(`  ${''.padEnd(10)}${col('sent')}${col('received')}${col('total')}${col('login')}${col('send')}${col('sync')}`);
    console.log(`  ${'CoAP+CBOR'.padEnd(10)}${col(c.sent)}${col(c.received)}${col(coapTotal)}${c.steps.map((x) => col(x)).join('')}   (${c.datagrams} datagrams incl. ACKs and blocks)`);
    console.log(`  ${'HTTP+JSON'.padEnd(10)}${col(h.sent)}${col(h.received)}${col(httpTotal)}${h.steps.map((x) => col(x)).join('')}`);
    console.log(`  CoAP+CBOR is ${(100 * coapTotal / httpTotal).toFixed(0)}% of HTTP+JSON`);
    return { readingsPerSec: median(rates), coapBytes: coapTotal, httpBytes: httpTotal };
  } finally {
    await hub.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
