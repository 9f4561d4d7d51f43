/** Client-server API §"Room aliases" (PUT/GET/DELETE /directory/room, GET /rooms/{roomId}/aliases) and directory visibility, over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, eve: TestUser, admin: TestUser;
const c = (u: TestUser | null): SpecClient => createSpecClient(hub.clientUrl, u?.token);
const enc = encodeURIComponent;
const V3 = '/_matrix/client/v3';

async function room(owner: TestUser, body: Record<string, unknown> = {}): Promise<string> {
  const r = await c(owner).post(`${V3}/createRoom`, body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.room_id;
}

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
  eve = await makeUser(hub, 'eve');
  admin = await makeUser(hub, 'root', true);
});
after(async () => { await hub.stop(); });

describe('client-server API §"Room aliases" PUT /directory/room/{roomAlias}', () => {
  it('maps a local alias to a room; GET resolves it with this server in servers', async () => {
    const roomId = await room(alice);
    const put = await c(alice).put(`${V3}/directory/room/${enc('#kitchen:localhost')}`, { room_id: roomId });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body, {});
    const got = await c(null).get(`${V3}/directory/room/${enc('#kitchen:localhost')}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, { room_id: roomId, servers: ['localhost'] });
  });

  it('409 M_UNKNOWN when the alias already exists', async () => {
    const roomId = await room(alice);
    assert.equal((await c(alice).put(`${V3}/directory/room/${enc('#dup:localhost')}`, { room_id: roomId })).status, 200);
    const again = await c(alice).put(`${V3}/directory/room/${enc('#dup:localhost')}`, { room_id: roomId });
    assert.equal(again.status, 409);
    assert.equal(again.body.errcode, 'M_UNKNOWN');
  });

  it('400 M_INVALID_PARAM for an invalid alias or one on another server', async () => {
    const roomId = await room(alice);
    for (const alias of ['nohash:localhost', '#nocolon', '#:localhost', '#x:bad domain', '#x:example.org']) {
      const r = await c(alice).put(`${V3}/directory/room/${enc(alias)}`, { room_id: roomId });
      assert.equal(r.status, 400, alias);
      assert.equal(r.body.errcode, 'M_INVALID_PARAM', alias);
    }
  });

  it('400 M_MISSING_PARAM without room_id; 404 M_NOT_FOUND for an unknown room; 403 M_FORBIDDEN for a non-member', async () => {
    const roomId = await room(alice);
    const missing = await c(alice).put(`${V3}/directory/room/${enc('#a1:localhost')}`, {});
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
    const unknown = await c(alice).put(`${V3}/directory/room/${enc('#a2:localhost')}`, { room_id: '!nope:localhost' });
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    const outsider = await c(eve).put(`${V3}/directory/room/${enc('#a3:localhost')}`, { room_id: roomId });
    assert.deepEqual([outsider.status, outsider.body.errcode], [403, 'M_FORBIDDEN']);
    const noToken = await c(null).put(`${V3}/directory/room/${enc('#a4:localhost')}`, { room_id: roomId });
    assert.deepEqual([noToken.status, noToken.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});

describe('client-server API §"Room aliases" GET /directory/room/{roomAlias}', () => {
  it('404 M_NOT_FOUND for an unknown alias and for a remote one (no federation); 400 M_INVALID_PARAM for an invalid one', async () => {
    const unknown = await c(alice).get(`${V3}/directory/room/${enc('#ghost:localhost')}`);
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    const remote = await c(alice).get(`${V3}/directory/room/${enc('#room:example.org')}`);
    assert.deepEqual([remote.status, remote.body.errcode], [404, 'M_NOT_FOUND']);
    const invalid = await c(alice).get(`${V3}/directory/room/${enc('no-hash')}`);
    assert.deepEqual([invalid.status, invalid.body.errcode], [400, 'M_INVALID_PARAM']);
  });
});

describe('client-server API §"Room aliases" DELETE /directory/room/{roomAlias}', () => {
  it('the alias creator may delete it; then it no longer resolves', async () => {
    const roomId = await room(alice, { preset: 'public_chat' });
    await c(bob).post(`${V3}/join/${enc(roomId)}`, {});
    assert.equal((await c(bob).put(`${V3}/directory/room/${enc('#bobs:localhost')}`, { room_id: roomId })).status, 200);
    const del = await c(bob).delete(`${V3}/directory/room/${enc('#bobs:localhost')}`);
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.equal((await c(bob).get(`${V3}/directory/room/${enc('#bobs:localhost')}`)).status, 404);
  });

  it('403 M_FORBIDDEN for a member who neither made the alias nor may send m.room.canonical_alias; a room admin and a server admin may', async () => {
    const roomId = await room(alice, { preset: 'public_chat' });
    await c(bob).post(`${V3}/join/${enc(roomId)}`, {});
    for (const alias of ['#del1:localhost', '#del2:localhost']) {
      assert.equal((await c(bob).put(`${V3}/directory/room/${enc(alias)}`, { room_id: roomId })).status, 200);
    }
    assert.equal((await c(alice).put(`${V3}/directory/room/${enc('#del3:localhost')}`, { room_id: roomId })).status, 200);
    const denied = await c(bob).delete(`${V3}/directory/room/${enc('#del3:localhost')}`);
    assert.deepEqual([denied.status, denied.body.errcode], [403, 'M_FORBIDDEN']);
    assert.equal((await c(alice).delete(`${V3}/directory/room/${enc('#del1:localhost')}`)).status, 200, 'room admin (power 100)');
    assert.equal((await c(admin).delete(`${V3}/directory/room/${enc('#del2:localhost')}`)).status, 200, 'server admin');
  });

  it('404 M_NOT_FOUND for an unknown alias', async () => {
    const r = await c(alice).delete(`${V3}/directory/room/${enc('#never:localhost')}`);
    assert.deepEqual([r.status, r.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('removes a deleted alias from m.room.canonical_alias (as Synapse)', async () => {
    const roomId = await room(alice, { room_alias_name: 'canon' });
    assert.equal((await c(alice).put(`${V3}/directory/room/${enc('#alt:localhost')}`, { room_id: roomId })).status, 200);
    const set = await c(alice).put(`${V3}/rooms/${enc(roomId)}/state/m.room.canonical_alias/`, { alias: '#canon:localhost', alt_aliases: ['#alt:localhost'] });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal((await c(alice).delete(`${V3}/directory/room/${enc('#canon:localhost')}`)).status, 200);
    const state = await c(alice).get(`${V3}/rooms/${enc(roomId)}/state/m.room.canonical_alias/`);
    assert.deepEqual(state.body, { alt_aliases: ['#alt:localhost'] });
  });
});

describe('client-server API §"Room aliases" GET /rooms/{roomId}/aliases', () => {
  it('lists the local aliases to members; 403 M_FORBIDDEN to others', async () => {
    const roomId = await room(alice, { room_alias_name: 'listed' });
    assert.equal((await c(alice).put(`${V3}/directory/room/${enc('#listed2:localhost')}`, { room_id: roomId })).status, 200);
    const list = await c(alice).get(`${V3}/rooms/${enc(roomId)}/aliases`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, { aliases: ['#listed2:localhost', '#listed:localhost'] });
    const outsider = await c(eve).get(`${V3}/rooms/${enc(roomId)}/aliases`);
    assert.deepEqual([outsider.status, outsider.body.errcode], [403, 'M_FORBIDDEN']);
    assert.equal((await c(admin).get(`${V3}/rooms/${enc(roomId)}/aliases`)).status, 200, 'server admins may look');
  });

  it('anyone may list the aliases of a world-readable room', async () => {
    const roomId = await room(alice, { room_alias_name: 'open', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } }] });
    const r = await c(eve).get(`${V3}/rooms/${enc(roomId)}/aliases`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.aliases, ['#open:localhost']);
  });
});

describe('client-server API §"Published room directory" GET/PUT /directory/list/room/{roomId}', () => {
  it('a new room is private; its creator may publish it; GET needs no token', async () => {
    const roomId = await room(alice);
    assert.deepEqual((await c(null).get(`${V3}/directory/list/room/${enc(roomId)}`)).body, { visibility: 'private' });
    assert.equal((await c(alice).put(`${V3}/directory/list/room/${enc(roomId)}`, { visibility: 'public' })).status, 200);
    assert.deepEqual((await c(null).get(`${V3}/directory/list/room/${enc(roomId)}`)).body, { visibility: 'public' });
    assert.equal((await c(alice).put(`${V3}/directory/list/room/${enc(roomId)}`, { visibility: 'private' })).status, 200);
    assert.deepEqual((await c(alice).get(`${V3}/directory/list/room/${enc(roomId)}`)).body, { visibility: 'private' });
  });

  it('404 M_NOT_FOUND for an unknown room (GET and PUT)', async () => {
    const g = await c(alice).get(`${V3}/directory/list/room/${enc('!missing:localhost')}`);
    assert.deepEqual([g.status, g.body.errcode], [404, 'M_NOT_FOUND']);
    const p = await c(alice).put(`${V3}/directory/list/room/${enc('!missing:localhost')}`, { visibility: 'public' });
    assert.deepEqual([p.status, p.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('403 M_FORBIDDEN for a member without power and for a non-member; a server admin may; 400 for a bad visibility', async () => {
    const roomId = await room(alice, { preset: 'public_chat' });
    await c(bob).post(`${V3}/join/${enc(roomId)}`, {});
    const member = await c(bob).put(`${V3}/directory/list/room/${enc(roomId)}`, { visibility: 'public' });
    assert.deepEqual([member.status, member.body.errcode], [403, 'M_FORBIDDEN']);
    const outsider = await c(eve).put(`${V3}/directory/list/room/${enc(roomId)}`, { visibility: 'public' });
    assert.deepEqual([outsider.status, outsider.body.errcode], [403, 'M_FORBIDDEN']);
    assert.equal((await c(admin).put(`${V3}/directory/list/room/${enc(roomId)}`, {})).status, 200, 'visibility defaults to public');
    assert.deepEqual((await c(alice).get(`${V3}/directory/list/room/${enc(roomId)}`)).body, { visibility: 'public' });
    const bad = await c(alice).put(`${V3}/directory/list/room/${enc(roomId)}`, { visibility: 'secret' });
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_INVALID_PARAM']);
  });
});
