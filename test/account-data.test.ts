/** Client-server API §"Client Config" and §"Room Tagging" over real HTTP: account data and tags, with every listed error. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';

let hub: TestHub;
let alice: TestUser;
let bob: TestUser;
let a: SpecClient;
const ROOM = '!kitchen:localhost';
const enc = encodeURIComponent;
const globalPath = (userId: string, type: string) => `/_matrix/client/v3/user/${enc(userId)}/account_data/${enc(type)}`;
const roomPath = (userId: string, roomId: string, type: string) => `/_matrix/client/v3/user/${enc(userId)}/rooms/${enc(roomId)}/account_data/${enc(type)}`;
const tagsPath = (userId: string, roomId: string, tag?: string) => `/_matrix/client/v3/user/${enc(userId)}/rooms/${enc(roomId)}/tags${tag === undefined ? '' : `/${enc(tag)}`}`;

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
  a = createSpecClient(hub.clientUrl, alice.token);
});
after(async () => { await hub.stop(); });

/** Sends a raw body (not JSON-encoded by the client) to check M_NOT_JSON. */
async function rawPut(path: string, body: string): Promise<{ status: number; body: any }> {
  const res = await fetch(hub.clientUrl + path, { method: 'PUT', headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': 'application/json' }, body });
  return { status: res.status, body: await res.json() };
}

describe('client-server API §"Client Config" PUT/GET /user/{userId}/account_data/{type}', () => {
  it('PUT then GET returns the content; PUT again replaces it; the r0 alias works too', async () => {
    assert.deepEqual((await a.put(globalPath(alice.userId, 'org.example.custom.config'), { custom_account_data_key: 'custom_config_value' })).body, {});
    assert.deepEqual((await a.get(globalPath(alice.userId, 'org.example.custom.config'))).body, { custom_account_data_key: 'custom_config_value' });
    await a.put(globalPath(alice.userId, 'org.example.custom.config'), { v: 2 });
    assert.deepEqual((await a.get(globalPath(alice.userId, 'org.example.custom.config'))).body, { v: 2 });
    const r0 = await a.get(globalPath(alice.userId, 'org.example.custom.config').replace('/v3/', '/r0/'));
    assert.deepEqual(r0.body, { v: 2 });
  });

  it('the write lands on the account data stream for /sync', async () => {
    const before = await hub.store.accountData.currentStreamId();
    await a.put(globalPath(alice.userId, 'm.direct'), { '@bob:localhost': [ROOM] });
    const changes = await hub.store.accountData.changesSince(alice.userId, before);
    assert.deepEqual(changes.global, [{ type: 'm.direct', content: { '@bob:localhost': [ROOM] } }]);
  });

  it('GET of an unset type: 404 M_NOT_FOUND', async () => {
    const res = await a.get(globalPath(alice.userId, 'org.example.never'));
    assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it("another user's account data: 403 M_FORBIDDEN for GET and PUT", async () => {
    await createSpecClient(hub.clientUrl, bob.token).put(globalPath(bob.userId, 'org.example.secret'), { s: 1 });
    for (const res of [await a.get(globalPath(bob.userId, 'org.example.secret')), await a.put(globalPath(bob.userId, 'org.example.secret'), { s: 2 })]) {
      assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
    }
    assert.deepEqual(await hub.store.accountData.get(bob.userId, null, 'org.example.secret'), { s: 1 });
  });

  it('a body that is not a JSON object: 400 M_BAD_JSON; not JSON at all: 400 M_NOT_JSON', async () => {
    for (const body of [[1, 2], 'text', 5, null]) {
      const res = await a.put(globalPath(alice.userId, 'org.example.x'), body);
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_BAD_JSON'], JSON.stringify(body));
    }
    const res = await rawPut(globalPath(alice.userId, 'org.example.x'), '{not json');
    assert.deepEqual([res.status, res.body.errcode], [400, 'M_NOT_JSON']);
  });

  it('"Servers MUST reject setting account data for event types that the server manages": 405 M_BAD_JSON for m.fully_read and m.push_rules', async () => {
    for (const path of [globalPath(alice.userId, 'm.fully_read'), globalPath(alice.userId, 'm.push_rules'), roomPath(alice.userId, ROOM, 'm.fully_read'), roomPath(alice.userId, ROOM, 'm.push_rules')]) {
      const res = await a.put(path, { event_id: '$x' });
      assert.deepEqual([res.status, res.body.errcode], [405, 'M_BAD_JSON'], path);
    }
    assert.equal(await hub.store.accountData.get(alice.userId, ROOM, 'm.fully_read'), undefined);
  });

  it('"Servers must allow clients to read the above event types as normal": GET m.push_rules gives the ruleset', async () => {
    const res = await a.get(globalPath(alice.userId, 'm.push_rules'));
    assert.equal(res.status, 200);
    assert.equal(res.body.global.override[0].rule_id, '.m.rule.master');
  });
});

describe('client-server API §"Client Config" PUT/GET /user/{userId}/rooms/{roomId}/account_data/{type}', () => {
  it('room data is separate per room and does not fall back to global data ("There is no inheritance mechanism")', async () => {
    await a.put(globalPath(alice.userId, 'org.example.room.config'), { scope: 'global' });
    await a.put(roomPath(alice.userId, ROOM, 'org.example.room.config'), { scope: 'kitchen' });
    assert.deepEqual((await a.get(roomPath(alice.userId, ROOM, 'org.example.room.config'))).body, { scope: 'kitchen' });
    const other = await a.get(roomPath(alice.userId, '!garden:localhost', 'org.example.room.config'));
    assert.deepEqual([other.status, other.body.errcode], [404, 'M_NOT_FOUND']);
    assert.deepEqual((await a.get(globalPath(alice.userId, 'org.example.room.config'))).body, { scope: 'global' });
  });

  it('a roomId that is not a room ID: 400 M_INVALID_PARAM for GET and PUT', async () => {
    for (const res of [await a.get(roomPath(alice.userId, '@notaroomid:example.org', 'x')), await a.put(roomPath(alice.userId, '#alias:example.org', 'x'), {})]) {
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM']);
    }
  });

  it('403 M_FORBIDDEN for another user; 400 M_BAD_JSON for a non-object body', async () => {
    const res = await a.put(roomPath(bob.userId, ROOM, 'x'), {});
    assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
    const get = await a.get(roomPath(bob.userId, ROOM, 'x'));
    assert.deepEqual([get.status, get.body.errcode], [403, 'M_FORBIDDEN']);
    const bad = await a.put(roomPath(alice.userId, ROOM, 'x'), ['x']);
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_BAD_JSON']);
  });

  it('no access token: 401 M_MISSING_TOKEN', async () => {
    const res = await a.withToken(undefined).get(roomPath(alice.userId, ROOM, 'x'));
    assert.deepEqual([res.status, res.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});

describe('client-server API §"Room Tagging" GET/PUT/DELETE /user/{userId}/rooms/{roomId}/tags', () => {
  const room = '!tagged:localhost';

  it('no tags: {"tags": {}}; PUT adds tags with their order; GET lists them', async () => {
    assert.deepEqual((await a.get(tagsPath(alice.userId, room))).body, { tags: {} });
    assert.deepEqual((await a.put(tagsPath(alice.userId, room, 'm.favourite'), { order: 0.1 })).body, {});
    await a.put(tagsPath(alice.userId, room, 'u.Work'), { order: 0.7 });
    await a.put(tagsPath(alice.userId, room, 'u.no-order'), {});
    assert.deepEqual((await a.get(tagsPath(alice.userId, room))).body, { tags: { 'm.favourite': { order: 0.1 }, 'u.Work': { order: 0.7 }, 'u.no-order': {} } });
  });

  it('tags are the room account data m.tag, as /sync delivers them', async () => {
    assert.deepEqual((await a.get(roomPath(alice.userId, room, 'm.tag'))).body.tags['m.favourite'], { order: 0.1 });
    const changes = await hub.store.accountData.changesSince(alice.userId, 0);
    assert.ok(changes.rooms[room]?.some((e) => e.type === 'm.tag'));
  });

  it('PUT of an existing tag replaces its content; DELETE removes one tag; DELETE of an absent tag is 200', async () => {
    await a.put(tagsPath(alice.userId, room, 'm.favourite'), { order: 0.5 });
    assert.deepEqual((await a.delete(tagsPath(alice.userId, room, 'u.Work'))).body, {});
    const pos = await hub.store.accountData.currentStreamId();
    assert.equal((await a.delete(tagsPath(alice.userId, room, 'u.never'))).status, 200);
    assert.equal(await hub.store.accountData.currentStreamId(), pos, 'removing nothing writes nothing');
    assert.deepEqual((await a.get(tagsPath(alice.userId, room))).body, { tags: { 'm.favourite': { order: 0.5 }, 'u.no-order': {} } });
  });

  it('concurrent tag writes all land', async () => {
    const r = '!busy:localhost';
    await Promise.all(Array.from({ length: 10 }, (_, i) => a.put(tagsPath(alice.userId, r, `u.t${i}`), { order: i / 10 })));
    assert.equal(Object.keys((await a.get(tagsPath(alice.userId, r))).body.tags).length, 10);
  });

  it('a tag named __proto__ is an ordinary tag', async () => {
    const r = '!proto:localhost';
    await a.put(tagsPath(alice.userId, r, '__proto__'), { order: 0.3 });
    assert.deepEqual((await a.get(tagsPath(alice.userId, r))).body, JSON.parse('{"tags":{"__proto__":{"order":0.3}}}'));
  });

  it('"The name of a tag MUST NOT exceed 255 bytes": 400 M_INVALID_PARAM; a non-number order: 400 M_BAD_JSON', async () => {
    const long = await a.put(tagsPath(alice.userId, room, `u.${'é'.repeat(127)}`), {});
    assert.deepEqual([long.status, long.body.errcode], [400, 'M_INVALID_PARAM']);
    assert.equal((await a.put(tagsPath(alice.userId, room, `u.${'x'.repeat(253)}`), {})).status, 200);
    const order = await a.put(tagsPath(alice.userId, room, 'u.x'), { order: 'first' });
    assert.deepEqual([order.status, order.body.errcode], [400, 'M_BAD_JSON']);
  });

  it("another user's tags: 403 M_FORBIDDEN for GET, PUT and DELETE", async () => {
    for (const res of [await a.get(tagsPath(bob.userId, room)), await a.put(tagsPath(bob.userId, room, 'u.x'), {}), await a.delete(tagsPath(bob.userId, room, 'u.x'))]) {
      assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
    }
  });
});
