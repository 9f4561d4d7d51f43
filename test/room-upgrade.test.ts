/** Client-server API §"Room Upgrades": POST /rooms/{roomId}/upgrade and the server behaviour steps, over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, eve: TestUser, carol: TestUser;
const c = (u: TestUser | null): SpecClient => createSpecClient(hub.clientUrl, u?.token);
const enc = encodeURIComponent;
const V3 = '/_matrix/client/v3';
/**
 * Room v12 create events are refused by the room service today: prepare-event.ts checks the built PDU, to which
 * buildEvent adds the derived room_id, against auth rule 1.2 (v12: "if the event has a room_id, reject"). These
 * tests pass once the check sees the PDU without that key; until then they are reported as TODO.
 */
const state = async (u: TestUser, roomId: string, type: string, key = '') =>
  (await c(u).get(`${V3}/rooms/${enc(roomId)}/state/${type}/${enc(key)}`)).body;

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  [alice, bob, eve, carol] = await Promise.all(['alice', 'bob', 'eve', 'carol'].map((n) => makeUser(hub, n)));
});
after(async () => { await hub.stop(); });

async function richRoom(version: string, aliasName: string): Promise<string> {
  const r = await c(alice).post(`${V3}/createRoom`, {
    room_version: version, visibility: 'public', preset: 'public_chat', name: 'Lounge', topic: 'Lamps', room_alias_name: aliasName,
    initial_state: [
      { type: 'm.room.avatar', content: { url: 'mxc://localhost/lamp' } },
      { type: 'm.room.encryption', content: { algorithm: 'm.megolm.v1.aes-sha2' } },
      { type: 'm.room.server_acl', content: { allow: ['*'], deny: ['evil.example'], allow_ip_literals: false } },
      { type: 'm.space.child', state_key: '!child:localhost', content: { via: ['localhost'] } },
      { type: 'org.example.custom', content: { not: 'copied' } },
    ],
    power_level_content_override: { users: version === '12' ? { [bob.userId]: 50 } : { [alice.userId]: 100, [bob.userId]: 50 } },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const roomId = r.body.room_id;
  await c(bob).post(`${V3}/join/${enc(roomId)}`, {});
  await c(eve).post(`${V3}/join/${enc(roomId)}`, {});
  assert.equal((await c(alice).post(`${V3}/rooms/${enc(roomId)}/ban`, { user_id: eve.userId, reason: 'spam' })).status, 200);
  return roomId;
}

describe('client-server API §"Room Upgrades" POST /rooms/{roomId}/upgrade', () => {
  it('creates the replacement room, copies the state, moves the aliases, tombstones and locks the old room', async () => {
    const oldRoom = await richRoom('10', 'lounge');
    const r = await c(alice).post(`${V3}/rooms/${enc(oldRoom)}/upgrade`, { new_version: '11' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const newRoom = r.body.replacement_room;
    assert.match(newRoom, /^!.+:localhost$/);

    // 2. m.room.create with predecessor and the new version.
    const create = await state(alice, newRoom, 'm.room.create');
    assert.equal(create.room_version, '11');
    assert.equal(create.predecessor.room_id, oldRoom);
    assert.match(create.predecessor.event_id, /^\$/);
    // 3. Transferable state copied; other state and memberships not.
    assert.deepEqual(await state(alice, newRoom, 'm.room.name'), { name: 'Lounge' });
    assert.deepEqual(await state(alice, newRoom, 'm.room.topic'), { topic: 'Lamps' });
    assert.deepEqual(await state(alice, newRoom, 'm.room.avatar'), { url: 'mxc://localhost/lamp' });
    assert.deepEqual(await state(alice, newRoom, 'm.room.join_rules'), { join_rule: 'public' });
    assert.deepEqual(await state(alice, newRoom, 'm.room.history_visibility'), { history_visibility: 'shared' });
    assert.deepEqual(await state(alice, newRoom, 'm.room.guest_access'), { guest_access: 'forbidden' });
    assert.deepEqual(await state(alice, newRoom, 'm.room.encryption'), { algorithm: 'm.megolm.v1.aes-sha2' });
    assert.deepEqual((await state(alice, newRoom, 'm.room.server_acl')).deny, ['evil.example']);
    assert.deepEqual(await state(alice, newRoom, 'm.space.child', '!child:localhost'), { via: ['localhost'] });
    assert.equal((await c(alice).get(`${V3}/rooms/${enc(newRoom)}/state/org.example.custom/`)).status, 404);
    const pl = await state(alice, newRoom, 'm.room.power_levels');
    assert.equal(pl.users[alice.userId], 100);
    assert.equal(pl.users[bob.userId], 50);
    assert.equal((await state(alice, newRoom, 'm.room.member', eve.userId)).membership, 'ban', 'bans are carried over');
    assert.equal((await c(alice).get(`${V3}/rooms/${enc(newRoom)}/state/m.room.member/${enc(bob.userId)}`)).status, 404, 'members are not');
    // 4. Aliases, the canonical alias and the directory listing move.
    assert.equal((await c(alice).get(`${V3}/directory/room/${enc('#lounge:localhost')}`)).body.room_id, newRoom);
    assert.deepEqual(await state(alice, newRoom, 'm.room.canonical_alias'), { alias: '#lounge:localhost' });
    assert.deepEqual(await state(alice, oldRoom, 'm.room.canonical_alias'), {});
    assert.deepEqual((await c(alice).get(`${V3}/directory/list/room/${enc(newRoom)}`)).body, { visibility: 'public' });
    assert.deepEqual((await c(alice).get(`${V3}/directory/list/room/${enc(oldRoom)}`)).body, { visibility: 'private' });
    // 5. The tombstone.
    assert.equal((await state(alice, oldRoom, 'm.room.tombstone')).replacement_room, newRoom);
    // 6. The old room's power levels keep members from talking or inviting.
    const oldPl = await state(alice, oldRoom, 'm.room.power_levels');
    assert.equal(oldPl.events_default, 50);
    assert.equal(oldPl.invite, 50);
    const talk = await c(carol).post(`${V3}/join/${enc(oldRoom)}`, {});
    assert.equal(talk.status, 200);
    const sent = await c(carol).put(`${V3}/rooms/${enc(oldRoom)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'hi' });
    assert.deepEqual([sent.status, sent.body.errcode], [403, 'M_FORBIDDEN']);
  });

  it('to room version 12: the upgrader and additional_creators are creators and left out of power levels users (auth rule 10.4)', async () => {
    const oldRoom = await richRoom('10', 'to12');
    const r = await c(alice).post(`${V3}/rooms/${enc(oldRoom)}/upgrade`, { new_version: '12', additional_creators: [bob.userId] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const newRoom = r.body.replacement_room;
    const create = (await c(alice).get(`${V3}/rooms/${enc(newRoom)}/state`)).body.find((e: any) => e.type === 'm.room.create');
    assert.equal(create.sender, alice.userId);
    assert.equal(create.content.room_version, '12');
    assert.deepEqual(create.content.additional_creators, [bob.userId]);
    assert.equal(create.content.predecessor.room_id, oldRoom);
    const pl = await state(alice, newRoom, 'm.room.power_levels');
    assert.equal(pl.users[alice.userId], undefined);
    assert.equal(pl.users[bob.userId], undefined);
    assert.deepEqual(await state(alice, newRoom, 'm.room.name'), { name: 'Lounge' });
  });

  it('from room version 12 to 11: old creators keep power 100 and levels above 100 are capped', async () => {
    const oldRoom = await richRoom('12', 'from12');
    const r = await c(alice).post(`${V3}/rooms/${enc(oldRoom)}/upgrade`, { new_version: '11' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const pl = await state(alice, r.body.replacement_room, 'm.room.power_levels');
    assert.equal(pl.users[alice.userId], 100);
    assert.equal(pl.events['m.room.tombstone'], 100);
  });

  it('copies what redaction left of a redacted state event, never the redacted content', async () => {
    const roomId = (await c(alice).post(`${V3}/createRoom`, { topic: 'secret plans' })).body.room_id;
    const topicId = (await c(alice).get(`${V3}/rooms/${enc(roomId)}/state`)).body.find((e: any) => e.type === 'm.room.topic').event_id;
    assert.equal((await c(alice).put(`${V3}/rooms/${enc(roomId)}/redact/${enc(topicId)}/r1`, {})).status, 200);
    const r = await c(alice).post(`${V3}/rooms/${enc(roomId)}/upgrade`, { new_version: '11' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const events = (await c(alice).get(`${V3}/rooms/${enc(r.body.replacement_room)}/state`)).body;
    assert.ok(!JSON.stringify(events).includes('secret plans'));
  });

  it('400 M_UNSUPPORTED_ROOM_VERSION for an unknown version; 400 M_MISSING_PARAM without new_version', async () => {
    const roomId = (await c(alice).post(`${V3}/createRoom`, {})).body.room_id;
    const unknown = await c(alice).post(`${V3}/rooms/${enc(roomId)}/upgrade`, { new_version: '99' });
    assert.deepEqual([unknown.status, unknown.body.errcode], [400, 'M_UNSUPPORTED_ROOM_VERSION']);
    const missing = await c(alice).post(`${V3}/rooms/${enc(roomId)}/upgrade`, {});
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
  });

  it('403 M_FORBIDDEN without power to send m.room.tombstone, and for non-members; 404 for an unknown room', async () => {
    const roomId = (await c(alice).post(`${V3}/createRoom`, { preset: 'public_chat' })).body.room_id;
    await c(bob).post(`${V3}/join/${enc(roomId)}`, {});
    const member = await c(bob).post(`${V3}/rooms/${enc(roomId)}/upgrade`, { new_version: '11' });
    assert.deepEqual([member.status, member.body.errcode], [403, 'M_FORBIDDEN']);
    const outsider = await c(carol).post(`${V3}/rooms/${enc(roomId)}/upgrade`, { new_version: '11' });
    assert.deepEqual([outsider.status, outsider.body.errcode], [403, 'M_FORBIDDEN']);
    assert.equal((await c(alice).get(`${V3}/rooms/${enc(roomId)}/state/m.room.tombstone/`)).status, 404, 'nothing was sent');
    const unknown = await c(alice).post(`${V3}/rooms/${enc('!nowhere:localhost')}/upgrade`, { new_version: '11' });
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
  });
});
