/** Client-Server API §"Key management API" over real HTTP: /keys/upload, /keys/query, /keys/claim (once each, also concurrently), fallback keys, and their /sync fields. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientOf, deviceKeys, ed25519, signedKey } from './support/e2e.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser;
const c = (u: TestUser) => clientOf(hub, u);

before(async () => {
  hub = await startTestHub();
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
  await hub.store.devices.upsertDevice(alice.userId, alice.deviceId, 'Alice phone');
});
after(async () => { await hub.stop(); });

describe('client-server API §"Key management API" POST /keys/upload then POST /keys/query', () => {
  const aliceKey = ed25519();

  it('uploads device keys and one-time keys; counts come back; another user queries the keys with the display name', async () => {
    const dk = deviceKeys(alice.userId, alice.deviceId, aliceKey);
    const up = await c(alice).post('/keys/upload', {
      device_keys: dk,
      one_time_keys: { 'signed_curve25519:AAAA': signedKey(alice.userId, alice.deviceId, aliceKey), 'signed_curve25519:AAAB': signedKey(alice.userId, alice.deviceId, aliceKey) },
    });
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.deepEqual(up.body, { one_time_key_counts: { signed_curve25519: 2 } });

    const q = await c(bob).post('/keys/query', { device_keys: { [alice.userId]: [] } });
    assert.equal(q.status, 200, JSON.stringify(q.body));
    assert.deepEqual(q.body.device_keys, { [alice.userId]: { [alice.deviceId]: { ...dk, unsigned: { device_display_name: 'Alice phone' } } } });
    assert.deepEqual(q.body.failures, {});
  });

  it('a device list picks devices; an unknown local user is an empty map; a remote user is a failure for its server', async () => {
    const q = await c(bob).post('/keys/query', { device_keys: { [alice.userId]: [alice.deviceId, 'NOPE'], '@ghost:localhost': [], '@far:remote.example': [] } });
    assert.equal(q.status, 200, JSON.stringify(q.body));
    assert.deepEqual(Object.keys(q.body.device_keys[alice.userId]), [alice.deviceId]);
    assert.deepEqual(q.body.device_keys['@ghost:localhost'], {});
    assert.equal(q.body.device_keys['@far:remote.example'], undefined);
    assert.ok(q.body.failures['remote.example']);
    const none = await c(bob).post('/keys/query', { device_keys: { [alice.userId]: ['NOPE'] } });
    assert.deepEqual(none.body.device_keys, { [alice.userId]: {} });
  });

  it('re-uploading identical keys changes nothing; a one-time key id re-used with another key is 400 (as Synapse)', async () => {
    const key = signedKey(alice.userId, alice.deviceId, aliceKey);
    assert.equal((await c(alice).post('/keys/upload', { one_time_keys: { 'signed_curve25519:SAME': key } })).status, 200);
    const again = await c(alice).post('/keys/upload', { one_time_keys: { 'signed_curve25519:SAME': key } });
    assert.deepEqual(again.body, { one_time_key_counts: { signed_curve25519: 3 } });
    const clash = await c(alice).post('/keys/upload', { one_time_keys: { 'signed_curve25519:SAME': signedKey(alice.userId, alice.deviceId, aliceKey) } });
    assert.equal(clash.status, 400);
    assert.equal(clash.body.errcode, 'M_UNKNOWN');
  });

  it('an empty upload just reports the counts (signed_curve25519 always listed)', async () => {
    const up = await c(bob).post('/keys/upload', {});
    assert.deepEqual(up.body, { one_time_key_counts: { signed_curve25519: 0 } });
  });

  it('device_keys must belong to the caller\'s user and device, with the spec\'s shape (400 M_BAD_JSON)', async () => {
    const bad = [
      { device_keys: deviceKeys(bob.userId, alice.deviceId) },
      { device_keys: deviceKeys(alice.userId, 'OTHERDEVICE') },
      { device_keys: { ...deviceKeys(alice.userId, alice.deviceId), signatures: { [alice.userId]: 'not-an-object' } } },
      { device_keys: { ...deviceKeys(alice.userId, alice.deviceId), algorithms: 'm.olm' } },
      { device_keys: null },
      { one_time_keys: { 'no-colon': 'x' } },
      { one_time_keys: { 'signed_curve25519:K': { key: 'k' } } },
      { fallback_keys: { 'signed_curve25519:K': { key: 'k', signatures: {}, fallback: 'yes' } } },
    ];
    for (const body of bad) {
      const res = await c(alice).post('/keys/upload', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.errcode, 'M_BAD_JSON', JSON.stringify(body));
    }
  });

  it('/keys/query without device_keys, or with a non-list, is 400 M_BAD_JSON', async () => {
    for (const body of [{}, { device_keys: { [alice.userId]: 'all' } }]) {
      const res = await c(bob).post('/keys/query', body);
      assert.equal(res.status, 400);
      assert.equal(res.body.errcode, 'M_BAD_JSON');
    }
  });
});

describe('client-server API §"Key management API" POST /keys/claim', () => {
  it('spec: "each one-time key is returned at most once", even under 30 concurrent claims', async () => {
    const owner = await makeUser(hub, 'otk-owner');
    const key = ed25519();
    const keys = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`signed_curve25519:K${String(i).padStart(2, '0')}`, signedKey(owner.userId, owner.deviceId, key)]));
    await c(owner).post('/keys/upload', { device_keys: deviceKeys(owner.userId, owner.deviceId, key), one_time_keys: keys });
    const claimers = await Promise.all([1, 2, 3].map((i) => makeUser(hub, `claimer${i}`)));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      c(claimers[i % 3]!).post('/keys/claim', { one_time_keys: { [owner.userId]: { [owner.deviceId]: 'signed_curve25519' } } })));
    const got: string[] = [];
    for (const r of results) {
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const byKey = r.body.one_time_keys[owner.userId]?.[owner.deviceId] ?? {};
      for (const [id, value] of Object.entries(byKey)) {
        got.push(id);
        assert.deepEqual(value, keys[id]);
      }
    }
    assert.equal(got.length, 12);
    assert.deepEqual(new Set(got), new Set(Object.keys(keys)));
    const counts = await c(owner).post('/keys/upload', {});
    assert.deepEqual(counts.body.one_time_key_counts, { signed_curve25519: 0 });
  });

  it('§"One-time and fallback keys": the fallback key is given once one-time keys run out, reused, and reported used in /sync until replaced', async () => {
    const owner = await makeUser(hub, 'fb-owner');
    const key = ed25519();
    const fallback = signedKey(owner.userId, owner.deviceId, key, true);
    const otk = signedKey(owner.userId, owner.deviceId, key);
    await c(owner).post('/keys/upload', { one_time_keys: { 'signed_curve25519:OTK': otk }, fallback_keys: { 'signed_curve25519:FB1': fallback } });
    const s0 = await c(owner).get('/sync');
    assert.deepEqual(s0.body.device_unused_fallback_key_types, ['signed_curve25519']);
    assert.deepEqual(s0.body.device_one_time_keys_count, { signed_curve25519: 1 });

    const claim = () => c(bob).post('/keys/claim', { one_time_keys: { [owner.userId]: { [owner.deviceId]: 'signed_curve25519' } } });
    assert.deepEqual((await claim()).body.one_time_keys, { [owner.userId]: { [owner.deviceId]: { 'signed_curve25519:OTK': otk } } });
    assert.deepEqual((await claim()).body.one_time_keys, { [owner.userId]: { [owner.deviceId]: { 'signed_curve25519:FB1': fallback } } });
    assert.deepEqual((await claim()).body.one_time_keys, { [owner.userId]: { [owner.deviceId]: { 'signed_curve25519:FB1': fallback } } });
    const s1 = await c(owner).get(`/sync?since=${s0.body.next_batch}`);
    assert.deepEqual(s1.body.device_unused_fallback_key_types, []);
    assert.deepEqual(s1.body.device_one_time_keys_count, { signed_curve25519: 0 });

    const fallback2 = signedKey(owner.userId, owner.deviceId, key, true);
    await c(owner).post('/keys/upload', { fallback_keys: { 'signed_curve25519:FB2': fallback2 } });
    const s2 = await c(owner).get(`/sync?since=${s1.body.next_batch}`);
    assert.deepEqual(s2.body.device_unused_fallback_key_types, ['signed_curve25519']);
    assert.deepEqual((await claim()).body.one_time_keys[owner.userId][owner.deviceId], { 'signed_curve25519:FB2': fallback2 });
  });

  it('unknown devices and algorithms give nothing; remote users are failures; a malformed body is 400 M_BAD_JSON', async () => {
    const r = await c(bob).post('/keys/claim', { one_time_keys: { [alice.userId]: { NOPE: 'signed_curve25519', [alice.deviceId]: 'curve25519' }, '@x:remote.example': { D: 'signed_curve25519' } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.one_time_keys, {});
    assert.ok(r.body.failures['remote.example']);
    for (const body of [{}, { one_time_keys: { [alice.userId]: { D: 1 } } }]) {
      const bad = await c(bob).post('/keys/claim', body);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errcode, 'M_BAD_JSON');
    }
  });
});
