/** Client-server API §"Reporting content": POST /rooms/{roomId}/report/{eventId}, /rooms/{roomId}/report and /users/{userId}/report over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, eve: TestUser;
let roomId: string, otherRoom: string, eventId: string;
const c = (u: TestUser | null): SpecClient => createSpecClient(hub.clientUrl, u?.token);
const enc = encodeURIComponent;
const V3 = '/_matrix/client/v3';

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  [alice, bob, eve] = await Promise.all(['alice', 'bob', 'eve'].map((n) => makeUser(hub, n)));
  roomId = (await c(alice).post(`${V3}/createRoom`, { preset: 'public_chat' })).body.room_id;
  await c(bob).post(`${V3}/join/${enc(roomId)}`, {});
  eventId = (await c(alice).put(`${V3}/rooms/${enc(roomId)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'rude' })).body.event_id;
  otherRoom = (await c(eve).post(`${V3}/createRoom`, {})).body.room_id;
});
after(async () => { await hub.stop(); });

const lastReport = async () => (await hub.store.reports.list(0, 1000)).at(-1);

describe('client-server API §"Reporting content" POST /rooms/{roomId}/report/{eventId}', () => {
  it('a member reports an event; the report is stored with its reason', async () => {
    const r = await c(bob).post(`${V3}/rooms/${enc(roomId)}/report/${enc(eventId)}`, { reason: 'this makes me sad' });
    assert.deepEqual([r.status, r.body], [200, {}]);
    const stored = await lastReport();
    assert.deepEqual({ ...stored, id: 0, receivedTs: 0 }, {
      id: 0, kind: 'event', roomId, eventId, targetUserId: alice.userId, reporter: bob.userId, reason: 'this makes me sad', receivedTs: 0,
    });
    const noReason = await c(bob).post(`${V3}/rooms/${enc(roomId)}/report/${enc(eventId)}`, {});
    assert.equal(noReason.status, 200, 'reason is optional');
    assert.equal((await lastReport())?.reason, null);
  });

  it('404 M_NOT_FOUND when the reporter is not joined, the event is unknown, or it is in another room', async () => {
    const notJoined = await c(eve).post(`${V3}/rooms/${enc(roomId)}/report/${enc(eventId)}`, { reason: 'x' });
    assert.deepEqual([notJoined.status, notJoined.body.errcode], [404, 'M_NOT_FOUND']);
    const unknown = await c(bob).post(`${V3}/rooms/${enc(roomId)}/report/${enc('$nope')}`, { reason: 'x' });
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    const elsewhere = await c(eve).post(`${V3}/rooms/${enc(otherRoom)}/report/${enc(eventId)}`, { reason: 'x' });
    assert.deepEqual([elsewhere.status, elsewhere.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('400 M_BAD_JSON for a non-string reason; 401 without a token', async () => {
    const bad = await c(bob).post(`${V3}/rooms/${enc(roomId)}/report/${enc(eventId)}`, { reason: 3 });
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_BAD_JSON']);
    const anon = await c(null).post(`${V3}/rooms/${enc(roomId)}/report/${enc(eventId)}`, { reason: 'x' });
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});

describe('client-server API §"Reporting content" POST /rooms/{roomId}/report (v1.13)', () => {
  it('anyone may report a known room, joined or not', async () => {
    const r = await c(eve).post(`${V3}/rooms/${enc(roomId)}/report`, { reason: 'spam room' });
    assert.deepEqual([r.status, r.body], [200, {}]);
    const stored = await lastReport();
    assert.deepEqual([stored?.kind, stored?.roomId, stored?.reporter, stored?.reason], ['room', roomId, eve.userId, 'spam room']);
  });

  it('404 M_NOT_FOUND for an unknown room; 400 M_MISSING_PARAM without reason', async () => {
    const unknown = await c(eve).post(`${V3}/rooms/${enc('!ghost:localhost')}/report`, { reason: 'x' });
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    const missing = await c(eve).post(`${V3}/rooms/${enc(roomId)}/report`, {});
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
  });
});

describe('client-server API §"Reporting content" POST /users/{userId}/report (v1.14)', () => {
  it('reports a local user; 404 M_NOT_FOUND for an unknown local user; 400 M_MISSING_PARAM without reason', async () => {
    const r = await c(bob).post(`${V3}/users/${enc(eve.userId)}/report`, { reason: '' });
    assert.deepEqual([r.status, r.body], [200, {}]);
    const stored = await lastReport();
    assert.deepEqual([stored?.kind, stored?.targetUserId, stored?.reason], ['user', eve.userId, '']);
    const unknown = await c(bob).post(`${V3}/users/${enc('@ghost:localhost')}/report`, { reason: 'x' });
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    const missing = await c(bob).post(`${V3}/users/${enc(eve.userId)}/report`, {});
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
  });
});
