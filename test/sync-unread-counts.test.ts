/** client-server §"Receiving notifications" (unread_notifications in /sync) as messages arrive and read receipts move. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientCall } from './support/http.js';

let hub: TestHub;
let alice: TestUser, bob: TestUser;

before(async () => {
  hub = await startTestHub();
  [alice, bob] = [await makeUser(hub, 'alice'), await makeUser(hub, 'bob')];
});
after(async () => { await hub.stop(); });

const call = (user: TestUser, method: string, path: string, body?: unknown) => clientCall(hub.clientUrl, user.token, method, path, body);

describe('client-server §"Receiving notifications": unread counts follow messages and read receipts', () => {
  it('counts messages after the receipt, resets on m.read and m.read.private, and counts again after', async () => {
    const { room_id: roomId } = await call(alice, 'POST', '/createRoom', { preset: 'public_chat' });
    const enc = encodeURIComponent(roomId);
    await call(bob, 'POST', `/join/${enc}`, {});
    let since = (await call(bob, 'GET', '/sync')).next_batch as string;
    const send = async (n: number) => {
      let id = '';
      for (let i = 0; i < n; i++) id = (await call(alice, 'PUT', `/rooms/${enc}/send/m.room.message/t${Date.now()}-${i}`, { msgtype: 'm.text', body: `hello ${i}` })).event_id;
      return id;
    };
    const counts = async () => {
      const s = await call(bob, 'GET', `/sync?since=${encodeURIComponent(since)}&timeout=0`);
      since = s.next_batch;
      return s.rooms?.join?.[roomId]?.unread_notifications?.notification_count as number | undefined;
    };

    const last = await send(3);
    assert.ok((await counts())! >= 3, 'three messages from alice notify bob');
    await call(bob, 'POST', `/rooms/${enc}/receipt/m.read/${encodeURIComponent(last)}`, {});
    assert.equal(await counts(), 0, 'the read receipt clears the count');

    const again = await send(2);
    assert.equal(await counts(), 2, 'counting resumes after the receipt');
    // The same user's counts, read again with no receipt in between, stay as they were.
    await send(1);
    assert.equal(await counts(), 3);
    await call(bob, 'POST', `/rooms/${enc}/receipt/m.read.private/${encodeURIComponent(again)}`, {});
    assert.equal(await counts(), 1, 'a private read receipt moves the read position too');
  });
});
