/** Client-server API §"Device management" (GET/PUT/DELETE /devices, POST /delete_devices), over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { createSpecClient } from './support/spec-client.js';
import { call, fakeClock, loginOk, passwordAuth, register, withPasswordUia } from './support/accounts.js';

const clock = fakeClock();
let hub: TestHub;
let alice: { access_token: string; device_id: string };
before(async () => {
  hub = await startTestHub({ registration: 'open', serverName: 'hub.test' }, { now: clock.now });
  alice = await register(hub, 'alice', 'pw', { device_id: 'MAIN', initial_device_display_name: 'Main phone' });
});
after(async () => { await hub.stop(); });

describe('client-server API §"Device management" GET /devices and /devices/{deviceId}', () => {
  it('lists the caller\'s devices with the spec\'s Device shape, last seen from the token resolver', async () => {
    const res = await createSpecClient(hub.clientUrl, alice.access_token).get('/_matrix/client/v3/devices');
    const main = res.body.devices.find((d: { device_id: string }) => d.device_id === 'MAIN');
    assert.equal(main.display_name, 'Main phone');
    assert.equal(main.last_seen_ip, '127.0.0.1');
    assert.equal(main.last_seen_ts, clock.now());
  });

  it('GET of one device, and 404 M_NOT_FOUND for another user\'s or an unknown device', async () => {
    const bob = await register(hub, 'bob', 'pw');
    const own = await createSpecClient(hub.clientUrl, alice.access_token).get('/_matrix/client/v3/devices/MAIN');
    assert.equal(own.body.device_id, 'MAIN');
    for (const id of [bob.device_id, 'NOSUCH']) {
      const res = await call(hub, 'GET', `/_matrix/client/v3/devices/${id}`, undefined, alice.access_token);
      assert.equal(res.status, 404);
      assert.equal(res.body.errcode, 'M_NOT_FOUND');
    }
  });

  it('a device without a name or last-seen data omits those fields', async () => {
    await hub.store.devices.upsertDevice('@alice:hub.test', 'BARE');
    const res = await createSpecClient(hub.clientUrl, alice.access_token).get('/_matrix/client/v3/devices/BARE');
    assert.deepEqual(res.body, { device_id: 'BARE' });
  });

  it('last seen is written at most once a minute per device', async () => {
    const session = await loginOk(hub, 'alice', 'pw', { device_id: 'SEEN' });
    const t0 = clock.now();
    await call(hub, 'GET', '/_matrix/client/v3/account/whoami', undefined, session.access_token);
    assert.equal((await hub.store.devices.getDevice('@alice:hub.test', 'SEEN'))?.lastSeenTs, t0);
    clock.advance(30_000);
    await call(hub, 'GET', '/_matrix/client/v3/account/whoami', undefined, session.access_token);
    assert.equal((await hub.store.devices.getDevice('@alice:hub.test', 'SEEN'))?.lastSeenTs, t0, 'not written again within the minute');
    clock.advance(30_000);
    await call(hub, 'GET', '/_matrix/client/v3/account/whoami', undefined, session.access_token);
    assert.equal((await hub.store.devices.getDevice('@alice:hub.test', 'SEEN'))?.lastSeenTs, t0 + 60_000);
  });
});

describe('client-server API §"Device management" PUT /devices/{deviceId}', () => {
  it('renames a device; a missing display_name leaves it unchanged', async () => {
    const client = createSpecClient(hub.clientUrl, alice.access_token);
    assert.deepEqual((await client.put('/_matrix/client/v3/devices/MAIN', { display_name: 'Renamed' })).body, {});
    assert.equal((await client.get('/_matrix/client/v3/devices/MAIN')).body.display_name, 'Renamed');
    await client.put('/_matrix/client/v3/devices/MAIN', {});
    assert.equal((await client.get('/_matrix/client/v3/devices/MAIN')).body.display_name, 'Renamed');
  });

  it('404 M_NOT_FOUND for an unknown device (clients cannot create devices); 400 M_TOO_LARGE for a long name', async () => {
    const unknown = await call(hub, 'PUT', '/_matrix/client/v3/devices/NEWONE', { display_name: 'x' }, alice.access_token);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errcode, 'M_NOT_FOUND');
    assert.equal(await hub.store.devices.getDevice('@alice:hub.test', 'NEWONE'), undefined);
    const long = await call(hub, 'PUT', '/_matrix/client/v3/devices/MAIN', { display_name: 'x'.repeat(101) }, alice.access_token);
    assert.equal(long.status, 400);
    assert.equal(long.body.errcode, 'M_TOO_LARGE');
  });
});

describe('client-server API §"Device management" DELETE /devices/{deviceId} and POST /delete_devices', () => {
  it('DELETE asks for m.login.password, then deletes the device and invalidates its token; the hook hears of it', async () => {
    const doomed = await loginOk(hub, 'alice', 'pw', { device_id: 'DOOMED' });
    const heard: Array<[string, readonly string[]]> = [];
    hub.hs.services.onDevicesDeleted = async (userId, ids) => { heard.push([userId, ids]); };
    try {
      const res = await withPasswordUia(hub, 'DELETE', '/_matrix/client/v3/devices/DOOMED', {}, alice.access_token, 'alice', 'pw');
      assert.equal(res.status, 200, JSON.stringify(res.body));
    } finally {
      delete hub.hs.services.onDevicesDeleted;
    }
    assert.deepEqual(heard, [['@alice:hub.test', ['DOOMED']]]);
    assert.equal((await call(hub, 'GET', '/_matrix/client/v3/account/whoami', undefined, doomed.access_token)).body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal((await call(hub, 'GET', '/_matrix/client/v3/devices/DOOMED', undefined, alice.access_token)).status, 404);
  });

  it('DELETE without a body still gets the 401 challenge, and an already deleted device is 200', async () => {
    const first = await fetch(`${hub.clientUrl}/_matrix/client/v3/devices/GONE`, { method: 'DELETE', headers: { Authorization: `Bearer ${alice.access_token}` } });
    const challenge = await first.json() as { session: string; flows: unknown };
    assert.equal(first.status, 401);
    assert.deepEqual(challenge.flows, [{ stages: ['m.login.password'] }]);
    const res = await call(hub, 'DELETE', '/_matrix/client/v3/devices/GONE', { auth: passwordAuth('alice', 'pw', challenge.session) }, alice.access_token);
    assert.equal(res.status, 200);
  });

  it('a wrong password deletes nothing', async () => {
    await loginOk(hub, 'alice', 'pw', { device_id: 'SAFE' });
    const first = await call(hub, 'DELETE', '/_matrix/client/v3/devices/SAFE', {}, alice.access_token);
    const res = await call(hub, 'DELETE', '/_matrix/client/v3/devices/SAFE', { auth: passwordAuth('alice', 'nope', first.body.session) }, alice.access_token);
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
    assert.notEqual(await hub.store.devices.getDevice('@alice:hub.test', 'SAFE'), undefined);
  });

  it('POST /delete_devices deletes several devices after m.login.password', async () => {
    await loginOk(hub, 'alice', 'pw', { device_id: 'D1' });
    await loginOk(hub, 'alice', 'pw', { device_id: 'D2' });
    const res = await withPasswordUia(hub, 'POST', '/_matrix/client/v3/delete_devices', { devices: ['D1', 'D2', 'UNKNOWN'] }, alice.access_token, 'alice', 'pw');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const left = (await hub.store.devices.listDevices('@alice:hub.test')).map((d) => d.deviceId);
    assert.ok(!left.includes('D1') && !left.includes('D2'));
    assert.ok(left.includes('MAIN'));
    const bad = await call(hub, 'POST', '/_matrix/client/v3/delete_devices', { devices: 'D1' }, alice.access_token);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errcode, 'M_BAD_JSON');
  });
});
