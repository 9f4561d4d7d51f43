/** CoAP device endpoints end to end: Debian's coap-client-notls as a native sensor, an HTTP client in its room. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCbor } from '../src/coap/cbor-keys.js';
import { startTestHub, tempDir, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { call } from './support/accounts.js';
import { coapAgent, coapClient, coapClientProcess, coapRequest, hexOption } from './support/coap.js';
import { waitFor } from './support/wait.js';

let hub: TestHub;
let alice: TestUser;
let base: string;
const dir = tempDir('hearth-coap-');
const sensor = { device: '', user_id: '', room_id: '', token: '' };

interface RoomEvent { event_id: string; type: string; sender: string; content: Record<string, any> }

/** The device room's latest events, newest first, as alice (an admin, joined) reads them over HTTP. */
async function roomEvents(limit = 30): Promise<RoomEvent[]> {
  const r = await call(hub, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(sensor.room_id)}/messages?dir=b&limit=${limit}`, undefined, alice.token);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.chunk as RoomEvent[];
}
const readingWith = (events: RoomEvent[], key: string) => events.find((e) => e.content['org.hearth.reading']?.values?.[key] !== undefined);

/** coap-client-notls posting to `/d/NAME/<item>` with the given token; resolves with its stderr (error codes). */
async function post(item: string, args: string[], token = sensor.token, name = 'sensor1'): Promise<string> {
  const r = await coapClient(['-m', 'post', ...(token ? ['-O', hexOption(256, token)] : []), ...args, `${base}/d/${name}/${item}`]);
  assert.equal(r.code, 0, r.stderr);
  return r.stderr.trim();
}

before(async () => {
  hub = await startTestHub({ coapPort: 0, coapBind: '127.0.0.1', commandTimeout: 1500, mqttMaxPayload: 4096 });
  base = hub.hs.coap()!.url;
  alice = await makeUser(hub, 'alice', true);
  Object.assign(sensor, await hub.hs.devices()!.admin.add({ name: 'sensor1', profile: 'hearth' }));
  const joined = await call(hub, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(sensor.room_id)}`, {}, alice.token);
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
});

after(async () => { await hub.stop(); });

describe('CoAP device readings (issue 6) from coap-client-notls', () => {
  it('prints `CoAP on coap://ADDR:PORT` material: the listener is bound where asked', () => {
    assert.match(base, /^coap:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a CBOR reading (Content-Format 60) is in the device room by the time the client has its answer', async () => {
    const file = join(dir, 'reading.cbor');
    writeFileSync(file, encodeCbor({ id: 'c-1', temperature: 21.5, units: { temperature: '°C' } }, { integerKeys: false }));
    assert.equal(await post('reading', ['-t', '60', '-f', file]), '');
    const e = readingWith(await roomEvents(), 'temperature');
    assert.ok(e, 'the reading was committed before the 2.04');
    assert.equal(e.sender, sensor.user_id);
    assert.equal(e.content.msgtype, 'm.notice');
    assert.match(e.content.body, /21\.5 °C/);
  });

  it('a JSON reading (Content-Format 50) arrives the same way', async () => {
    assert.equal(await post('reading', ['-t', '50', '-e', '{"id":"j-1","humidity":40}']), '');
    assert.equal(readingWith(await roomEvents(), 'humidity')?.content['org.hearth.reading'].values.humidity, 40);
  });

  it('an event (`/d/NAME/event`) becomes the room event it names', async () => {
    assert.equal(await post('event', ['-t', '50', '-e', '{"type":"org.example.doorbell","content":{"pressed":true}}']), '');
    const e = (await roomEvents()).find((x) => x.type === 'org.example.doorbell');
    assert.deepEqual(e?.content, { pressed: true });
  });

  it('block-wise transfer (RFC 7959 Block1, 64-byte blocks) carries a reading larger than one datagram', async () => {
    const values = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`probe_${i}`, i]));
    const payload = JSON.stringify({ id: 'big-1', ...values });
    assert.ok(payload.length > 700);
    assert.equal(await post('reading', ['-t', '50', '-b', '64', '-e', payload]), '');
    const e = readingWith(await roomEvents(), 'probe_59');
    assert.equal(Object.keys(e!.content['org.hearth.reading'].values).length, 60);
  });

  it('a confirmable POST is answered 2.04 Changed, once; a retry with the same reading id commits nothing new', async () => {
    const { agent, close } = coapAgent();
    try {
      const port = hub.hs.coap()!.port;
      for (let i = 0; i < 2; i++) {
        const r = await coapRequest(agent, port, { method: 'POST', path: ['d', 'sensor1', 'reading'], token: sensor.token, format: 50, body: { id: 'dup-1', lux: 300 } });
        assert.equal(r.code, '2.04');
      }
      const lux = (await roomEvents()).filter((e) => e.content['org.hearth.reading']?.values?.lux === 300);
      assert.equal(lux.length, 1);
    } finally { close(); }
  });
});

describe('CoAP device refusals (issue 6)', () => {
  it('a wrong token gets 4.01, and so does none', async () => {
    assert.equal(await post('reading', ['-t', '50', '-e', '{"x":1}'], 'not-the-token'), '4.01');
    assert.equal(await post('reading', ['-t', '50', '-e', '{"x":1}'], ''), '4.01');
  });

  it('an unknown device gets 4.04', async () => {
    assert.equal(await post('reading', ['-t', '50', '-e', '{"x":1}'], sensor.token, 'nosuch'), '4.04');
  });

  it('a bad payload gets 4.00: broken JSON, bytes that are not CBOR, CBOR that is not a map', async () => {
    assert.equal(await post('reading', ['-t', '50', '-e', '{"x":']), '4.00');
    const notCbor = join(dir, 'bad.cbor');
    writeFileSync(notCbor, Buffer.from([0xff, 0xff]));
    assert.equal(await post('reading', ['-t', '60', '-f', notCbor]), '4.00');
    const scalar = join(dir, 'scalar.cbor');
    writeFileSync(scalar, encodeCbor(42));
    assert.equal(await post('reading', ['-t', '60', '-f', scalar]), '4.00');
  });

  it('a payload over the device limit gets 4.13 (block-wise, 6 KB against --mqtt-max-payload 4k)', async () => {
    const payload = JSON.stringify({ blob: 'x'.repeat(6000) });
    assert.equal(await post('reading', ['-t', '50', '-b', '1024', '-e', payload]), '4.13');
  });

  it('a Content-Format other than JSON, CBOR or text gets 4.15', async () => {
    assert.equal(await post('reading', ['-t', '41', '-e', '<x/>']), '4.15');
  });

  it('a method other than POST/PUT on a reading gets 4.05', async () => {
    const r = await coapClient(['-m', 'delete', '-O', hexOption(256, sensor.token), `${base}/d/sensor1/reading`]);
    assert.equal(r.stderr.trim(), '4.05');
  });
});

describe('CoAP device commands (issue 6: Observe, RFC 7641)', () => {
  it('an observed /d/NAME/command delivers a command sent in the room, and the device answers it', async () => {
    const observer = coapClientProcess(['-m', 'get', '-s', '30', '-O', hexOption(256, sensor.token), `${base}/d/sensor1/command`]);
    try {
      await new Promise((r) => setTimeout(r, 300)); // the registration reaches the hub
      const sent = await call(hub, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(sensor.room_id)}/send/m.room.message/cmd1`, { msgtype: 'm.text', body: '!blink 3' }, alice.token);
      assert.equal(sent.status, 200);
      const line = await observer.waitFor(/\{[^\n]*"command":"blink"[^\n]*\}/);
      const command = JSON.parse(line) as { id: string; command: string; args: string[]; sender: string };
      assert.deepEqual(command.args, ['3']);
      assert.equal(command.sender, alice.userId);
      assert.equal(command.id, sent.body.event_id);
      assert.equal(await post('command/result', ['-t', '50', '-e', JSON.stringify({ id: command.id, ok: true, result: 'blinked' })]), '');
      const reply = await waitFor(async () => (await roomEvents()).find((e) => e.content['m.relates_to']?.['m.in_reply_to']?.event_id === command.id), 'the command reply');
      assert.equal(reply.sender, sensor.user_id);
      assert.match(reply.content.body, /✓ blinked/);
    } finally {
      observer.stop();
    }
  });

  it('observing needs the device token too (4.01)', async () => {
    const r = await coapClient(['-m', 'get', '-O', hexOption(256, 'nope'), `${base}/d/sensor1/command`]);
    assert.equal(r.stderr.trim(), '4.01');
  });
});
