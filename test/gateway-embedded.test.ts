/** Gateway end to end on the embedded broker: mosquitto_pub/sub as a Tasmota plug and a native sensor, matrix-js-sdk in the rooms. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as sdk from 'matrix-js-sdk';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { runHearth } from './support/cli.js';
import { mosquittoPub, mosquittoSub } from './support/mqtt.js';
import { joinWhenInvited, startSdkClient, stateContent, timeline, until, waitForEvent } from './support/sdk.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser;
let ac: sdk.MatrixClient, bc: sdk.MatrixClient;
let mqttPort: number;
const plug = { device: '', user_id: '', room_id: '', token: '' };
const sensor = { ...plug };

const reading = (e: sdk.MatrixEvent) => e.getType() === 'm.room.message' && e.getContent().msgtype === 'm.notice' && e.getContent()['org.hearth.reading'] !== undefined;
const replyTo = (id: string) => (e: sdk.MatrixEvent) => e.getContent()['m.relates_to']?.['m.in_reply_to']?.event_id === id;

/** mosquitto_sub as the plug, listening on its command topics; resolves once the broker granted the subscription. */
async function plugListening() {
  const sub = mosquittoSub(mqttPort, ['-d', '-u', 'kitchen', '-P', plug.token, '-t', 'cmnd/tasmota_ABC123/#']);
  await sub.next((l) => l.includes('received SUBACK'));
  return sub;
}

before(async () => {
  hub = await startTestHub({ mqttPort: 0, commandTimeout: 1500 });
  mqttPort = Number(new URL(hub.hs.gateway()!.mqttUrl!.replace(/^mqtt:/, 'http:')).port);
  alice = await makeUser(hub, 'alice', true);
  bob = await makeUser(hub, 'bob');
  // The hub is running: the CLI goes through its admin socket.
  const add = async (args: string[]) => {
    const r = await runHearth(['device', 'add', ...args, '--data-dir', hub.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as typeof plug;
  };
  Object.assign(plug, await add(['kitchen', '--profile', 'tasmota', '--topic', 'tasmota_ABC123']));
  Object.assign(sensor, await add(['sensor1', '--profile', 'hearth']));
  ac = await startSdkClient(hub.clientUrl, alice);
  bc = await startSdkClient(hub.clientUrl, bob);
  await joinWhenInvited(ac, plug.room_id);
  await joinWhenInvited(ac, sensor.room_id);
});

after(async () => {
  ac?.stopClient();
  bc?.stopClient();
  await hub.stop();
});

describe('hearth device add (issue 5: device registry) through the running hub', () => {
  it('prints {device, user_id, room_id, token}: a virtual user, a #device-NAME room and a short token', async () => {
    assert.equal(plug.device, 'kitchen');
    assert.equal(plug.user_id, '@device_kitchen:localhost');
    assert.match(plug.token, /^[A-Za-z0-9_-]{22}$/);
    const alias = await fetch(`${hub.clientUrl}/_matrix/client/v3/directory/room/${encodeURIComponent('#device-kitchen:localhost')}`);
    assert.equal((await alias.json() as { room_id: string }).room_id, plug.room_id);
  });

  it('puts the room in the Home space (m.space.parent) and gives the admin power level 100', async () => {
    const parent = ac.getRoom(plug.room_id)!.currentState.getStateEvents('m.space.parent');
    assert.equal(parent.length, 1);
    const spaceId = parent[0]!.getStateKey()!;
    await joinWhenInvited(ac, spaceId);
    assert.equal(ac.getRoom(spaceId)!.getType(), 'm.space');
    assert.equal(ac.getRoom(spaceId)!.name, 'Home');
    assert.ok(stateContent(ac, spaceId, 'm.space.child', plug.room_id));
    assert.equal((stateContent(ac, plug.room_id, 'm.room.power_levels')!.users as Record<string, number>)[alice.userId], 100);
  });

  it('sets capabilities as org.hearth.device state, visible without scanning history', () => {
    const info = stateContent(ac, plug.room_id, 'org.hearth.device')!;
    assert.equal(info.profile, 'tasmota');
    assert.equal(info.topic, 'tasmota_ABC123');
    assert.ok(Array.isArray(info.commands));
  });
});

describe('readings (issue 5: events) from mosquitto_pub', () => {
  it('a Tasmota tele/SENSOR becomes an m.notice with a readable body and org.hearth.reading', async () => {
    const r = await mosquittoPub(mqttPort, ['-u', 'kitchen', '-P', plug.token, '-q', '1', '-t', 'tele/tasmota_ABC123/SENSOR',
      '-m', '{"Time":"2026-01-01T00:00:00","AM2301":{"Temperature":21.5,"Humidity":40}}']);
    assert.equal(r.code, 0, r.stderr);
    const e = await waitForEvent(ac, plug.room_id, reading, 8000, 'the plug reading');
    assert.equal(e.getSender(), plug.user_id);
    assert.match(e.getContent().body as string, /21\.5 °C/);
    const values = e.getContent()['org.hearth.reading'].values as Record<string, unknown>;
    assert.equal(values['AM2301.Humidity'], 40);
    assert.equal(Number(values['AM2301.Temperature']), 21.5);
  });

  it('a native sensor reading arrives once even when its message id is sent twice (QoS 1 retry)', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await mosquittoPub(mqttPort, ['-u', 'sensor1', '-P', sensor.token, '-q', '1', '-t', 'hearth/sensor1/reading', '-m', '{"id":"r-1","co2":612}']);
      assert.equal(r.code, 0, r.stderr);
    }
    await mosquittoPub(mqttPort, ['-u', 'sensor1', '-P', sensor.token, '-q', '1', '-t', 'hearth/sensor1/reading', '-m', '{"id":"r-2","co2":700}']);
    await waitForEvent(ac, sensor.room_id, (e) => reading(e) && e.getContent()['org.hearth.reading'].values.co2 === 700);
    const co2 = timeline(ac, sensor.room_id).filter(reading).map((e) => e.getContent()['org.hearth.reading'].values.co2);
    assert.deepEqual(co2, [612, 700]);
  });

  it('connection state becomes org.hearth.device.status (online with last_seen_ts)', async () => {
    const sub = await plugListening();
    try {
      const status = await until(ac, () => (stateContent(ac, plug.room_id, 'org.hearth.device.status')?.online === true ? stateContent(ac, plug.room_id, 'org.hearth.device.status') : undefined));
      assert.equal(typeof status.last_seen_ts, 'number');
    } finally {
      await sub.stop();
    }
  });
});

describe('commands (issue 5: commands from rooms)', () => {
  it('`!power on` typed in the plug room arrives on cmnd/<topic>/POWER; the stat answer is posted as a reply', async () => {
    const sub = await plugListening();
    try {
      const sent = await ac.sendTextMessage(plug.room_id, '!power on');
      assert.match(await sub.next((l) => l.startsWith('cmnd/')), /^cmnd\/tasmota_ABC123\/POWER on$/i);
      await mosquittoPub(mqttPort, ['-u', 'kitchen', '-P', plug.token, '-q', '1', '-t', 'stat/tasmota_ABC123/POWER', '-m', 'ON']);
      const reply = await waitForEvent(ac, plug.room_id, replyTo(sent.event_id), 8000, 'the command reply');
      assert.equal(reply.getSender(), plug.user_id);
      assert.match(reply.getContent().body as string, /^✓/);
      assert.equal(reply.getContent()['org.hearth.command_result'].ok, true);
    } finally {
      await sub.stop();
    }
  });

  it('a structured org.hearth.command event is mapped too, and no answer gives a timeout reply', async () => {
    const sub = await plugListening();
    try {
      const sent = await ac.sendEvent(plug.room_id, 'org.hearth.command' as never, { command: 'dimmer', args: [40] } as never);
      assert.equal(await sub.next((l) => l.startsWith('cmnd/')), 'cmnd/tasmota_ABC123/DIMMER 40');
      const reply = await waitForEvent(ac, plug.room_id, replyTo(sent.event_id), 8000, 'the timeout reply');
      assert.match(reply.getContent().body as string, /No answer .* within 2 s/);
    } finally {
      await sub.stop();
    }
  });

  it('a user below the command power level gets a clear refusal and nothing is published', async () => {
    await ac.invite(plug.room_id, bob.userId);
    await joinWhenInvited(bc, plug.room_id);
    const sub = await plugListening();
    try {
      const sent = await bc.sendTextMessage(plug.room_id, '!power off');
      const reply = await waitForEvent(bc, plug.room_id, replyTo(sent.event_id), 8000, 'the refusal');
      assert.match(reply.getContent().body as string, /needs power level 50, and yours is 0/);
      await assert.rejects(sub.next((l) => l.includes('POWER'), 500));
    } finally {
      await sub.stop();
    }
  });

  it('`!help` lists the profile commands', async () => {
    const sent = await ac.sendTextMessage(plug.room_id, '!help');
    const reply = await waitForEvent(ac, plug.room_id, replyTo(sent.event_id));
    assert.match(reply.getContent().body as string, /!power \[on\|off\|toggle\]/);
  });
});
