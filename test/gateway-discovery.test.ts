/** Discovered sub-devices with --device-discovery manual: pending until `hearth device accept`, then renames and withdrawals. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as sdk from 'matrix-js-sdk';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { runHearth } from './support/cli.js';
import { mosquittoPub } from './support/mqtt.js';
import { joinWhenInvited, startSdkClient, stateContent, until, waitForEvent } from './support/sdk.js';

let hub: TestHub;
let alice: TestUser;
let ac: sdk.MatrixClient;
let port: number;
let bridgeToken: string;

const device = (ieee: string, name: string) => ({
  ieee_address: ieee, type: 'EndDevice', friendly_name: name,
  definition: { model: 'WSDCGQ11LM', vendor: 'Aqara', exposes: [{ type: 'numeric', property: 'temperature', unit: '°C', access: 1 }] },
});
const publishDevices = (list: unknown[]) => mosquittoPub(port, ['-u', 'zb', '-P', bridgeToken, '-q', '1', '-r', '-t', 'zigbee2mqtt/bridge/devices', '-m', JSON.stringify(list)]);
const publishState = (name: string, t: number) => mosquittoPub(port, ['-u', 'zb', '-P', bridgeToken, '-q', '1', '-t', `zigbee2mqtt/${name}`, '-m', JSON.stringify({ temperature: t })]);
const registry = () => hub.hs.devices()!.registry;

async function eventually<T>(what: string, fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) { const v = fn(); if (v !== undefined) return v; await new Promise((r) => setTimeout(r, 25)); }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  hub = await startTestHub({ mqttPort: 0, deviceDiscovery: 'manual' });
  port = Number(new URL(hub.hs.gateway()!.mqttUrl!.replace(/^mqtt:/, 'http:')).port);
  alice = await makeUser(hub, 'alice', true);
  bridgeToken = (await hub.hs.devices()!.admin.add({ name: 'zb', profile: 'zigbee2mqtt' })).token;
  ac = await startSdkClient(hub.clientUrl, alice);
});

after(async () => {
  ac?.stopClient();
  await hub.stop();
});

describe('discovery through a bridge on the embedded broker (issue 5: hearth device accept)', () => {
  it('a device announced on bridge/devices is pending: listed, without a room, and its readings are dropped', async () => {
    assert.equal((await publishDevices([device('0x01', 'porch')])).code, 0);
    const pending = await eventually('the pending record', () => registry().childOf('zb', 'porch'));
    assert.equal(pending.status, 'pending');
    assert.equal(pending.roomId, '');
    assert.equal((await publishState('porch', 5)).code, 0, 'the bridge is acknowledged even though nothing is posted');
    const list = await runHearth(['device', 'list', '--data-dir', hub.dataDir]);
    assert.match(list.stdout, /^zb\.porch\tzigbee2mqtt\tzigbee2mqtt\tpending\t-\tvia zb$/m);
  });

  it('`hearth device accept` gives it a user and a room in Home; then its readings arrive', async () => {
    const r = await runHearth(['device', 'accept', 'zb.porch', '--data-dir', hub.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    const accepted = JSON.parse(r.stdout) as { status: string; room_id: string; user_id: string };
    assert.equal(accepted.status, 'active');
    assert.equal(accepted.user_id, '@device_zb.porch:localhost');
    await joinWhenInvited(ac, accepted.room_id);
    await publishState('porch', 6);
    const e = await waitForEvent(ac, accepted.room_id, (x) => x.getContent()['org.hearth.reading']?.values?.temperature === 6);
    assert.equal(e.getContent()['org.hearth.reading'].units.temperature, '°C');
    const again = await runHearth(['device', 'accept', 'zb.porch', '--data-dir', hub.dataDir]);
    assert.equal(again.stderr.trim(), 'hearth: device zb.porch is active, not pending');
  });

  it('a rename on the bridge (same ieee address) keeps the room; a device gone from the list is marked removed', async () => {
    const roomId = registry().childOf('zb', 'porch')!.roomId;
    await publishDevices([device('0x01', 'front_porch'), device('0x02', 'attic')]);
    const renamed = await eventually('the rename', () => registry().childOf('zb', 'front_porch'));
    assert.equal(renamed.roomId, roomId);
    assert.equal(renamed.name, 'zb.porch');
    await publishState('front_porch', 7);
    await waitForEvent(ac, roomId, (x) => x.getContent()['org.hearth.reading']?.values?.temperature === 7);
    await publishDevices([device('0x02', 'attic')]);
    await eventually('the withdrawal', () => (registry().get('zb.porch')?.status === 'removed' ? true : undefined));
    await until(ac, () => (stateContent(ac, roomId, 'org.hearth.device.status')?.removed === true ? true : undefined));
    await publishDevices([device('0x01', 'front_porch'), device('0x02', 'attic')]);
    await eventually('the return', () => (registry().get('zb.porch')?.status === 'active' ? true : undefined));
  });
});
