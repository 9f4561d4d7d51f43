/** Client-server API §"User directory": POST /user_directory/search over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, eve: TestUser, frank: TestUser;
const c = (u: TestUser | null): SpecClient => createSpecClient(hub.clientUrl, u?.token);
const enc = encodeURIComponent;
const V3 = '/_matrix/client/v3';
const search = (u: TestUser, body: unknown) => c(u).post(`${V3}/user_directory/search`, body);
const ids = (r: { body: any }) => r.body.results.map((x: any) => x.user_id);

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  [alice, bob, carol, dave, eve, frank] = await Promise.all(['alice', 'bob', 'carol', 'dave', 'eve', 'frank'].map((n) => makeUser(hub, n)));
  // alice and bob share an invite-only room.
  const shared = (await c(alice).post(`${V3}/createRoom`, { preset: 'private_chat', invite: [bob.userId] })).body.room_id;
  await c(bob).post(`${V3}/join/${enc(shared)}`, {});
  await c(bob).put(`${V3}/rooms/${enc(shared)}/state/m.room.member/${enc(bob.userId)}`, { membership: 'join', displayname: 'Bobby Tables', avatar_url: 'mxc://localhost/bobby' });
  // carol is in a public room alice is not in.
  await c(carol).post(`${V3}/createRoom`, { preset: 'public_chat' });
  // dave is in a world-readable invite-only room.
  await c(dave).post(`${V3}/createRoom`, { preset: 'private_chat', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } }] });
  // eve and frank share an invite-only room nobody else sees.
  const hidden = (await c(eve).post(`${V3}/createRoom`, { preset: 'private_chat', invite: [frank.userId] })).body.room_id;
  await c(frank).post(`${V3}/join/${enc(hidden)}`, {});
});
after(async () => { await hub.stop(); });

describe('client-server API §"User directory" POST /user_directory/search', () => {
  it('finds users sharing a room with the searcher, by display name, case-insensitively, with their profile', async () => {
    const r = await search(alice, { search_term: 'TABLES' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { results: [{ user_id: bob.userId, display_name: 'Bobby Tables', avatar_url: 'mxc://localhost/bobby' }], limited: false });
  });

  it('finds users of public rooms and of world-readable rooms by user id', async () => {
    assert.deepEqual(ids(await search(alice, { search_term: 'carol' })), [carol.userId]);
    assert.deepEqual(ids(await search(alice, { search_term: '@dave:localhost' })), [dave.userId]);
  });

  it('does not find users the searcher cannot see (only in invite-only rooms without the searcher)', async () => {
    assert.deepEqual(ids(await search(alice, { search_term: 'eve' })), []);
    assert.deepEqual(ids(await search(alice, { search_term: 'frank' })), []);
    assert.deepEqual(ids(await search(eve, { search_term: 'frank' })), [frank.userId], 'but eve shares a room with frank');
  });

  it('every word must match; results are ranked and cut at limit with limited: true', async () => {
    assert.deepEqual(ids(await search(alice, { search_term: 'bobby nobody' })), []);
    const all = await search(alice, { search_term: 'localhost' });
    assert.ok(all.body.results.length >= 3);
    assert.equal(all.body.limited, false);
    // 'a' starts alice's localpart and is only inside the others' ids: alice ranks first, then the rest by user id.
    assert.deepEqual(ids(await search(alice, { search_term: 'a' })), [alice.userId, bob.userId, carol.userId, dave.userId]);
    const cut = await search(alice, { search_term: 'a', limit: 1 });
    assert.deepEqual(cut.body, { results: [{ user_id: alice.userId, display_name: 'alice' }], limited: true });
  });

  it('400 M_MISSING_PARAM without search_term, M_BAD_JSON for a non-string one, M_INVALID_PARAM for a bad limit; 401 without a token', async () => {
    const missing = await search(alice, {});
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
    const wrong = await search(alice, { search_term: 3 });
    assert.deepEqual([wrong.status, wrong.body.errcode], [400, 'M_BAD_JSON']);
    const limit = await search(alice, { search_term: 'x', limit: -2 });
    assert.deepEqual([limit.status, limit.body.errcode], [400, 'M_INVALID_PARAM']);
    const anon = await c(null).post(`${V3}/user_directory/search`, { search_term: 'x' });
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});
