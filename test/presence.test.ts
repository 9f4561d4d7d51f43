/** Client-server API §"Presence": GET and PUT /presence/{userId}/status over real HTTP, with presence on and off. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';

let hub: TestHub, off: TestHub;
let alice: TestUser, bob: TestUser, eve: TestUser, offUser: TestUser;
const c = (h: TestHub, u: TestUser | null): SpecClient => createSpecClient(h.clientUrl, u?.token);
const enc = encodeURIComponent;
const path = (u: string) => `/_matrix/client/v3/presence/${enc(u)}/status`;

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  off = await startTestHub({ rateLimit: false, presence: false });
  [alice, bob, eve] = await Promise.all(['alice', 'bob', 'eve'].map((n) => makeUser(hub, n)));
  offUser = await makeUser(off, 'alice');
  const roomId = (await c(hub, alice).post('/_matrix/client/v3/createRoom', { preset: 'public_chat' })).body.room_id;
  await c(hub, bob).post(`/_matrix/client/v3/join/${enc(roomId)}`, {});
});
after(async () => { await Promise.all([hub.stop(), off.stop()]); });

describe('client-server API §"Presence" PUT /presence/{userId}/status', () => {
  it('sets your own presence and status message; GET shows them with last_active_ago', async () => {
    const put = await c(hub, alice).put(path(alice.userId), { presence: 'online', status_msg: 'In the kitchen' });
    assert.deepEqual([put.status, put.body], [200, {}]);
    const got = await c(hub, alice).get(path(alice.userId));
    assert.equal(got.status, 200);
    assert.equal(got.body.presence, 'online');
    assert.equal(got.body.status_msg, 'In the kitchen');
    assert.equal(got.body.currently_active, true);
    assert.ok(Number.isInteger(got.body.last_active_ago) && got.body.last_active_ago >= 0);
    await c(hub, alice).put(path(alice.userId), { presence: 'unavailable' });
    assert.equal((await c(hub, bob).get(path(alice.userId))).body.presence, 'unavailable');
  });

  it("403 M_FORBIDDEN for someone else's presence", async () => {
    const r = await c(hub, bob).put(path(alice.userId), { presence: 'offline' });
    assert.deepEqual([r.status, r.body.errcode], [403, 'M_FORBIDDEN']);
  });

  it('400 for a missing or unknown presence and for a non-string status_msg', async () => {
    const missing = await c(hub, alice).put(path(alice.userId), { status_msg: 'x' });
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
    const unknown = await c(hub, alice).put(path(alice.userId), { presence: 'busy' });
    assert.deepEqual([unknown.status, unknown.body.errcode], [400, 'M_INVALID_PARAM']);
    const msg = await c(hub, alice).put(path(alice.userId), { presence: 'online', status_msg: 5 });
    assert.deepEqual([msg.status, msg.body.errcode], [400, 'M_BAD_JSON']);
  });
});

describe('client-server API §"Presence" GET /presence/{userId}/status', () => {
  it('a user who never set presence reads offline', async () => {
    const r = await c(hub, alice).get(path(bob.userId));
    assert.deepEqual([r.status, r.body], [200, { presence: 'offline' }]);
  });

  it('403 M_FORBIDDEN for a user sharing no room with the caller; 404 M_NOT_FOUND for an unknown user', async () => {
    const hidden = await c(hub, eve).get(path(alice.userId));
    assert.deepEqual([hidden.status, hidden.body.errcode], [403, 'M_FORBIDDEN']);
    const unknown = await c(hub, alice).get(path('@nobody:localhost'));
    assert.deepEqual([unknown.status, unknown.body.errcode], [404, 'M_NOT_FOUND']);
    const anon = await c(hub, null).get(path(alice.userId));
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});

describe('client-server API §"Presence" with --presence off (as Synapse with presence disabled)', () => {
  it('PUT is accepted and ignored; GET answers offline', async () => {
    const put = await c(off, offUser).put(path(offUser.userId), { presence: 'online', status_msg: 'here' });
    assert.deepEqual([put.status, put.body], [200, {}]);
    const got = await c(off, offUser).get(path(offUser.userId));
    assert.deepEqual([got.status, got.body], [200, { presence: 'offline' }]);
  });
});

describe('hearth start --presence on|off', () => {
  it('defaults to on, accepts off, and rejects anything else', async () => {
    const { loadConfig } = await import('../src/config/load-config.js');
    const { ConfigError } = await import('../src/config/options.js');
    assert.equal((await loadConfig({ flags: {}, env: {} })).presence, true);
    assert.equal((await loadConfig({ flags: { presence: 'off' }, env: {} })).presence, false);
    assert.equal((await loadConfig({ flags: {}, env: { HEARTH_PRESENCE: 'off' } })).presence, false);
    await assert.rejects(loadConfig({ flags: { presence: 'maybe' }, env: {} }), ConfigError);
  });
});
