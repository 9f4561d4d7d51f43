/** The device SDK (issue 7) against a real hub: readings, events and state over MQTT, WebSocket and CoAP; commands and their results. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectDevice, generateDeviceKey, type Command, type Device } from '../devices/index.js';
import { startTestHub, tempDir, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { call } from './support/accounts.js';
import { freePort } from './support/mqtt.js';
import { waitFor } from './support/wait.js';

interface RoomEvent { event_id: string; type: string; sender: string; content: Record<string, any> }
interface Enrolled { device: string; user_id: string; room_id: string; token: string }

let hub: TestHub;
let alice: TestUser;
let mqttUrl: string, wsUrl: string, coapUrl: string;
const devices: Device[] = [];
const dir = tempDir('hearth-devices-');

async function enrol(name: string, key?: string): Promise<Enrolled> {
  const d = await hub.hs.devices()!.admin.add({ name, profile: 'hearth', ...(key ? { key } : {}) });
  const joined = await call(hub, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(d.room_id)}`, {}, alice.token);
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
  return d;
}

async function connect(o: Parameters<typeof connectDevice>[0]): Promise<Device> {
  const d = await connectDevice(o);
  devices.push(d);
  return d;
}

async function roomEvents(roomId: string, limit = 30): Promise<RoomEvent[]> {
  const r = await call(hub, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=${limit}`, undefined, alice.token);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.chunk as RoomEvent[];
}
const readings = (events: RoomEvent[]) => events.filter((e) => e.content['org.hearth.reading']).map((e) => e.content['org.hearth.reading'].values as Record<string, unknown>);

/** Sends an org.hearth.command to the room as alice and waits for the device's reply to it. */
async function command(roomId: string, content: Record<string, unknown>): Promise<RoomEvent> {
  const sent = await call(hub, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/org.hearth.command/t${Math.random()}`, content, alice.token);
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const id = sent.body.event_id as string;
  return waitFor(async () => (await roomEvents(roomId)).find((e) => e.content['m.relates_to']?.['m.in_reply_to']?.event_id === id), 'the command reply');
}

before(async () => {
  hub = await startTestHub({ mqttPort: 0, mqttWsPort: 0, coapPort: 0, coapBind: '127.0.0.1', commandTimeout: 4000 });
  const gw = hub.hs.gateway()!;
  mqttUrl = gw.mqttUrl!.replace('0.0.0.0', '127.0.0.1');
  wsUrl = gw.wsUrl!.replace('0.0.0.0', '127.0.0.1');
  coapUrl = hub.hs.coap()!.url;
  alice = await makeUser(hub, 'alice', true);
});

after(async () => {
  for (const d of devices) await d.close().catch(() => undefined);
  await hub.stop();
});

describe('Device SDK over MQTT (README "Device SDK"; README "Devices and MQTT" topics)', () => {
  it('a CBOR reading resolves on PUBACK, and by then it is an m.notice in the device room', async () => {
    const s = await enrol('sdk-mqtt');
    const dev = await connect({ url: mqttUrl, device: s.device, token: s.token });
    await dev.reading({ temperature: 21.5, humidity: 40 });
    const [values] = readings(await roomEvents(s.room_id));
    assert.equal(Number(values?.temperature), 21.5); // floats become strings in events (canonical JSON has no floats)
    assert.equal(values?.humidity, 40);
  });

  it('readings keep their order, each arriving once (message ids), and events and state land as sent', async () => {
    const s = await enrol('sdk-order');
    const dev = await connect({ url: mqttUrl, device: s.device, token: s.token });
    await Promise.all([1, 2, 3, 4, 5].map((n) => dev.reading({ n })));
    await dev.send('org.example.doorbell', { pressed: true });
    await dev.setState('org.example.mode', 'living', { mode: 'eco' });
    const events = await roomEvents(s.room_id);
    assert.deepEqual(readings(events).map((v) => v.n).reverse(), [1, 2, 3, 4, 5]);
    assert.deepEqual(events.find((e) => e.type === 'org.example.doorbell')?.content, { pressed: true });
    const state = await call(hub, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(s.room_id)}/state/org.example.mode/living`, undefined, alice.token);
    assert.deepEqual(state.body, { mode: 'eco' });
  });

  it('JSON encoding over MQTT-over-WebSocket (ws://) works the same', async () => {
    const s = await enrol('sdk-ws');
    const dev = await connect({ url: wsUrl, device: s.device, token: s.token, encoding: 'json' });
    await dev.reading({ co2: 612 });
    assert.equal(readings(await roomEvents(s.room_id))[0]?.co2, 612);
  });

  it('a room command reaches onCommand; the return value comes back as the result, a thrown error as ok: false', async () => {
    const s = await enrol('sdk-cmd');
    const dev = await connect({ url: mqttUrl, device: s.device, token: s.token });
    const seen: Command[] = [];
    dev.onCommand((c) => {
      seen.push(c);
      if (c.command === 'fail') throw new Error('cannot do that');
      return { blinked: c.args[0] };
    });
    await dev.reading({ ready: 1 }); // connected and subscribed (the subscription precedes the first publish)
    const ok = await command(s.room_id, { command: 'blink', args: [3] });
    assert.equal(seen[0]?.command, 'blink');
    assert.deepEqual(seen[0]?.args, ['3']); // the gateway passes args as strings
    assert.equal(seen[0]?.sender, alice.userId);
    assert.deepEqual(ok.content['org.hearth.command_result'], { ok: true, result: { blinked: '3' } });
    const bad = await command(s.room_id, { command: 'fail', args: [] });
    assert.deepEqual(bad.content['org.hearth.command_result'], { ok: false, error: 'cannot do that' });
  });

  it('readings queued while the hub is unreachable are kept in queueFile and delivered in order after reconnecting', async () => {
    const s = await enrol('sdk-queue');
    const queueFile = join(dir, 'queue.json');
    const offline = await connectDevice({ url: `mqtt://127.0.0.1:${await freePort()}`, device: s.device, token: s.token, queueFile });
    const pending = [offline.reading({ seq: 1 }), offline.reading({ seq: 2 })];
    pending.forEach((p) => p.catch(() => undefined));
    await waitFor(async () => (existsSync(queueFile) && (JSON.parse(readFileSync(queueFile, 'utf8')) as unknown[]).length === 2 ? true : undefined), 'the queue file');
    await offline.close();
    await assert.rejects(pending[0]!, /closed before the hub acknowledged/);
    const online = await connect({ url: mqttUrl, device: s.device, token: s.token, queueFile });
    await waitFor(async () => (online.pending() === 0 ? true : undefined), 'the queue to drain');
    assert.deepEqual(readings(await roomEvents(s.room_id)).map((v) => v.seq).reverse(), [1, 2]);
    assert.deepEqual(JSON.parse(readFileSync(queueFile, 'utf8')), []);
  });
});

describe('signed envelopes (README "Device SDK": {p, d, c, s}) for a device enrolled with --key', () => {
  it('signed readings and command results are accepted; unsigned or wrongly signed ones are dropped', async () => {
    const key = await generateDeviceKey();
    const s = await enrol('sdk-signed', key.publicKey);
    const dev = await connect({ url: mqttUrl, device: s.device, token: s.token, key: key.secretKey });
    dev.onCommand(() => 'signed answer');
    await dev.reading({ seq: 1 });
    const reply = await command(s.room_id, { command: 'ping', args: [] });
    assert.deepEqual(reply.content['org.hearth.command_result'], { ok: true, result: 'signed answer' });
    const unsigned = await connect({ url: mqttUrl, device: s.device, token: s.token });
    await unsigned.reading({ seq: 2 }); // acknowledged (dropped), so the device does not retry forever
    const other = await generateDeviceKey();
    const forged = await connect({ url: mqttUrl, device: s.device, token: s.token, key: other.secretKey });
    await forged.reading({ seq: 3 });
    await dev.reading({ seq: 4 });
    assert.deepEqual(readings(await roomEvents(s.room_id)).map((v) => v.seq).reverse(), [1, 4]);
  });
});

describe('Device SDK over CoAP (README "Devices over CoAP": POST /d/NAME/reading, GET /d/NAME/command with Observe)', () => {
  it('a reading resolves on the 2.04 and is in the room; a command arrives by Observe and its result comes back', async () => {
    const s = await enrol('sdk-coap');
    const dev = await connect({ url: coapUrl, device: s.device, token: s.token });
    dev.onCommand((c) => `ok ${c.command}`);
    await dev.reading({ lux: 300 });
    assert.equal(readings(await roomEvents(s.room_id))[0]?.lux, 300);
    await new Promise((r) => setTimeout(r, 200)); // the observation registers
    const reply = await command(s.room_id, { command: 'ping', args: [] });
    assert.deepEqual(reply.content['org.hearth.command_result'], { ok: true, result: 'ok ping' });
  });

  it('a wrong token is refused (4.01) and the reading rejects instead of retrying forever', async () => {
    const s = await enrol('sdk-coap-bad');
    const dev = await connect({ url: coapUrl, device: s.device, token: 'not-the-token' });
    await assert.rejects(dev.reading({ lux: 1 }), /4\.01/);
    assert.equal(dev.pending(), 0);
  });
});
