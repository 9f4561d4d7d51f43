/** client-server §"Syncing" room summary (m.heroes, m.joined_member_count, m.invited_member_count) as membership and the name change. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientCall } from './support/http.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser, carol: TestUser;

before(async () => {
  hub = await startTestHub();
  [alice, bob, carol] = [await makeUser(hub, 'alice'), await makeUser(hub, 'bob'), await makeUser(hub, 'carol')];
});
after(async () => { await hub.stop(); });

const call = (user: TestUser, method: string, path: string, body?: unknown) => clientCall(hub.clientUrl, user.token, method, path, body);

describe('client-server §"Syncing" room summary follows membership and the room name', () => {
  it('counts joined and invited members and names heroes, incrementally, for every syncing member', async () => {
    const { room_id: roomId } = await call(alice, 'POST', '/createRoom', { preset: 'private_chat', invite: [bob.userId] });
    const enc = encodeURIComponent(roomId);
    const first = await call(alice, 'GET', '/sync');
    assert.deepEqual(first.rooms.join[roomId].summary, { 'm.heroes': [bob.userId], 'm.joined_member_count': 1, 'm.invited_member_count': 1 });
    let since = first.next_batch as string;

    const next = async (user: TestUser, from: string) => call(user, 'GET', `/sync?since=${encodeURIComponent(from)}&timeout=0`);

    await call(bob, 'POST', `/rooms/${enc}/join`, {});
    let s = await next(alice, since);
    assert.deepEqual(s.rooms.join[roomId].summary, { 'm.heroes': [bob.userId], 'm.joined_member_count': 2, 'm.invited_member_count': 0 });
    since = s.next_batch;

    await call(alice, 'POST', `/rooms/${enc}/invite`, { user_id: carol.userId });
    await call(carol, 'POST', `/rooms/${enc}/join`, {});
    s = await next(alice, since);
    assert.deepEqual(s.rooms.join[roomId].summary, { 'm.heroes': [bob.userId, carol.userId].sort(), 'm.joined_member_count': 3, 'm.invited_member_count': 0 });
    // Each viewer's heroes leave out the viewer.
    const bobs = await call(bob, 'GET', '/sync');
    assert.deepEqual(bobs.rooms.join[roomId].summary['m.heroes'], [alice.userId, carol.userId].sort());
    since = s.next_batch;

    await call(bob, 'POST', `/rooms/${enc}/leave`, {});
    s = await next(alice, since);
    assert.deepEqual(s.rooms.join[roomId].summary, { 'm.heroes': [carol.userId], 'm.joined_member_count': 2, 'm.invited_member_count': 0 });
    since = s.next_batch;

    // A named room needs no heroes.
    await call(alice, 'PUT', `/rooms/${enc}/state/m.room.name/`, { name: 'Kitchen' });
    s = await next(alice, since);
    assert.deepEqual(s.rooms.join[roomId].summary, { 'm.heroes': [], 'm.joined_member_count': 2, 'm.invited_member_count': 0 });
  });
});
