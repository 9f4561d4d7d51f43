/** External broker mode against a real Mosquitto: a Zigbee2MQTT-shaped bridge creates rooms and readings; retained messages are not replayed. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as sdk from 'matrix-js-sdk';
import { startTestHub, tempDir, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { freePort, mosquittoPub, mosquittoSub, startMosquitto, type Mosquitto } from './support/mqtt.js';
import { joinWhenInvited, startSdkClient, timeline, waitForEvent } from './support/sdk.js';

const dataDir = tempDir();
let mosq: Mosquitto;
let hub: TestHub;
let alice: TestUser;
let ac: sdk.MatrixClient;
let clientPort: number;

const BRIDGE_DEVICES = JSON.stringify([
  { ieee_address: '0x00124b0000000001', type: 'Coordinator', friendly_name: 'Coordinator' },
  {
    ieee_address: '0x00158d0001a2b3c4', type: 'EndDevice', friendly_name: 'living_room_sensor', power_source: 'Battery',
    definition: { model: 'WSDCGQ11LM', vendor: 'Aqara', description: 'Temperature and humidity sensor', exposes: [
      { type: 'numeric', property: 'temperature', unit: '°C', access: 1 }, { type: 'numeric', property: 'humidity', unit: '%', access: 1 },
    ] },
  },
  {
    ieee_address: '0x00158d0001a2b3c5', type: 'Router', friendly_name: 'hall_plug',
    definition: { model: 'ZNCZ02LM', vendor: 'Aqara', description: 'Smart plug', exposes: [
      { type: 'switch', features: [{ type: 'binary', property: 'state', access: 7 }] },
    ] },
  },
]);

// A fixed client port, so the sdk client keeps syncing across the hub restart.
const startHub = () => startTestHub({ dataDir, clientPort, mqttBroker: `mqtt://127.0.0.1:${mosq.port}`, commandTimeout: 1000 });
const temperature = (v: number) => (e: sdk.MatrixEvent) => e.getContent()['org.hearth.reading']?.values?.temperature === v;

/** The room of a bridged sub-device, once discovery gave it one. */
async function childRoom(child: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const d = hub.hs.devices()!.registry.childOf('z2m', child);
    if (d?.status === 'active' && d.roomId) return d.roomId;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no room for ${child}`);
}

before(async () => {
  mosq = await startMosquitto(dataDir);
  clientPort = await freePort();
  hub = await startHub();
  alice = await makeUser(hub, 'alice', true);
  await hub.hs.devices()!.admin.add({ name: 'z2m', profile: 'zigbee2mqtt' });
  ac = await startSdkClient(hub.clientUrl, alice);
});

after(async () => {
  ac?.stopClient();
  await hub?.stop();
  await mosq?.stop();
});

describe('external broker mode (issue 5: --mqtt-broker, Zigbee2MQTT bridge)', () => {
  it('prints the broker line and speaks MQTT 5 to Mosquitto', () => {
    assert.deepEqual(hub.hs.gateway()!.lines, [`MQTT via external broker mqtt://127.0.0.1:${mosq.port} (MQTT 5)`]);
  });

  it('a retained bridge/devices creates one room per Zigbee device (not the coordinator), in Home, with the admin invited', async () => {
    assert.equal((await mosquittoPub(mosq.port, ['-r', '-q', '1', '-t', 'zigbee2mqtt/bridge/devices', '-m', BRIDGE_DEVICES])).code, 0);
    const sensorRoom = await childRoom('living_room_sensor');
    await childRoom('hall_plug');
    assert.equal(hub.hs.devices()!.registry.childOf('z2m', 'Coordinator'), undefined);
    await joinWhenInvited(ac, sensorRoom);
    assert.equal(ac.getRoom(sensorRoom)!.getCanonicalAlias(), '#device-z2m.living_room_sensor:localhost');
    assert.equal(ac.getRoom(sensorRoom)!.currentState.getStateEvents('m.space.parent').length, 1);
  });

  it("a device's state topic becomes readings in its room, with units from exposes", async () => {
    const room = await childRoom('living_room_sensor');
    await mosquittoPub(mosq.port, ['-q', '1', '-t', 'zigbee2mqtt/living_room_sensor', '-m', '{"temperature":21,"humidity":48,"linkquality":120}']);
    const e = await waitForEvent(ac, room, temperature(21));
    assert.equal(e.getSender(), '@device_z2m.living_room_sensor:localhost');
    assert.equal(e.getContent()['org.hearth.reading'].units.temperature, '°C');
    assert.match(e.getContent().body as string, /21 °C/);
  });

  it('`!on` in a bridged plug room is published on <base>/<friendly_name>/set through the external broker', async () => {
    const room = await childRoom('hall_plug');
    await joinWhenInvited(ac, room);
    const sub = mosquittoSub(mosq.port, ['-d', '-t', 'zigbee2mqtt/+/set']);
    try {
      await sub.next((l) => l.includes('received SUBACK'));
      await ac.sendTextMessage(room, '!on');
      assert.equal(await sub.next((l) => l.startsWith('zigbee2mqtt/')), 'zigbee2mqtt/hall_plug/set {"state":"ON"}');
    } finally {
      await sub.stop();
    }
  });

  it('after a restart, retained state is not replayed as a new reading; readings sent while down are delivered', async () => {
    const room = await childRoom('living_room_sensor');
    await mosquittoPub(mosq.port, ['-r', '-q', '1', '-t', 'zigbee2mqtt/living_room_sensor', '-m', '{"temperature":22}']);
    await waitForEvent(ac, room, temperature(22));
    await hub.stop();
    // While the hub is down the broker keeps QoS 1 messages for the gateway's persistent session.
    await mosquittoPub(mosq.port, ['-q', '1', '-t', 'zigbee2mqtt/living_room_sensor', '-m', '{"temperature":23}']);
    hub = await startHub();
    await waitForEvent(ac, room, temperature(23), 10_000, 'the reading sent while the hub was down');
    await mosquittoPub(mosq.port, ['-q', '1', '-t', 'zigbee2mqtt/living_room_sensor', '-m', '{"temperature":24}']);
    await waitForEvent(ac, room, temperature(24));
    assert.equal(timeline(ac, room).filter(temperature(22)).length, 1);
    assert.equal(timeline(ac, room).filter(temperature(23)).length, 1);
  });
});
