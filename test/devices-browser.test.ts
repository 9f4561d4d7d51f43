/** The browser build of hearth/devices (issue 7) against a real hub over ws://: in Node with the `ws` package, and in headless Chromium. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { connectDevice, generateDeviceKey, type Device, type WebSocketConstructor } from '../devices/browser.js';
import { buildBrowser } from '../scripts/build-browser.mjs';
import { startTestHub, tempDir, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { call } from './support/accounts.js';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing, and CI must run the browser test (.ci/run installs chromium)`);

interface RoomEvent { event_id: string; type: string; content: Record<string, any> }

let hub: TestHub;
let alice: TestUser;
let wsUrl: string;
const dir = tempDir('hearth-browser-');

async function enrol(name: string, key: string): Promise<{ device: string; token: string; room_id: string }> {
  const d = await hub.hs.devices()!.admin.add({ name, profile: 'hearth', key });
  const joined = await call(hub, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(d.room_id)}`, {}, alice.token);
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
  return d;
}

async function roomEvents(roomId: string): Promise<RoomEvent[]> {
  const r = await call(hub, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=30`, undefined, alice.token);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.chunk as RoomEvent[];
}
const readings = (events: RoomEvent[]) => events.filter((e) => e.content['org.hearth.reading']).map((e) => e.content['org.hearth.reading'].values as Record<string, unknown>);

async function sendCommand(roomId: string, command: string, args: string[]): Promise<string> {
  const r = await call(hub, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/org.hearth.command/t${Math.random()}`, { command, args }, alice.token);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.event_id as string;
}

async function replyTo(roomId: string, eventId: string, ms = 10_000): Promise<RoomEvent> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const reply = (await roomEvents(roomId)).find((e) => e.content['m.relates_to']?.['m.in_reply_to']?.event_id === eventId);
    if (reply) return reply;
  }
  throw new Error('timed out waiting for the command reply');
}

before(async () => {
  hub = await startTestHub({ mqttPort: 0, mqttWsPort: 0, commandTimeout: 8000 });
  wsUrl = hub.hs.gateway()!.wsUrl!.replace('0.0.0.0', '127.0.0.1');
  alice = await makeUser(hub, 'alice', true);
});

after(async () => { await hub.stop(); });

describe('browser entry in Node (devices/browser.ts, MQTT 3.1.1 over a WebSocket from the `ws` package)', () => {
  it('a status made before the CONNACK waits for it; signed readings resolve on PUBACK, in order, in the room; a command round-trips', async () => {
    const key = await generateDeviceKey();
    const s = await enrol('ws-lite', key.publicKey);
    const dev: Device = await connectDevice({ url: wsUrl, device: s.device, token: s.token, key: key.secretKey, WebSocket: WebSocket as unknown as WebSocketConstructor });
    try {
      dev.onCommand((c) => ({ echoed: c.args[0] }));
      await dev.setStatus('online'); // made before the CONNACK: held, then sent and acknowledged
      await dev.reading({ lux: 120 });
      await Promise.all([2, 3, 4].map((n) => dev.reading({ n })));
      assert.deepEqual(readings(await roomEvents(s.room_id)).map((v) => v.lux ?? v.n).reverse(), [120, 2, 3, 4]);
      const reply = await replyTo(s.room_id, await sendCommand(s.room_id, 'echo', ['hi']));
      assert.deepEqual(reply.content['org.hearth.command_result'], { ok: true, result: { echoed: 'hi' } });
    } finally { await dev.close(); }
  });

  it('refuses URLs a browser cannot open (mqtt://, coap://)', async () => {
    for (const url of ['mqtt://127.0.0.1:1883', 'coap://127.0.0.1']) {
      await assert.rejects(connectDevice({ url, device: 'x', token: 'y' }), /ws:\/\/ or wss:\/\/ only/);
    }
  });
});

/** The page: imports the bundle, makes a key, has it enrolled, sends a signed reading, answers a command, reports in the DOM. */
const PAGE = (config: unknown) => `<!doctype html>
<html><head><meta charset="utf-8"><title>hearth/devices in a browser</title></head>
<body><pre id="status">starting</pre>
<script type="application/json" id="config">${JSON.stringify(config)}</script>
<script type="module">
import { connectDevice, generateDeviceKey } from '/hearth-devices.js';
const { wsUrl } = JSON.parse(document.getElementById('config').textContent);
const status = document.getElementById('status');
const post = (path, body) => fetch(path, { method: 'POST', body: JSON.stringify(body) });
try {
  const key = await generateDeviceKey();
  const { device, token } = await (await post('/enrol', { publicKey: key.publicKey })).json();
  const dev = await connectDevice({ url: wsUrl, device, token, key: key.secretKey });
  const commanded = new Promise((resolve) => dev.onCommand((c) => { resolve(c); return { shown: c.args[0] }; }));
  await dev.reading({ lux: 321, from: 'chromium' });
  status.textContent = 'reading acknowledged';
  await post('/acked', {});
  const c = await commanded;
  status.textContent = 'answering ' + c.command;
  do await new Promise((r) => setTimeout(r, 20)); while (dev.pending() > 0); // the result is acknowledged
  await dev.close();
  status.textContent = 'ok ' + JSON.stringify({ command: c.command, args: c.args });
} catch (err) {
  status.textContent = 'error ' + (err && err.message);
}
await post('/done', { status: status.textContent });
</script>
<img src="/hold.gif" alt="">
</body></html>`;

/** 1×1 transparent GIF. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function body(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => resolve(JSON.parse(b || '{}'))); });
}

describe('browser bundle in headless Chromium (dist/browser/hearth-devices.js over ws://)', { skip: haveChromium ? false : `${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)` }, () => {
  it('the page signs and sends a reading (in the room), answers a command (reply in the room), and the DOM says ok', async () => {
    const bundle = join(dir, 'hearth-devices.js');
    await buildBrowser({ outfile: bundle });
    let enrolled: { device: string; token: string; room_id: string } | undefined;
    let commandId: string | undefined;
    let releaseHold!: () => void;
    const done = new Promise<void>((r) => { releaseHold = r; });
    const holdTimer = setTimeout(releaseHold, 45_000);
    const server: Server = createServer((req, res: ServerResponse) => {
      const route = `${req.method} ${req.url}`;
      const json = (v: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(v)); };
      if (route === 'GET /page.html') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(PAGE({ wsUrl })); return; }
      if (route === 'GET /hearth-devices.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(readFileSync(bundle)); return; }
      if (route === 'GET /hold.gif') { void done.then(() => { res.writeHead(200, { 'content-type': 'image/gif' }); res.end(GIF); }); return; }
      if (route === 'POST /enrol') {
        void body(req).then(async (b) => { enrolled = await enrol('chromium-panel', b.publicKey); json({ device: enrolled.device, token: enrolled.token }); })
          .catch((err: Error) => { res.writeHead(500); res.end(err.message); });
        return;
      }
      if (route === 'POST /acked') { void sendCommand(enrolled!.room_id, 'show', ['hello']).then((id) => { commandId = id; json({}); }); return; }
      if (route === 'POST /done') { void body(req).then(() => { releaseHold(); json({}); }); return; }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/page.html`;
    try {
      const child = spawn(CHROMIUM, [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', pageUrl,
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
      let dom = '', errors = '';
      child.stdout.on('data', (c) => { dom += c; });
      child.stderr.on('data', (c) => { errors += c; });
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      clearTimeout(killer);
      const status = /<pre id="status">([^<]*)<\/pre>/.exec(dom)?.[1]?.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      assert.equal(code, 0, errors.split('\n').slice(-10).join('\n'));
      assert.equal(status, 'ok {"command":"show","args":["hello"]}', dom);
      const events = await roomEvents(enrolled!.room_id);
      assert.deepEqual(readings(events).map((v) => [v.lux, v.from]), [[321, 'chromium']]);
      assert.deepEqual((await replyTo(enrolled!.room_id, commandId!)).content['org.hearth.command_result'], { ok: true, result: { shown: 'hello' } });
    } finally {
      clearTimeout(holdTimer);
      releaseHold();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
