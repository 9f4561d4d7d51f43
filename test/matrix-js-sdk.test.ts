/** End-to-end with the real matrix-js-sdk: register, rooms, messages, typing, receipts, display names, history, leave, restart. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from 'matrix-js-sdk';
import { startTestHub, tempDir, type TestHub } from './support/hub.js';
import { until, registerSdkClient, startSyncing } from './support/sdk.js';

let hub: TestHub;
const dataDir = tempDir();
const clients: sdk.MatrixClient[] = [];

async function register(username: string): Promise<sdk.MatrixClient> {
  const c = await registerSdkClient(hub.clientUrl, username, `${username}-secret-pw`);
  clients.push(c);
  return c;
}

const started = (c: sdk.MatrixClient) => startSyncing(c, 20);

const bodies = (c: sdk.MatrixClient, roomId: string) =>
  (c.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []).filter((e) => e.getType() === 'm.room.message').map((e) => e.getContent().body as string);

before(async () => { hub = await startTestHub({ registration: 'open', dataDir }); });
after(async () => {
  for (const c of clients) c.stopClient();
  await hub.stop();
});

describe('matrix-js-sdk against Hearth (client-server API end to end)', () => {
  let alice: sdk.MatrixClient, bob: sdk.MatrixClient, roomId: string;

  it('registers two users with m.login.dummy and starts syncing', async () => {
    alice = await register('alice');
    bob = await register('bob');
    await started(alice);
    await started(bob);
    assert.equal(alice.getUserId(), '@alice:localhost');
  });

  it('creates a room, invites, joins and exchanges messages', async () => {
    ({ room_id: roomId } = await alice.createRoom({ name: 'Living room', invite: [bob.getUserId()!] }));
    await until(bob, () => bob.getRoom(roomId)?.getMyMembership() === 'invite' || undefined);
    await bob.joinRoom(roomId);
    await until(alice, () => alice.getRoom(roomId)?.getMember(bob.getUserId()!)?.membership === 'join' || undefined);
    await alice.sendTextMessage(roomId, 'Hello Bob');
    await until(bob, () => bodies(bob, roomId).includes('Hello Bob') || undefined);
    await bob.sendTextMessage(roomId, 'Hi Alice');
    await until(alice, () => bodies(alice, roomId).includes('Hi Alice') || undefined);
  });

  it('shows typing, read receipts and display-name changes', async () => {
    await alice.sendTyping(roomId, true, 10_000);
    await until(bob, () => (bob.getRoom(roomId)?.getMember(alice.getUserId()!)?.typing ? true : undefined));
    const last = bob.getRoom(roomId)!.getLiveTimeline().getEvents().at(-1)!;
    await bob.sendReadReceipt(last);
    await until(alice, () => (alice.getRoom(roomId)?.getUsersReadUpTo(last) ?? []).includes(bob.getUserId()!) || undefined);
    await bob.setDisplayName('Bobby');
    await until(alice, () => (alice.getRoom(roomId)?.getMember(bob.getUserId()!)?.name === 'Bobby' ? true : undefined));
  });

  it('paginates history back to the room creation', async () => {
    for (let i = 0; i < 25; i++) await alice.sendTextMessage(roomId, `reading ${i}`);
    await until(bob, () => bodies(bob, roomId).includes('reading 24') || undefined);
    const fresh = sdk.createClient({ baseUrl: hub.clientUrl, accessToken: bob.getAccessToken()!, userId: bob.getUserId()!, deviceId: bob.getDeviceId()! });
    clients.push(fresh);
    await fresh.startClient({ initialSyncLimit: 5 });
    const room = await until(fresh, () => fresh.getRoom(roomId) ?? undefined);
    for (let i = 0; i < 10 && room.getLiveTimeline().getEvents()[0]?.getType() !== 'm.room.create'; i++) await fresh.scrollback(room, 10);
    const types = room.getLiveTimeline().getEvents().map((e) => e.getType());
    assert.equal(types[0], 'm.room.create');
    assert.ok(bodies(fresh, roomId).includes('Hello Bob') && bodies(fresh, roomId).includes('reading 0'));
    fresh.stopClient();
  });

  it('refuses a third user who is not in the room with M_FORBIDDEN', async () => {
    const eve = await register('eve');
    await assert.rejects(eve.sendTextMessage(roomId, 'let me in'), (err: sdk.MatrixError) => err.errcode === 'M_FORBIDDEN');
  });

  it('resumes a sync across a server restart without missing anything', async () => {
    const port = Number(new URL(hub.clientUrl).port);
    await hub.stop();
    hub = await startTestHub({ registration: 'open', dataDir, clientPort: port });
    await bob.sendTextMessage(roomId, 'after the restart');
    await until(alice, () => bodies(alice, roomId).includes('after the restart') || undefined, 20_000);
    const seen = bodies(alice, roomId);
    assert.equal(seen.filter((b) => b === 'after the restart').length, 1, 'delivered exactly once');
  });

  it('leaves the room', async () => {
    await bob.leave(roomId);
    await until(alice, () => alice.getRoom(roomId)?.getMember(bob.getUserId()!)?.membership === 'leave' || undefined);
  });
});
