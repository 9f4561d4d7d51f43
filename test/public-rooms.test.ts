/** Client-server API §"Published room directory": GET and POST /publicRooms over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, carol: TestUser;
const c = (u: TestUser | null): SpecClient => createSpecClient(hub.clientUrl, u?.token);
const enc = encodeURIComponent;
const V3 = '/_matrix/client/v3';
let kitchen: string, garden: string, space: string, readable: string, unlisted: string;

async function room(owner: TestUser, body: Record<string, unknown>): Promise<string> {
  const r = await c(owner).post(`${V3}/createRoom`, body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.room_id;
}

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
  carol = await makeUser(hub, 'carol');
  kitchen = await room(alice, { visibility: 'public', name: 'Kitchen', topic: 'Sensors by the stove', room_alias_name: 'kitchen' });
  for (const u of [bob, carol]) await c(u).post(`${V3}/join/${enc(kitchen)}`, {});
  garden = await room(alice, {
    visibility: 'public', name: 'Garden',
    initial_state: [{ type: 'm.room.avatar', content: { url: 'mxc://localhost/flower' } }, { type: 'm.room.guest_access', content: { guest_access: 'can_join' } }],
  });
  await c(bob).post(`${V3}/join/${enc(garden)}`, {});
  space = await room(alice, { visibility: 'public', name: 'Home', creation_content: { type: 'm.space' } });
  // Published but invite-only: listed only because its history is world-readable.
  readable = await room(alice, {
    visibility: 'public', preset: 'private_chat', name: 'Readable',
    initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } }],
  });
  // Published but invite-only and not world-readable: not listed (as Synapse).
  unlisted = await room(alice, { visibility: 'public', preset: 'private_chat', name: 'Hidden' });
  await room(alice, { name: 'Private, not published' });
});
after(async () => { await hub.stop(); });

describe('client-server API §"Published room directory" GET /publicRooms', () => {
  it('lists the published, joinable rooms with their summaries, largest first, without a token', async () => {
    const r = await c(null).get(`${V3}/publicRooms`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const ids = r.body.chunk.map((x: any) => x.room_id);
    assert.deepEqual(ids.slice(0, 2), [kitchen, garden]);
    assert.deepEqual(new Set(ids), new Set([kitchen, garden, space, readable]));
    assert.ok(!ids.includes(unlisted));
    assert.equal(r.body.total_room_count_estimate, 4);
    const k = r.body.chunk[0];
    assert.deepEqual(k, {
      room_id: kitchen, num_joined_members: 3, world_readable: false, guest_can_join: false, name: 'Kitchen',
      topic: 'Sensors by the stove', canonical_alias: '#kitchen:localhost', join_rule: 'public',
    });
    const g = r.body.chunk[1];
    assert.equal(g.avatar_url, 'mxc://localhost/flower');
    assert.equal(g.guest_can_join, true);
    assert.equal(r.body.chunk.find((x: any) => x.room_id === space).room_type, 'm.space');
    const rd = r.body.chunk.find((x: any) => x.room_id === readable);
    assert.equal(rd.world_readable, true);
    assert.equal(rd.join_rule, 'invite');
  });

  it('paginates with limit, next_batch and prev_batch', async () => {
    const all = (await c(alice).get(`${V3}/publicRooms`)).body.chunk.map((x: any) => x.room_id);
    const p1 = await c(alice).get(`${V3}/publicRooms?limit=2`);
    assert.deepEqual(p1.body.chunk.map((x: any) => x.room_id), all.slice(0, 2));
    assert.equal(p1.body.prev_batch, undefined);
    assert.ok(p1.body.next_batch);
    const p2 = await c(alice).get(`${V3}/publicRooms?limit=2&since=${enc(p1.body.next_batch)}`);
    assert.deepEqual(p2.body.chunk.map((x: any) => x.room_id), all.slice(2, 4));
    assert.equal(p2.body.next_batch, undefined, 'no more rooms');
    assert.ok(p2.body.prev_batch);
    const back = await c(alice).get(`${V3}/publicRooms?limit=2&since=${enc(p2.body.prev_batch)}`);
    assert.deepEqual(back.body.chunk.map((x: any) => x.room_id), all.slice(0, 2));
    assert.equal(back.body.prev_batch, undefined);
  });

  it('server equal to this server lists local rooms; another server is 404 M_UNKNOWN (no federation); a bad name 400', async () => {
    assert.equal((await c(alice).get(`${V3}/publicRooms?server=localhost`)).body.chunk.length, 4);
    const remote = await c(alice).get(`${V3}/publicRooms?server=example.org`);
    assert.deepEqual([remote.status, remote.body.errcode], [404, 'M_UNKNOWN']);
    const bad = await c(alice).get(`${V3}/publicRooms?server=${enc('not a server')}`);
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_INVALID_PARAM']);
  });

  it('400 M_INVALID_PARAM for a bad limit or since token', async () => {
    for (const q of ['limit=ten', 'limit=-1', 'since=garbage']) {
      const r = await c(alice).get(`${V3}/publicRooms?${q}`);
      assert.deepEqual([r.status, r.body.errcode], [400, 'M_INVALID_PARAM'], q);
    }
  });
});

describe('client-server API §"Published room directory" POST /publicRooms', () => {
  it('filter.generic_search_term matches name, topic and canonical alias, case-insensitively', async () => {
    const byName = await c(alice).post(`${V3}/publicRooms`, { filter: { generic_search_term: 'GARD' } });
    assert.deepEqual(byName.body.chunk.map((x: any) => x.room_id), [garden]);
    const byTopic = await c(alice).post(`${V3}/publicRooms`, { filter: { generic_search_term: 'stove' } });
    assert.deepEqual(byTopic.body.chunk.map((x: any) => x.room_id), [kitchen]);
    const byAlias = await c(alice).post(`${V3}/publicRooms`, { filter: { generic_search_term: '#kitchen:' } });
    assert.deepEqual(byAlias.body.chunk.map((x: any) => x.room_id), [kitchen]);
  });

  it('filter.room_types keeps the listed types, null for rooms without one', async () => {
    const spaces = await c(alice).post(`${V3}/publicRooms`, { filter: { room_types: ['m.space'] } });
    assert.deepEqual(spaces.body.chunk.map((x: any) => x.room_id), [space]);
    const plain = await c(alice).post(`${V3}/publicRooms`, { filter: { room_types: [null] } });
    assert.ok(!plain.body.chunk.some((x: any) => x.room_id === space));
    assert.equal(plain.body.chunk.length, 3);
  });

  it('limit and since work as in GET; include_all_networks lists the same rooms; a third-party network has none', async () => {
    const p1 = await c(alice).post(`${V3}/publicRooms`, { limit: 1 });
    assert.equal(p1.body.chunk.length, 1);
    const p2 = await c(alice).post(`${V3}/publicRooms`, { limit: 1, since: p1.body.next_batch });
    assert.notEqual(p2.body.chunk[0].room_id, p1.body.chunk[0].room_id);
    assert.equal((await c(alice).post(`${V3}/publicRooms`, { include_all_networks: true })).body.chunk.length, 4);
    assert.deepEqual((await c(alice).post(`${V3}/publicRooms`, { third_party_instance_id: 'irc' })).body.chunk, []);
  });

  it('400 for include_all_networks with a third-party network and for a malformed body; 401 without a token', async () => {
    const both = await c(alice).post(`${V3}/publicRooms`, { include_all_networks: true, third_party_instance_id: 'irc' });
    assert.deepEqual([both.status, both.body.errcode], [400, 'M_INVALID_PARAM']);
    const badFilter = await c(alice).post(`${V3}/publicRooms`, { filter: { generic_search_term: 5 } });
    assert.deepEqual([badFilter.status, badFilter.body.errcode], [400, 'M_BAD_JSON']);
    const noToken = await c(null).post(`${V3}/publicRooms`, {});
    assert.deepEqual([noToken.status, noToken.body.errcode], [401, 'M_MISSING_TOKEN']);
    const remote = await c(alice).post(`${V3}/publicRooms?server=example.org`, {});
    assert.deepEqual([remote.status, remote.body.errcode], [404, 'M_UNKNOWN']);
  });

  it('unpublishing a room removes it from the list', async () => {
    const extra = await room(carol, { visibility: 'public', name: 'Temporary' });
    assert.ok((await c(carol).get(`${V3}/publicRooms`)).body.chunk.some((x: any) => x.room_id === extra));
    await c(carol).put(`${V3}/directory/list/room/${enc(extra)}`, { visibility: 'private' });
    assert.ok(!(await c(carol).get(`${V3}/publicRooms`)).body.chunk.some((x: any) => x.room_id === extra));
  });
});
