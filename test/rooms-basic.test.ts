/** Client-Server API rooms over real HTTP: createRoom, membership, send, state, /messages, /sync, redaction. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { createSpecClient } from './support/spec-client.js';
import { makeUser, type TestUser } from './support/users.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, eve: TestUser;
let txn = 0;

/** Every 2xx response is validated against the spec's OpenAPI schema by the spec client. */
function call(user: TestUser | null, method: string, path: string, body?: unknown) {
  const c = createSpecClient(hub.clientUrl, user?.token);
  const full = `/_matrix/client/v3${path}`;
  return method === 'GET' ? c.get(full) : method === 'POST' ? c.post(full, body) : method === 'PUT' ? c.put(full, body) : c.delete(full, body);
}
const enc = encodeURIComponent;

before(async () => {
  hub = await startTestHub();
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
  eve = await makeUser(hub, 'eve');
});
after(async () => { await hub.stop(); });

describe('client-server API §"Creation" POST /createRoom and §"Room membership"', () => {
  it('creates a room, invites, joins, sends, syncs and paginates', async () => {
    const created = await call(alice, 'POST', '/createRoom', { name: 'Kitchen', topic: 'sensors', invite: [bob.userId] });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const roomId = created.body.room_id as string;
    assert.match(roomId, /^!.+:localhost$/);

    const bobSync0 = await call(bob, 'GET', '/sync');
    assert.ok(bobSync0.body.rooms.invite[roomId], 'bob sees the invite');
    const joined = await call(bob, 'POST', `/rooms/${enc(roomId)}/join`, {});
    assert.equal(joined.status, 200, JSON.stringify(joined.body));

    const sent = await call(alice, 'PUT', `/rooms/${enc(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body: 'hello' });
    assert.equal(sent.status, 200);
    const again = await call(alice, 'PUT', `/rooms/${enc(roomId)}/send/m.room.message/t${txn}`, { msgtype: 'm.text', body: 'hello' });
    assert.equal(again.body.event_id, sent.body.event_id, 'same txn id returns the same event');

    const sync = await call(bob, 'GET', `/sync?since=${bobSync0.body.next_batch}`);
    const room = sync.body.rooms.join[roomId];
    assert.ok(room, 'joined room in sync');
    const bodies = room.timeline.events.map((e: any) => e.content.body).filter(Boolean);
    assert.ok(bodies.includes('hello'));

    const msgs = await call(bob, 'GET', `/rooms/${enc(roomId)}/messages?dir=b&limit=3`);
    assert.equal(msgs.status, 200);
    assert.equal(msgs.body.chunk[0].content.body, 'hello');
    assert.ok(msgs.body.end);
    const more = await call(bob, 'GET', `/rooms/${enc(roomId)}/messages?dir=b&limit=50&from=${msgs.body.end}`);
    assert.equal(more.body.chunk.at(-1).type, 'm.room.create');

    const name = await call(bob, 'GET', `/rooms/${enc(roomId)}/state/m.room.name/`);
    assert.deepEqual(name.body, { name: 'Kitchen' });

    const outsider = await call(eve, 'PUT', `/rooms/${enc(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body: 'hi' });
    assert.equal(outsider.status, 403);
    assert.equal(outsider.body.errcode, 'M_FORBIDDEN');
    const outsiderRead = await call(eve, 'GET', `/rooms/${enc(roomId)}/messages`);
    assert.equal(outsiderRead.status, 403);

    const red = await call(alice, 'PUT', `/rooms/${enc(roomId)}/redact/${enc(sent.body.event_id)}/r1`, { reason: 'oops' });
    assert.equal(red.status, 200);
    const ev = await call(bob, 'GET', `/rooms/${enc(roomId)}/event/${enc(sent.body.event_id)}`);
    assert.deepEqual(ev.body.content, {});
    assert.equal(ev.body.unsigned.redacted_because.event_id, red.body.event_id);
  });

  for (const version of ['1', '3', '6', '9', '11', '12']) {
    it(`works in room version ${version} (event ids, room ids and auth rules of that version)`, async () => {
      const created = await call(alice, 'POST', '/createRoom', { room_version: version, preset: 'public_chat', name: `v${version}` });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const roomId = created.body.room_id as string;
      if (version === '12') assert.match(roomId, /^![A-Za-z0-9_-]{43}$/, 'v12 room ids are the create event reference hash');
      assert.equal((await call(bob, 'POST', `/join/${enc(roomId)}`, {})).status, 200);
      const sent = await call(bob, 'PUT', `/rooms/${enc(roomId)}/send/m.room.message/v${version}`, { msgtype: 'm.text', body: 'hi' });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      if (version === '1') assert.match(sent.body.event_id, /^\$.+:localhost$/);
      else assert.match(sent.body.event_id, /^\$[A-Za-z0-9+/_-]{43}$/);
      const state = await call(bob, 'GET', `/rooms/${enc(roomId)}/state`);
      const create = state.body.find((e: any) => e.type === 'm.room.create');
      assert.equal(create.content.room_version, version);
      assert.equal(create.room_id, roomId);
    });
  }

  it('wakes a long-polling /sync when a message arrives', async () => {
    const { body: { room_id: roomId } } = await call(alice, 'POST', '/createRoom', { preset: 'public_chat' });
    await call(bob, 'POST', `/join/${enc(roomId)}`, {});
    const s0 = await call(bob, 'GET', '/sync');
    const started = Date.now();
    const poll = call(bob, 'GET', `/sync?since=${s0.body.next_batch}&timeout=10000`);
    await new Promise((r) => setTimeout(r, 100));
    await call(alice, 'PUT', `/rooms/${enc(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body: 'ping' });
    const s1 = await poll;
    assert.ok(Date.now() - started < 5000, 'woken well before the timeout');
    assert.equal(s1.body.rooms.join[roomId].timeline.events.at(-1).content.body, 'ping');
  });
});
