/** Client-Server API §"Send-to-Device messaging" over real HTTP: delivery through /sync, acknowledgement, `*` devices, txn idempotence, the 100-message limit, long-poll wake-up. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientOf } from './support/e2e.js';
import { hashToken } from '../src/http/auth.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser;
let txn = 0;
const c = (u: TestUser) => clientOf(hub, u);
const send = (from: TestUser, messages: unknown, type = 'm.test', txnId = `t${++txn}`) =>
  c(from).put(`/sendToDevice/${encodeURIComponent(type)}/${txnId}`, { messages });

/** A second device (with its own token) for an existing test user. */
async function secondDevice(user: TestUser, deviceId: string): Promise<TestUser> {
  await hub.store.devices.upsertDevice(user.userId, deviceId);
  const token = randomBytes(24).toString('base64url');
  await hub.store.devices.createAccessToken({ tokenHash: hashToken(token), userId: user.userId, deviceId });
  return { userId: user.userId, deviceId, token };
}

before(async () => {
  hub = await startTestHub();
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
});
after(async () => { await hub.stop(); });

describe('client-server API §"Send-to-Device messaging" PUT /sendToDevice and /sync to_device', () => {
  it('a message reaches the device in /sync, in order; the next sync acknowledges it and it is gone', async () => {
    const base = await c(bob).get('/sync');
    assert.deepEqual(base.body.to_device.events, []);
    assert.equal((await send(alice, { [bob.userId]: { [bob.deviceId]: { n: 1 } } })).status, 200);
    assert.equal((await send(alice, { [bob.userId]: { [bob.deviceId]: { n: 2 } } }, 'm.other')).status, 200);
    const s1 = await c(bob).get(`/sync?since=${base.body.next_batch}`);
    assert.deepEqual(s1.body.to_device.events, [
      { sender: alice.userId, type: 'm.test', content: { n: 1 } },
      { sender: alice.userId, type: 'm.other', content: { n: 2 } },
    ]);
    // Retrying with the same token (the response was lost) delivers them again.
    const retry = await c(bob).get(`/sync?since=${base.body.next_batch}`);
    assert.equal(retry.body.to_device.events.length, 2);
    const s2 = await c(bob).get(`/sync?since=${s1.body.next_batch}`);
    assert.deepEqual(s2.body.to_device.events, []);
    const inbox = await hub.store.toDevice.pending(bob.userId, bob.deviceId, 0, Number.MAX_SAFE_INTEGER, 10);
    assert.deepEqual(inbox, [], 'acknowledged messages are deleted');
  });

  it('device id `*` reaches every device of the user; a named device gets its own content; unknown devices are skipped', async () => {
    const carol = await makeUser(hub, 'carol');
    const carol2 = await secondDevice(carol, 'CAROL2');
    const [t1, t2] = [await c(carol).get('/sync'), await c(carol2).get('/sync')];
    await send(alice, { [carol.userId]: { '*': { all: true }, [carol2.deviceId]: { just: 'two' }, NOSUCH: { x: 1 } } });
    const [s1, s2] = [await c(carol).get(`/sync?since=${t1.body.next_batch}`), await c(carol2).get(`/sync?since=${t2.body.next_batch}`)];
    assert.deepEqual(s1.body.to_device.events.map((e: any) => e.content), [{ all: true }]);
    assert.deepEqual(s2.body.to_device.events.map((e: any) => e.content), [{ just: 'two' }]);
  });

  it('§"Transaction identifiers": the same txnId from the same device sends once; another device of the sender may reuse it', async () => {
    const dave = await makeUser(hub, 'dave');
    const t = await c(dave).get('/sync');
    const alice2 = await secondDevice(alice, 'ALICE2');
    assert.equal((await send(alice, { [dave.userId]: { [dave.deviceId]: { n: 1 } } }, 'm.test', 'fixed')).status, 200);
    const repeat = await send(alice, { [dave.userId]: { [dave.deviceId]: { n: 2 } } }, 'm.test', 'fixed');
    assert.equal(repeat.status, 200);
    assert.deepEqual(repeat.body, {});
    await send(alice2, { [dave.userId]: { [dave.deviceId]: { n: 3 } } }, 'm.test', 'fixed');
    const s = await c(dave).get(`/sync?since=${t.body.next_batch}`);
    assert.deepEqual(s.body.to_device.events.map((e: any) => e.content.n), [1, 3]);
  });

  it('a long-polling /sync wakes up when a message arrives', async () => {
    const erin = await makeUser(hub, 'erin');
    const t = await c(erin).get('/sync');
    const polling = c(erin).get(`/sync?since=${t.body.next_batch}&timeout=30000`);
    await new Promise((r) => setTimeout(r, 100));
    await send(alice, { [erin.userId]: { [erin.deviceId]: { wake: 'up' } } });
    // Not a timing check: a sync that was not woken would only answer after its 30 s timeout.
    const s = await Promise.race([polling, new Promise<'asleep'>((r) => setTimeout(() => r('asleep'), 15_000).unref())]);
    assert.notEqual(s, 'asleep', 'the long-poll was not woken');
    assert.deepEqual((s as Awaited<typeof polling>).body.to_device.events.map((e: any) => e.content), [{ wake: 'up' }]);
  });

  it('spec: at most 100 messages per /sync; the rest follow in the next response, none lost or repeated', async () => {
    const frank = await makeUser(hub, 'frank');
    const t = await c(frank).get('/sync');
    for (let i = 0; i < 105; i++) await send(alice, { [frank.userId]: { [frank.deviceId]: { i } } });
    const s1 = await c(frank).get(`/sync?since=${t.body.next_batch}`);
    assert.equal(s1.body.to_device.events.length, 100);
    const s2 = await c(frank).get(`/sync?since=${s1.body.next_batch}`);
    const s3 = await c(frank).get(`/sync?since=${s2.body.next_batch}`);
    const all = [...s1.body.to_device.events, ...s2.body.to_device.events].map((e: any) => e.content.i);
    assert.deepEqual(all, Array.from({ length: 105 }, (_, i) => i));
    assert.deepEqual(s3.body.to_device.events, []);
  });

  it('messages for remote users are dropped (no federation yet); the request still succeeds', async () => {
    const res = await send(alice, { '@far:remote.example': { D: { x: 1 } } });
    assert.equal(res.status, 200);
  });

  it('a missing `messages` is 400 M_MISSING_PARAM; a malformed one 400 M_BAD_JSON', async () => {
    const missing = await c(alice).put(`/sendToDevice/m.test/bad${++txn}`, {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errcode, 'M_MISSING_PARAM');
    for (const messages of ['x', { [bob.userId]: 'x' }, { [bob.userId]: { [bob.deviceId]: 'not an object' } }]) {
      const bad = await send(alice, messages);
      assert.equal(bad.status, 400, JSON.stringify(messages));
      assert.equal(bad.body.errcode, 'M_BAD_JSON');
    }
  });

  it('a deleted device\'s inbox goes with it', async () => {
    const gina = await makeUser(hub, 'gina');
    const gina2 = await secondDevice(gina, 'GINA2');
    await send(alice, { [gina.userId]: { [gina2.deviceId]: { n: 1 } } });
    assert.equal((await hub.store.toDevice.pending(gina.userId, 'GINA2', 0, Number.MAX_SAFE_INTEGER, 10)).length, 1);
    assert.equal((await c(gina2).post('/logout', {})).status, 200);
    assert.deepEqual(await hub.store.toDevice.pending(gina.userId, 'GINA2', 0, Number.MAX_SAFE_INTEGER, 10), []);
  });
});
