/** client-server §"History visibility" in /sync across repeated syncs: a member who left and came back does not see what was sent meanwhile. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientCall } from './support/http.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser;
let txn = 0;

before(async () => {
  hub = await startTestHub();
  [alice, bob] = [await makeUser(hub, 'alice'), await makeUser(hub, 'bob')];
});
after(async () => { await hub.stop(); });

const call = (user: TestUser, method: string, path: string, body?: unknown) => clientCall(hub.clientUrl, user.token, method, path, body);

describe('client-server §"History visibility" joined, through /sync', () => {
  it('hides from a returning member the messages sent while they were away, and shows those sent while joined', async () => {
    const { room_id: roomId } = await call(alice, 'POST', '/createRoom', {
      preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'joined' } }],
    });
    const enc = encodeURIComponent(roomId);
    const say = (body: string) => call(alice, 'PUT', `/rooms/${enc}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body });
    const filter = encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 50 } } }));
    const bodies = (s: any) => (s.rooms.join[roomId]?.timeline.events ?? []).filter((e: any) => e.type === 'm.room.message').map((e: any) => e.content.body);

    await call(bob, 'POST', `/join/${enc}`, {});
    await say('while joined 1');
    let s = await call(bob, 'GET', `/sync?filter=${filter}`);
    assert.deepEqual(bodies(s), ['while joined 1']);
    let since = s.next_batch as string;
    await say('while joined 2');
    s = await call(bob, 'GET', `/sync?filter=${filter}&since=${encodeURIComponent(since)}&timeout=0`);
    assert.deepEqual(bodies(s), ['while joined 2']);
    since = s.next_batch;

    await call(bob, 'POST', `/rooms/${enc}/leave`, {});
    await say('while away');
    await call(bob, 'POST', `/join/${enc}`, {});
    await say('back again');
    s = await call(bob, 'GET', `/sync?filter=${filter}&since=${encodeURIComponent(since)}&timeout=0`);
    // A rejoined room comes down like a new one (its recent timeline), and the message sent while bob was away stays hidden.
    assert.deepEqual(bodies(s), ['while joined 1', 'while joined 2', 'back again']);
    // A fresh initial sync agrees.
    assert.deepEqual(bodies(await call(bob, 'GET', `/sync?filter=${filter}`)), ['while joined 1', 'while joined 2', 'back again']);
  });
});
