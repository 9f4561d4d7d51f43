/** Client-Server API §"Cross-signing" over real HTTP: POST /keys/device_signing/upload (UIA only when replacing), POST /keys/signatures/upload, and what /keys/query shows whom. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientOf, crossSigning, deviceKeys, ed25519, signAs } from './support/e2e.js';
import { passwordAuth } from './support/accounts.js';
import { hashPassword } from '../src/accounts/passwords.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, carol: TestUser;
const c = (u: TestUser) => clientOf(hub, u);
const aliceDevice = ed25519();
let aliceDeviceKeys: ReturnType<typeof deviceKeys>;
let aliceCs: ReturnType<typeof crossSigning>;
let bobCs: ReturnType<typeof crossSigning>;

const query = (viewer: TestUser, ...users: TestUser[]) => c(viewer).post('/keys/query', { device_keys: Object.fromEntries(users.map((u) => [u.userId, []])) });

before(async () => {
  hub = await startTestHub();
  [alice, bob, carol] = [await makeUser(hub, 'alice'), await makeUser(hub, 'bob'), await makeUser(hub, 'carol')];
  await hub.store.accounts.setPasswordHash(alice.userId, await hashPassword('alice-pw'));
  aliceDeviceKeys = deviceKeys(alice.userId, alice.deviceId, aliceDevice);
  await c(alice).post('/keys/upload', { device_keys: aliceDeviceKeys });
  aliceCs = crossSigning(alice.userId);
  bobCs = crossSigning(bob.userId);
});
after(async () => { await hub.stop(); });

describe('client-server API §"Cross-signing" POST /keys/device_signing/upload', () => {
  it('the first upload needs no UIA; /keys/query shows master and self-signing keys to all, the user-signing key only to its owner', async () => {
    const up = await c(alice).post('/keys/device_signing/upload', aliceCs.body);
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.deepEqual(up.body, {});
    const own = await query(alice, alice);
    assert.deepEqual(own.body.master_keys, { [alice.userId]: aliceCs.body.master_key });
    assert.deepEqual(own.body.self_signing_keys, { [alice.userId]: aliceCs.body.self_signing_key });
    assert.deepEqual(own.body.user_signing_keys, { [alice.userId]: aliceCs.body.user_signing_key });
    const other = await query(bob, alice);
    assert.deepEqual(other.body.master_keys, { [alice.userId]: aliceCs.body.master_key });
    assert.deepEqual(other.body.user_signing_keys, {});
  });

  it('spec v1.11: re-sending exactly the stored keys needs no UIA', async () => {
    const again = await c(alice).post('/keys/device_signing/upload', aliceCs.body);
    assert.equal(again.status, 200, JSON.stringify(again.body));
  });

  it('replacing a stored key needs m.login.password (401 with the flows), then stores it', async () => {
    const fresh = crossSigning(alice.userId);
    const first = await c(alice).post('/keys/device_signing/upload', fresh.body);
    assert.equal(first.status, 401);
    assert.deepEqual(first.body.flows, [{ stages: ['m.login.password'] }]);
    const wrong = await c(alice).post('/keys/device_signing/upload', { ...fresh.body, auth: passwordAuth(alice.userId, 'nope', first.body.session) });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.errcode, 'M_FORBIDDEN');
    const done = await c(alice).post('/keys/device_signing/upload', { ...fresh.body, auth: passwordAuth(alice.userId, 'alice-pw', first.body.session) });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual((await query(bob, alice)).body.master_keys[alice.userId], fresh.body.master_key);
    aliceCs = fresh;
  });

  it('400 M_INVALID_SIGNATURE for a self-signing key not signed by the master key; 400 M_MISSING_PARAM without any master key', async () => {
    const badSig = crossSigning(bob.userId);
    const forged = { master_key: badSig.body.master_key, self_signing_key: signAs({ ...badSig.body.self_signing_key, signatures: {} }, bob.userId, ed25519()) };
    const res = await c(bob).post('/keys/device_signing/upload', forged);
    assert.equal(res.status, 400);
    assert.equal(res.body.errcode, 'M_INVALID_SIGNATURE');
    const noMaster = await c(carol).post('/keys/device_signing/upload', { self_signing_key: crossSigning(carol.userId).body.self_signing_key });
    assert.equal(noMaster.status, 400);
    assert.equal(noMaster.body.errcode, 'M_MISSING_PARAM');
  });

  it('400 M_INVALID_PARAM for a key of another user or the wrong usage; 403 M_FORBIDDEN for a key named like a device', async () => {
    const other = crossSigning(carol.userId);
    const res = await c(bob).post('/keys/device_signing/upload', { master_key: other.body.master_key });
    assert.equal(res.status, 400);
    assert.equal(res.body.errcode, 'M_INVALID_PARAM');
    const usage = await c(bob).post('/keys/device_signing/upload', { master_key: { ...bobCs.body.master_key, usage: ['self_signing'] } });
    assert.equal(usage.body.errcode, 'M_INVALID_PARAM');
    const clash = ed25519();
    await hub.store.devices.upsertDevice(carol.userId, clash.pub);
    const named = await c(carol).post('/keys/device_signing/upload', { master_key: { user_id: carol.userId, usage: ['master'], keys: { [`ed25519:${clash.pub}`]: clash.pub } } });
    assert.equal(named.status, 403);
    assert.equal(named.body.errcode, 'M_FORBIDDEN');
  });
});

describe('client-server API §"Cross-signing" POST /keys/signatures/upload', () => {
  before(async () => {
    assert.equal((await c(bob).post('/keys/device_signing/upload', bobCs.body)).status, 200);
  });

  it('a device signed by the self-signing key: the signature shows on the device in everyone\'s /keys/query', async () => {
    const signed = signAs(aliceDeviceKeys, alice.userId, aliceCs.selfSigning);
    const res = await c(alice).post('/keys/signatures/upload', { [alice.userId]: { [alice.deviceId]: signed } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.failures, {});
    const seen = (await query(bob, alice)).body.device_keys[alice.userId][alice.deviceId].signatures[alice.userId];
    assert.equal(seen[`ed25519:${aliceCs.selfSigning.pub}`], signed.signatures[alice.userId][`ed25519:${aliceCs.selfSigning.pub}`]);
    assert.equal(seen[`ed25519:${alice.deviceId}`], aliceDeviceKeys.signatures[alice.userId][`ed25519:${alice.deviceId}`]);
  });

  it('the master key signed by a device of the user is stored and shown', async () => {
    const signed = signAs(aliceCs.body.master_key, alice.userId, aliceDevice, alice.deviceId);
    const res = await c(alice).post('/keys/signatures/upload', { [alice.userId]: { [aliceCs.master.pub]: signed } });
    assert.deepEqual(res.body.failures, {});
    const master = (await query(bob, alice)).body.master_keys[alice.userId];
    assert.ok(master.signatures[alice.userId][`ed25519:${alice.deviceId}`]);
  });

  it('§"Key and signature security": another user\'s master key signed by the user-signing key is visible to the signer only', async () => {
    const signed = signAs(bobCs.body.master_key, alice.userId, aliceCs.userSigning);
    const res = await c(alice).post('/keys/signatures/upload', { [bob.userId]: { [bobCs.master.pub]: signed } });
    assert.deepEqual(res.body.failures, {});
    const sigKey = `ed25519:${aliceCs.userSigning.pub}`;
    assert.ok((await query(alice, bob)).body.master_keys[bob.userId].signatures[alice.userId]?.[sigKey]);
    assert.equal((await query(carol, bob)).body.master_keys[bob.userId].signatures?.[alice.userId], undefined);
    assert.equal((await query(bob, bob)).body.master_keys[bob.userId].signatures?.[alice.userId], undefined);
  });

  it('bad signatures, changed keys and unknown devices land in `failures`, the rest is stored', async () => {
    const forged = signAs(aliceDeviceKeys, alice.userId, ed25519(), aliceCs.selfSigning.pub);
    const changed = signAs({ ...aliceDeviceKeys, algorithms: ['x'] }, alice.userId, aliceCs.selfSigning);
    const res = await c(alice).post('/keys/signatures/upload', {
      [alice.userId]: { [alice.deviceId]: forged, NODEVICE: signAs({ device_id: 'NODEVICE' }, alice.userId, aliceCs.selfSigning) },
      [carol.userId]: { SOMEKEY: {} },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.failures[alice.userId][alice.deviceId].errcode, 'M_INVALID_SIGNATURE');
    assert.equal(res.body.failures[alice.userId].NODEVICE.errcode, 'M_NOT_FOUND');
    assert.equal(res.body.failures[carol.userId].SOMEKEY.errcode, 'M_NOT_FOUND');
    const res2 = await c(alice).post('/keys/signatures/upload', { [alice.userId]: { [alice.deviceId]: changed } });
    assert.equal(res2.body.failures[alice.userId][alice.deviceId].errcode, 'M_INVALID_PARAM');
  });

  it('uploading cross-signing keys is a device-list change for users sharing a room', async () => {
    const roomId = (await c(alice).post('/createRoom', { invite: [carol.userId] })).body.room_id;
    await c(carol).post(`/join/${encodeURIComponent(roomId)}`, {});
    const t0 = (await c(carol).get('/sync')).body.next_batch;
    const t = (await c(carol).get(`/sync?since=${t0}`)).body.next_batch;
    const fresh = crossSigning(alice.userId);
    const first = await c(alice).post('/keys/device_signing/upload', fresh.body);
    await c(alice).post('/keys/device_signing/upload', { ...fresh.body, auth: passwordAuth(alice.userId, 'alice-pw', first.body.session) });
    const s = await c(carol).get(`/sync?since=${t}`);
    assert.deepEqual(s.body.device_lists.changed, [alice.userId]);
  });
});
