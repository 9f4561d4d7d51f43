/** Client-Server API room reads and membership flows, every 2xx validated against the spec's OpenAPI schema. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';
import { makeUser, type TestUser } from './support/users.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, carol: TestUser;
let A: SpecClient, B: SpecClient, C: SpecClient;
const enc = encodeURIComponent;
const v3 = (p: string) => `/_matrix/client/v3${p}`;
const v1 = (p: string) => `/_matrix/client/v1${p}`;
let n = 0;
const say = (c: SpecClient, roomId: string, content: Record<string, unknown>) => c.put(v3(`/rooms/${enc(roomId)}/send/m.room.message/m${++n}`), content);

before(async () => {
  hub = await startTestHub();
  [alice, bob, carol] = [await makeUser(hub, 'alice'), await makeUser(hub, 'bob'), await makeUser(hub, 'carol')];
  [A, B, C] = [alice, bob, carol].map((u) => createSpecClient(hub.clientUrl, u.token)) as [SpecClient, SpecClient, SpecClient];
});
after(async () => { await hub.stop(); });

describe('client-server API §"Relationships" and §"Threading" (v1 relations, threads)', () => {
  it('lists relations of an event and thread roots with their summary', async () => {
    const roomId = (await A.post(v3('/createRoom'), { preset: 'public_chat' })).body.room_id;
    await B.post(v3(`/join/${enc(roomId)}`), {});
    const root = (await say(A, roomId, { msgtype: 'm.text', body: 'root' })).body.event_id;
    await say(B, roomId, { msgtype: 'm.text', body: 'reply 1', 'm.relates_to': { rel_type: 'm.thread', event_id: root } });
    await say(A, roomId, { msgtype: 'm.text', body: 'reply 2', 'm.relates_to': { rel_type: 'm.thread', event_id: root } });
    await A.put(v3(`/rooms/${enc(roomId)}/send/m.reaction/r1`), { 'm.relates_to': { rel_type: 'm.annotation', event_id: root, key: '👍' } });

    const all = await B.get(v1(`/rooms/${enc(roomId)}/relations/${enc(root)}`));
    assert.equal(all.body.chunk.length, 3);
    const threadOnly = await B.get(v1(`/rooms/${enc(roomId)}/relations/${enc(root)}/m.thread?limit=1`));
    assert.equal(threadOnly.body.chunk.length, 1);
    assert.equal(threadOnly.body.chunk[0].content.body, 'reply 2', 'newest first');
    const next = await B.get(v1(`/rooms/${enc(roomId)}/relations/${enc(root)}/m.thread?limit=1&from=${threadOnly.body.next_batch}`));
    assert.equal(next.body.chunk[0].content.body, 'reply 1');
    const reactions = await B.get(v1(`/rooms/${enc(roomId)}/relations/${enc(root)}/m.annotation/m.reaction`));
    assert.equal(reactions.body.chunk.length, 1);

    const threads = await B.get(v1(`/rooms/${enc(roomId)}/threads`));
    assert.equal(threads.body.chunk.length, 1);
    const summary = threads.body.chunk[0].unsigned['m.relations']['m.thread'];
    assert.equal(summary.count, 2);
    assert.equal(summary.latest_event.content.body, 'reply 2');
    assert.equal(summary.current_user_participated, true);
    assert.equal((await C.get(v1(`/rooms/${enc(roomId)}/threads?include=participated`))).status, 403, 'carol is not in the room');
    const missing = await B.get(v1(`/rooms/${enc(roomId)}/relations/${enc('$nope')}`));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errcode, 'M_NOT_FOUND');
  });
});

describe('client-server API §"GET /rooms/{roomId}/timestamp_to_event" and §"GET /rooms/{roomId}/context/{eventId}"', () => {
  it('finds the event closest to a timestamp and the context around an event', async () => {
    const roomId = (await A.post(v3('/createRoom'), {})).body.room_id;
    const before = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await say(A, roomId, { msgtype: 'm.text', body: `m${i}` })).body.event_id);
    const found = await A.get(v1(`/rooms/${enc(roomId)}/timestamp_to_event?ts=${before}&dir=f`));
    assert.equal(found.body.event_id, ids[0]);
    const none = await A.get(v1(`/rooms/${enc(roomId)}/timestamp_to_event?ts=${Date.now() + 60_000}&dir=f`));
    assert.equal(none.status, 404);
    const bad = await A.get(v1(`/rooms/${enc(roomId)}/timestamp_to_event?ts=${before}`));
    assert.equal(bad.status, 400);
    const ctx = await A.get(v3(`/rooms/${enc(roomId)}/context/${enc(ids[2]!)}?limit=2`));
    assert.equal(ctx.body.event.content.body, 'm2');
    assert.deepEqual(ctx.body.events_before.map((e: any) => e.content.body), ['m1']);
    assert.deepEqual(ctx.body.events_after.map((e: any) => e.content.body), ['m3']);
  });
});

describe('client-server API §"Room membership" (kick, ban, unban, leave, forget) and member lists', () => {
  it('kicks, bans and unbans, and lists members by membership', async () => {
    const roomId = (await A.post(v3('/createRoom'), { preset: 'public_chat' })).body.room_id;
    await B.post(v3(`/rooms/${enc(roomId)}/join`), {});
    await C.post(v3(`/rooms/${enc(roomId)}/join`), {});
    const joined = await A.get(v3(`/rooms/${enc(roomId)}/joined_members`));
    assert.deepEqual(Object.keys(joined.body.joined).sort(), [alice.userId, bob.userId, carol.userId].sort());
    const bobKicks = await B.post(v3(`/rooms/${enc(roomId)}/kick`), { user_id: carol.userId });
    assert.equal(bobKicks.status, 403, 'power level 0 cannot kick');
    assert.equal((await A.post(v3(`/rooms/${enc(roomId)}/kick`), { user_id: carol.userId, reason: 'bye' })).status, 200);
    assert.equal((await A.post(v3(`/rooms/${enc(roomId)}/ban`), { user_id: carol.userId })).status, 200);
    const rejoin = await C.post(v3(`/join/${enc(roomId)}`), {});
    assert.equal(rejoin.status, 403);
    assert.equal(rejoin.body.errcode, 'M_FORBIDDEN');
    const banned = await A.get(v3(`/rooms/${enc(roomId)}/members?membership=ban`));
    assert.deepEqual(banned.body.chunk.map((e: any) => e.state_key), [carol.userId]);
    const notLeft = await A.get(v3(`/rooms/${enc(roomId)}/members?not_membership=ban`));
    assert.ok(notLeft.body.chunk.every((e: any) => e.content.membership !== 'ban'));
    assert.equal((await A.post(v3(`/rooms/${enc(roomId)}/unban`), { user_id: carol.userId })).status, 200);
    assert.equal((await C.post(v3(`/join/${enc(roomId)}`), {})).status, 200);
    const missing = await A.post(v3(`/rooms/${enc(roomId)}/invite`), {});
    assert.equal(missing.status, 400);
  });

  it('delivers a leave in the next sync, then forgets the room', async () => {
    const roomId = (await A.post(v3('/createRoom'), { preset: 'public_chat' })).body.room_id;
    await B.post(v3(`/join/${enc(roomId)}`), {});
    const s0 = await B.get(v3('/sync'));
    assert.equal((await B.post(v3(`/rooms/${enc(roomId)}/forget`), {})).status, 400, 'must leave first');
    await B.post(v3(`/rooms/${enc(roomId)}/leave`), {});
    const s1 = await B.get(v3(`/sync?since=${s0.body.next_batch}`));
    assert.ok(s1.body.rooms.leave[roomId], 'leave section');
    assert.ok(!(await B.get(v3('/joined_rooms'))).body.joined_rooms.includes(roomId));
    assert.equal((await B.post(v3(`/rooms/${enc(roomId)}/forget`), {})).status, 200);
  });
});

describe('client-server API §"Room History Visibility"', () => {
  it('hides earlier events from a new member when history is joined-only', async () => {
    const roomId = (await A.post(v3('/createRoom'), { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'joined' } }] })).body.room_id;
    await say(A, roomId, { msgtype: 'm.text', body: 'before bob' });
    await B.post(v3(`/join/${enc(roomId)}`), {});
    await say(A, roomId, { msgtype: 'm.text', body: 'after bob' });
    const msgs = await B.get(v3(`/rooms/${enc(roomId)}/messages?dir=b&limit=50`));
    const bodies = msgs.body.chunk.map((e: any) => e.content.body).filter(Boolean);
    assert.deepEqual(bodies, ['after bob']);
  });
});

describe('client-server API §"Typing Notifications" and §"Receipts"', () => {
  it('refuses typing for another user and unknown receipt types', async () => {
    const roomId = (await A.post(v3('/createRoom'), {})).body.room_id;
    const other = await A.put(v3(`/rooms/${enc(roomId)}/typing/${enc(bob.userId)}`), { typing: true });
    assert.equal(other.status, 403);
    const ev = (await say(A, roomId, { msgtype: 'm.text', body: 'x' })).body.event_id;
    const badType = await A.post(v3(`/rooms/${enc(roomId)}/receipt/m.nope/${enc(ev)}`), {});
    assert.equal(badType.status, 400);
    assert.equal((await A.post(v3(`/rooms/${enc(roomId)}/read_markers`), { 'm.fully_read': ev, 'm.read': ev })).status, 200);
    const fully = await A.get(v3(`/user/${enc(alice.userId)}/rooms/${enc(roomId)}/account_data/m.fully_read`));
    assert.deepEqual(fully.body, { event_id: ev });
  });
});

describe('client-server API §"Ignoring Users"', () => {
  it('leaves messages of ignored users out of /sync and /messages', async () => {
    const roomId = (await A.post(v3('/createRoom'), { preset: 'public_chat' })).body.room_id;
    await B.post(v3(`/join/${enc(roomId)}`), {});
    await C.post(v3(`/join/${enc(roomId)}`), {});
    assert.equal((await A.put(v3(`/user/${enc(alice.userId)}/account_data/m.ignored_user_list`), { ignored_users: { [carol.userId]: {} } })).status, 200);
    await say(C, roomId, { msgtype: 'm.text', body: 'from carol' });
    await say(B, roomId, { msgtype: 'm.text', body: 'from bob' });
    const msgs = await A.get(v3(`/rooms/${enc(roomId)}/messages?dir=b&limit=20`));
    const bodies = msgs.body.chunk.map((e: any) => e.content.body).filter(Boolean);
    assert.ok(bodies.includes('from bob') && !bodies.includes('from carol'));
    const sync = await A.get(v3('/sync'));
    const timeline = sync.body.rooms.join[roomId].timeline.events.map((e: any) => e.content.body).filter(Boolean);
    assert.ok(timeline.includes('from bob') && !timeline.includes('from carol'));
  });
});

describe('client-server API §"Spaces" GET /rooms/{roomId}/hierarchy', () => {
  it('walks a space and its children breadth-first, with children_state', async () => {
    const space = (await A.post(v3('/createRoom'), { name: 'Home', preset: 'public_chat', creation_content: { type: 'm.space' } })).body.room_id;
    const kitchen = (await A.post(v3('/createRoom'), { name: 'Kitchen', preset: 'public_chat' })).body.room_id;
    const secret = (await A.post(v3('/createRoom'), { name: 'Secret', preset: 'private_chat' })).body.room_id;
    for (const child of [kitchen, secret]) await A.put(v3(`/rooms/${enc(space)}/state/m.space.child/${enc(child)}`), { via: ['localhost'] });
    const mine = await A.get(v1(`/rooms/${enc(space)}/hierarchy`));
    assert.deepEqual(mine.body.rooms.map((r: any) => r.name), ['Home', 'Kitchen', 'Secret']);
    assert.equal(mine.body.rooms[0].room_type, 'm.space');
    assert.equal(mine.body.rooms[0].children_state.length, 2);
    const bobs = await B.get(v1(`/rooms/${enc(space)}/hierarchy`));
    assert.deepEqual(bobs.body.rooms.map((r: any) => r.name), ['Home', 'Kitchen'], 'a private room bob is not in stays hidden');
    const page = await A.get(v1(`/rooms/${enc(space)}/hierarchy?limit=1`));
    assert.equal(page.body.rooms.length, 1);
    const next = await A.get(v1(`/rooms/${enc(space)}/hierarchy?limit=5&from=${page.body.next_batch}`));
    assert.deepEqual(next.body.rooms.map((r: any) => r.name), ['Kitchen', 'Secret']);
    assert.equal((await C.get(v1(`/rooms/${enc(secret)}/hierarchy`))).status, 403);
  });
});
