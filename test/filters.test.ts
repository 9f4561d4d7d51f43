/** Client-server API §"Filtering" over real HTTP: POST /user/{userId}/filter and GET /user/{userId}/filter/{filterId}. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';

let hub: TestHub;
let alice: TestUser;
let bob: TestUser;
let a: SpecClient;
const enc = encodeURIComponent;
const filterPath = (userId: string, id?: string) => `/_matrix/client/v3/user/${enc(userId)}/filter${id === undefined ? '' : `/${enc(id)}`}`;

/** The request example of POST /user/{userId}/filter in the spec. */
const SPEC_EXAMPLE = {
  room: {
    state: { types: ['m.room.*'], not_rooms: ['!726s6s6q:example.com'] },
    timeline: { limit: 10, types: ['m.room.message'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
    ephemeral: { types: ['m.receipt', 'm.typing'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
  },
  presence: { types: ['m.presence'], not_senders: ['@alice:example.com'] },
  event_format: 'client',
  event_fields: ['type', 'content', 'sender'],
};

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
  a = createSpecClient(hub.clientUrl, alice.token);
});
after(async () => { await hub.stop(); });

describe('client-server API §"Filtering" POST /user/{userId}/filter', () => {
  it('uploads the spec example and returns a filter_id that does not start with "{"; GET returns the filter', async () => {
    const res = await a.post(filterPath(alice.userId), SPEC_EXAMPLE);
    assert.equal(res.status, 200);
    assert.equal(res.body.filter_id, '0');
    assert.deepEqual((await a.get(filterPath(alice.userId, res.body.filter_id))).body, SPEC_EXAMPLE);
  });

  it('ids are small integers per user, and an identical upload returns the same id (as Synapse)', async () => {
    assert.equal((await a.post(filterPath(alice.userId), { room: { timeline: { limit: 1 } } })).body.filter_id, '1');
    assert.equal((await a.post(filterPath(alice.userId), SPEC_EXAMPLE)).body.filter_id, '0');
    assert.equal((await createSpecClient(hub.clientUrl, bob.token).post(filterPath(bob.userId), {})).body.filter_id, '0');
  });

  it('an invalid filter: 400 M_BAD_JSON (wrong types) or M_INVALID_PARAM (invalid values)', async () => {
    const rows: [object, string][] = [
      [{ room: { timeline: { limit: 'ten' } } }, 'M_BAD_JSON'],
      [{ event_fields: 'content' }, 'M_BAD_JSON'],
      [{ room: { state: { types: [1] } } }, 'M_BAD_JSON'],
      [{ room: { timeline: { limit: 0 } } }, 'M_INVALID_PARAM'],
      [{ presence: { senders: ['alice'] } }, 'M_INVALID_PARAM'],
      [{ event_format: 'xml' }, 'M_INVALID_PARAM'],
    ];
    for (const [body, errcode] of rows) {
      const res = await a.post(filterPath(alice.userId), body);
      assert.deepEqual([res.status, res.body.errcode], [400, errcode], JSON.stringify(body));
    }
  });

  it('a body that is not a JSON object: 400 M_BAD_JSON; none: 400 M_NOT_JSON', async () => {
    const res = await a.post(filterPath(alice.userId), ['room']);
    assert.deepEqual([res.status, res.body.errcode], [400, 'M_BAD_JSON']);
    const empty = await a.post(filterPath(alice.userId));
    assert.deepEqual([empty.status, empty.body.errcode], [400, 'M_NOT_JSON']);
  });

  it('for another user: 403 M_FORBIDDEN', async () => {
    const res = await a.post(filterPath(bob.userId), {});
    assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
  });
});

describe('client-server API §"Filtering" GET /user/{userId}/filter/{filterId}', () => {
  it('"Unknown filter": 404 M_NOT_FOUND, for unknown, malformed and other users\' ids', async () => {
    await createSpecClient(hub.clientUrl, bob.token).post(filterPath(bob.userId), { presence: { types: [] } });
    for (const id of ['99', 'abc', '01', '{"room":{}}']) {
      const res = await a.get(filterPath(alice.userId, id));
      assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND'], id);
    }
  });

  it("another user's filter: 403 M_FORBIDDEN", async () => {
    const res = await a.get(filterPath(bob.userId, '0'));
    assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
  });
});
