/** Client-Server API §"Tracking the device list for a user" over real HTTP: /sync device_lists (changed, left) and GET /keys/changes. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientOf, deviceKeys } from './support/e2e.js';
import { hashToken } from '../src/http/auth.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, carol: TestUser, loner: TestUser;
let roomId: string;
const c = (u: TestUser) => clientOf(hub, u);
const enc = encodeURIComponent;

/** The next_batch of an incremental sync, so later changes are measured from now. */
async function tokenNow(u: TestUser): Promise<string> {
  const first = await c(u).get('/sync');
  return (await c(u).get(`/sync?since=${first.body.next_batch}`)).body.next_batch;
}
const listsSince = async (u: TestUser, since: string) => (await c(u).get(`/sync?since=${since}`)).body.device_lists;

before(async () => {
  hub = await startTestHub();
  [alice, bob, carol, loner] = [await makeUser(hub, 'alice'), await makeUser(hub, 'bob'), await makeUser(hub, 'carol'), await makeUser(hub, 'loner')];
  roomId = (await c(alice).post('/createRoom', { invite: [bob.userId, carol.userId] })).body.room_id;
  assert.equal((await c(bob).post(`/join/${enc(roomId)}`, {})).status, 200);
});
after(async () => { await hub.stop(); });

describe('client-server API §"Tracking the device list for a user": /sync device_lists and GET /keys/changes', () => {
  it('an initial sync carries empty device_lists', async () => {
    const s = await c(bob).get('/sync');
    assert.deepEqual(s.body.device_lists, { changed: [], left: [] });
  });

  it('a user in a shared room uploading new device keys is in `changed` for the others, not for users sharing no room', async () => {
    const [bobT, lonerT] = [await tokenNow(bob), await tokenNow(loner)];
    assert.equal((await c(alice).post('/keys/upload', { device_keys: deviceKeys(alice.userId, alice.deviceId) })).status, 200);
    assert.deepEqual(await listsSince(bob, bobT), { changed: [alice.userId], left: [] });
    assert.deepEqual((await listsSince(loner, lonerT)).changed, []);
    const changes = await c(bob).get(`/keys/changes?from=${bobT}&to=${(await c(bob).get(`/sync?since=${bobT}`)).body.next_batch}`);
    assert.equal(changes.status, 200, JSON.stringify(changes.body));
    assert.deepEqual(changes.body, { changed: [alice.userId], left: [] });
    const none = await c(loner).get(`/keys/changes?from=${lonerT}&to=${lonerT}`);
    assert.deepEqual(none.body, { changed: [], left: [] });
  });

  it('re-uploading the same device keys is not a change', async () => {
    const dk = deviceKeys(alice.userId, alice.deviceId);
    await c(alice).post('/keys/upload', { device_keys: dk });
    const bobT = await tokenNow(bob);
    await c(alice).post('/keys/upload', { device_keys: dk });
    assert.deepEqual(await listsSince(bob, bobT), { changed: [], left: [] });
  });

  it('a long-polling /sync of a room member wakes up when the keys change', async () => {
    const bobT = await tokenNow(bob);
    const polling = c(bob).get(`/sync?since=${bobT}&timeout=30000`);
    await new Promise((r) => setTimeout(r, 100));
    await c(alice).post('/keys/upload', { device_keys: deviceKeys(alice.userId, alice.deviceId) });
    // Not a timing check: a sync that was not woken would only answer after its 30 s timeout.
    const s = await Promise.race([polling, new Promise<'asleep'>((r) => setTimeout(() => r('asleep'), 15_000).unref())]);
    assert.notEqual(s, 'asleep', 'the long-poll was not woken');
    assert.deepEqual((s as Awaited<typeof polling>).body.device_lists.changed, [alice.userId]);
  });

  it('a user joining a shared room is in `changed` for the members; the joiner gets every member in `changed`', async () => {
    const [aliceT, carolT] = [await tokenNow(alice), await tokenNow(carol)];
    assert.equal((await c(carol).post(`/join/${enc(roomId)}`, {})).status, 200);
    assert.ok((await listsSince(alice, aliceT)).changed.includes(carol.userId));
    assert.deepEqual((await listsSince(carol, carolT)).changed, [alice.userId, bob.userId, carol.userId].sort());
  });

  it('a user leaving the only shared room is in `left` (and not `changed`); the leaver sees the others in `left`', async () => {
    const [aliceT, carolT] = [await tokenNow(alice), await tokenNow(carol)];
    assert.equal((await c(carol).post(`/rooms/${enc(roomId)}/leave`, {})).status, 200);
    assert.deepEqual(await listsSince(alice, aliceT), { changed: [], left: [carol.userId] });
    assert.deepEqual((await listsSince(carol, carolT)).left, [alice.userId, bob.userId].sort());
    const changes = await c(alice).get(`/keys/changes?from=${aliceT}&to=${(await c(alice).get(`/sync?since=${aliceT}`)).body.next_batch}`);
    assert.deepEqual(changes.body.left, [carol.userId]);
  });

  it('deleting a device (logout) is a change of the user\'s device list', async () => {
    await hub.store.devices.upsertDevice(alice.userId, 'ALICE2');
    const token = randomBytes(24).toString('base64url');
    await hub.store.devices.createAccessToken({ tokenHash: hashToken(token), userId: alice.userId, deviceId: 'ALICE2' });
    const alice2 = { userId: alice.userId, deviceId: 'ALICE2', token };
    await c(alice2).post('/keys/upload', { device_keys: deviceKeys(alice.userId, 'ALICE2') });
    const bobT = await tokenNow(bob);
    assert.equal((await c(alice2).post('/logout', {})).status, 200);
    assert.deepEqual((await listsSince(bob, bobT)).changed, [alice.userId]);
    const q = await c(bob).post('/keys/query', { device_keys: { [alice.userId]: [] } });
    assert.deepEqual(Object.keys(q.body.device_keys[alice.userId]), [alice.deviceId]);
  });

  it('tokens from before the device-list field parse (the field reads as 0); a bad token is 400', async () => {
    const six = (await c(bob).get('/sync')).body.next_batch.split('_').slice(0, 6).join('_');
    const old = await c(bob).get(`/sync?since=${six}`);
    assert.equal(old.status, 200);
    assert.ok(old.body.device_lists.changed.includes(alice.userId));
    const missing = await c(bob).get('/keys/changes?to=s1');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errcode, 'M_MISSING_PARAM');
    const bad = await c(bob).get('/keys/changes?from=nonsense&to=s1');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errcode, 'M_INVALID_PARAM');
  });
});
