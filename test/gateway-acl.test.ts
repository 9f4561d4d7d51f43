/** Gateway access control and robustness: CONNECT refusals, topic ACLs, $SYS, bad payloads, rate limits, removal, WebSocket. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import type * as sdk from 'matrix-js-sdk';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { runHearth } from './support/cli.js';
import { mosquittoPub, mosquittoSub } from './support/mqtt.js';
import { joinWhenInvited, startSdkClient, stateContent, timeline, until, waitForEvent } from './support/sdk.js';

let hub: TestHub;
let alice: TestUser;
let ac: sdk.MatrixClient;
let port: number;
type Added = { device: string; user_id: string; room_id: string; token: string };
let plug: Added, sensor: Added, noisy: Added, junk: Added;

const readingWith = (key: string, value: unknown) => (e: sdk.MatrixEvent) =>
  e.getType() === 'm.room.message' && e.getContent()['org.hearth.reading']?.values?.[key] === value;

before(async () => {
  hub = await startTestHub({ mqttPort: 0, mqttWsPort: 0, mqttMaxPayload: 2048, deviceRateLimit: 1, deviceRateBurst: 8 });
  port = Number(new URL(hub.hs.gateway()!.mqttUrl!.replace(/^mqtt:/, 'http:')).port);
  alice = await makeUser(hub, 'alice', true);
  const admin = hub.hs.devices()!.admin;
  plug = await admin.add({ name: 'kitchen', profile: 'tasmota', topic: 'tasmota_ABC123' });
  sensor = await admin.add({ name: 'sensor1', profile: 'hearth' });
  noisy = await admin.add({ name: 'noisy', profile: 'hearth' });
  junk = await admin.add({ name: 'junk', profile: 'hearth' });
  ac = await startSdkClient(hub.clientUrl, alice);
  for (const d of [plug, sensor, noisy, junk]) await joinWhenInvited(ac, d.room_id);
});

after(async () => {
  ac?.stopClient();
  await hub.stop();
});

describe('CONNECT (issue 5: access control: unknown clients and wrong passwords refused)', () => {
  it('a wrong password is refused with CONNACK 4 (bad user name or password)', async () => {
    const r = await mosquittoPub(port, ['-u', 'kitchen', '-P', 'not-the-token', '-t', 'tele/tasmota_ABC123/SENSOR', '-m', '{}']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /bad user name or password/i);
  });

  it('an unknown device and a client without a username are refused', async () => {
    assert.match((await mosquittoPub(port, ['-u', 'nobody', '-P', plug.token, '-t', 'x', '-m', '1'])).stderr, /bad user name or password/i);
    assert.match((await mosquittoPub(port, ['-t', 'x', '-m', '1'])).stderr, /not authori[sz]ed/i);
  });
});

describe('topic ACLs (issue 5: a device publishes and subscribes only on its own topics)', () => {
  it("one device cannot publish into another's room: the publish is refused and nothing reaches the room", async () => {
    const r = await mosquittoPub(port, ['-u', 'sensor1', '-P', sensor.token, '-q', '1', '-t', 'tele/tasmota_ABC123/SENSOR', '-m', '{"Spoof":4242}']);
    assert.notEqual(r.code, 0, 'the broker closes the connection instead of acknowledging');
    await mosquittoPub(port, ['-u', 'kitchen', '-P', plug.token, '-q', '1', '-t', 'tele/tasmota_ABC123/SENSOR', '-m', '{"Marker":1}']);
    await waitForEvent(ac, plug.room_id, readingWith('Marker', 1));
    assert.equal(timeline(ac, plug.room_id).filter(readingWith('Spoof', 4242)).length, 0);
  });

  it("a device cannot subscribe to another device's commands, to # or to $SYS", async () => {
    for (const topic of ['cmnd/tasmota_ABC123/#', '#', '$SYS/#']) {
      const sub = mosquittoSub(port, ['-u', 'sensor1', '-P', sensor.token, '-t', topic]);
      await sub.exited;
      assert.match(sub.stderr(), /denied/, topic);
    }
  });

  it('publishing under $SYS is refused', async () => {
    assert.notEqual((await mosquittoPub(port, ['-u', 'sensor1', '-P', sensor.token, '-q', '1', '-t', '$SYS/broker/x', '-m', '1'])).code, 0);
  });
});

describe('bad payloads and limits (issue 5: dropped with a log line, never crashing the hub)', () => {
  it('malformed and oversize payloads are dropped; repeated drops become a status event and a notice', async () => {
    const bad = ['{not json', '[1,2', 'x'.repeat(4096), '\u00ff\u00fe', '{"id":'];
    for (const m of bad) assert.equal((await mosquittoPub(port, ['-u', 'junk', '-P', junk.token, '-q', '1', '-t', 'hearth/junk/reading', '-m', m])).code, 0);
    const status = await until(ac, () => stateContent(ac, junk.room_id, 'org.hearth.device.status')?.dropped as { count: number; reasons: Record<string, number> } | undefined);
    assert.equal(status.count, 5);
    assert.equal(status.reasons.oversize, 1);
    assert.equal(status.reasons.malformed, 4);
    await waitForEvent(ac, junk.room_id, (e) => /dropped 5 messages/.test(String(e.getContent().body)));
    await mosquittoPub(port, ['-u', 'junk', '-P', junk.token, '-q', '1', '-t', 'hearth/junk/reading', '-m', '{"lux":300}']);
    await waitForEvent(ac, junk.room_id, readingWith('lux', 300));
  });

  it('a device over its rate limit loses QoS 0 messages beyond the burst, and the drops are reported', async () => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'noisy', password: noisy.token, reconnectPeriod: 0 });
    try {
      for (let i = 0; i < 20; i++) await c.publishAsync('hearth/noisy/reading', JSON.stringify({ n: i }), { qos: 0 });
      const status = await until(ac, () => stateContent(ac, noisy.room_id, 'org.hearth.device.status')?.dropped as { reasons: Record<string, number> } | undefined);
      assert.ok(status.reasons['rate-limited']! >= 5);
      const got = timeline(ac, noisy.room_id).filter((e) => e.getContent()['org.hearth.reading'] !== undefined).length;
      assert.ok(got >= 8 && got < 20, `${got} readings got through`);
    } finally {
      await c.endAsync();
    }
  });
});

describe('MQTT over WebSocket (issue 5: browser dashboards)', () => {
  it('a client on ws://…/mqtt authenticates and publishes like a TCP one', async () => {
    const url = hub.hs.gateway()!.wsUrl!;
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    const c = await mqtt.connectAsync(url, { username: 'sensor1', password: sensor.token, reconnectPeriod: 0 });
    try {
      await c.publishAsync('hearth/sensor1/reading', '{"id":"ws-1","pressure":1013}', { qos: 1 });
      await waitForEvent(ac, sensor.room_id, readingWith('pressure', 1013));
    } finally {
      await c.endAsync();
    }
  });
});

describe('hearth device list / remove (issue 5: credentials revoked, room and history kept)', () => {
  it('remove disconnects the device at once and refuses it afterwards; its room keeps its history', async () => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'kitchen', password: plug.token, reconnectPeriod: 0 });
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    const r = await runHearth(['device', 'remove', 'kitchen', '--data-dir', hub.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    await closed;
    const again = await mosquittoPub(port, ['-u', 'kitchen', '-P', plug.token, '-t', 'tele/tasmota_ABC123/SENSOR', '-m', '{}']);
    assert.match(again.stderr, /bad user name or password/i);
    await until(ac, () => (stateContent(ac, plug.room_id, 'org.hearth.device.status')?.removed === true ? true : undefined));
    assert.ok(timeline(ac, plug.room_id).some(readingWith('Marker', 1)));
    const list = await runHearth(['device', 'list', '--data-dir', hub.dataDir]);
    assert.match(list.stdout, /^kitchen\ttasmota\ttasmota_ABC123\tremoved\t!/m);
    assert.match(list.stdout, /^sensor1\thearth\thearth\/sensor1\tactive\t!/m);
  });

  it('adding a taken name or an unknown profile fails with one line', async () => {
    const taken = await runHearth(['device', 'add', 'sensor1', '--profile', 'hearth', '--data-dir', hub.dataDir]);
    assert.equal(taken.code, 1);
    assert.equal(taken.stderr.trim(), 'hearth: device sensor1 already exists');
    const unknown = await runHearth(['device', 'add', 'lamp', '--profile', 'nope', '--data-dir', hub.dataDir]);
    assert.equal(unknown.stderr.trim(), 'hearth: unknown profile "nope"');
  });
});
