/** Signed envelopes (issue 7): the highest accepted counter survives a hub restart, so a replayed counter is refused afterwards, over MQTT and CoAP. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import mqtt from 'mqtt';
import { coapTransport } from '../devices/coap-transport.js';
import { encodePayload } from '../devices/codec.js';
import { createSealer, generateDeviceKey } from '../devices/identity.js';
import { PermanentError } from '../devices/transport.js';
import { startTestHub, tempDir, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { call } from './support/accounts.js';

const dataDir = tempDir('hearth-replay-');
let hub: TestHub | undefined;
after(async () => {
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () => startTestHub({ dataDir, mqttPort: 0, coapPort: 0, coapBind: '127.0.0.1' });

/** A reading sealed as the device would send it, with exactly counter `c`. */
const sealed = (device: string, secretKey: string, c: number, seq: number) =>
  createSealer(device, secretKey, c).seal(encodePayload({ seq, id: `${device}-${seq}` }, 'cbor'));

async function seqs(h: TestHub, alice: TestUser, roomId: string): Promise<number[]> {
  const r = await call(h, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=f&limit=50`, undefined, alice.token);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (r.body.chunk as Array<{ content: Record<string, any> }>).flatMap((e) => {
    const v = e.content['org.hearth.reading']?.values?.seq;
    return typeof v === 'number' ? [v] : [];
  });
}

/** Publishes raw bytes at QoS 1 and resolves on the PUBACK (a dropped message is acknowledged too). */
async function mqttPublish(h: TestHub, device: string, token: string, bytes: Uint8Array): Promise<void> {
  const client = await mqtt.connectAsync(h.hs.gateway()!.mqttUrl!.replace('0.0.0.0', '127.0.0.1'), { username: device, password: token, reconnectPeriod: 0 });
  try { await client.publishAsync(`hearth/${device}/reading`, Buffer.from(bytes), { qos: 1 }); } finally { await client.endAsync(); }
}

/** POSTs raw bytes to /d/NAME/reading; resolves to 'changed' on 2.04, or the refusal's message. */
async function coapPost(h: TestHub, device: string, token: string, bytes: Uint8Array): Promise<string> {
  const t = coapTransport({ url: h.hs.coap()!.url, device, token, format: 60 });
  try {
    await t.publish('reading', bytes);
    return 'changed';
  } catch (err) {
    assert.ok(err instanceof PermanentError, String(err));
    return err.message;
  } finally { await t.close(); }
}

describe('signed envelope counters persist across a hub restart (README "Signed envelope")', () => {
  it('counter N accepted, hub restarted on the same data dir, counter N again refused and N+1 accepted: over MQTT and CoAP', async () => {
    hub = await start();
    const alice = await makeUser(hub, 'alice', true);
    const keyM = await generateDeviceKey();
    const keyC = await generateDeviceKey();
    const m = await hub.hs.devices()!.admin.add({ name: 'replay-mqtt', profile: 'hearth', key: keyM.publicKey });
    const c = await hub.hs.devices()!.admin.add({ name: 'replay-coap', profile: 'hearth', key: keyC.publicKey });
    for (const d of [m, c]) assert.equal((await call(hub, 'POST', `/_matrix/client/v3/join/${encodeURIComponent(d.room_id)}`, {}, alice.token)).status, 200);
    const N = 1_000_000;

    await mqttPublish(hub, m.device, m.token, await sealed(m.device, keyM.secretKey, N, 1));
    const coapFirst = await sealed(c.device, keyC.secretKey, N, 1);
    assert.equal(await coapPost(hub, c.device, c.token, coapFirst), 'changed');
    assert.deepEqual(await seqs(hub, alice, m.room_id), [1]);
    assert.deepEqual(await seqs(hub, alice, c.room_id), [1]);

    await hub.stop();
    hub = await start();

    // Counter N with a new message id (so only the counter can catch it), and the very same CoAP bytes again.
    await mqttPublish(hub, m.device, m.token, await sealed(m.device, keyM.secretKey, N, 99));
    assert.match(await coapPost(hub, c.device, c.token, await sealed(c.device, keyC.secretKey, N, 99)), /CoAP 4\.00/);
    assert.match(await coapPost(hub, c.device, c.token, coapFirst), /CoAP 4\.00/);
    await mqttPublish(hub, m.device, m.token, await sealed(m.device, keyM.secretKey, N + 1, 2));
    assert.equal(await coapPost(hub, c.device, c.token, await sealed(c.device, keyC.secretKey, N + 1, 2)), 'changed');

    assert.deepEqual(await seqs(hub, alice, m.room_id), [1, 2]);
    assert.deepEqual(await seqs(hub, alice, c.room_id), [1, 2]);
    const stored = (await hub.store.envelopeCounters.list()).filter((r) => r.device.startsWith('replay-'));
    assert.deepEqual(stored.map((r) => [r.device, r.counter, r.publicKey === (r.device === m.device ? keyM : keyC).publicKey]),
      [[c.device, N + 1, true], [m.device, N + 1, true]]);
  });
});
