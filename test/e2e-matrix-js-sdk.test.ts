/** End-to-end encryption with the real matrix-js-sdk and its Rust crypto (matrix-sdk-crypto-wasm): keys, Olm sessions, Megolm room keys, cross-signing, backup. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from 'matrix-js-sdk';
import { logger } from 'matrix-js-sdk/lib/logger.js';
import { registerSdkClient, startSyncing } from './support/sdk.js';
import { startTestHub, type TestHub } from './support/hub.js';

logger.setLevel('silent');

let hub: TestHub;
const clients: sdk.MatrixClient[] = [];
const PASSWORD = (name: string) => `${name}-secret-pw`;

async function register(username: string): Promise<sdk.MatrixClient> {
  const c = await registerSdkClient(hub.clientUrl, username, PASSWORD(username));
  clients.push(c);
  await c.initRustCrypto({ useIndexedDB: false });
  return c;
}

const started = (c: sdk.MatrixClient) => startSyncing(c, 20);

/** Resolves with the first value `check` returns that is not undefined, re-checking on sdk events and every 100 ms. */
function until<T>(c: sdk.MatrixClient, check: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err: Error | null, v?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer); clearInterval(poll);
      c.off(sdk.RoomEvent.Timeline, tick); c.off(sdk.ClientEvent.Sync, tick); c.off(sdk.MatrixEventEvent.Decrypted, tick);
      if (err) reject(err); else resolve(v as T);
    };
    const tick = () => { void Promise.resolve(check()).then((v) => { if (v !== undefined) finish(null, v); }, (e) => finish(e as Error)); };
    const timer = setTimeout(() => finish(new Error('timed out waiting')), ms);
    const poll = setInterval(tick, 100);
    c.on(sdk.RoomEvent.Timeline, tick); c.on(sdk.ClientEvent.Sync, tick); c.on(sdk.MatrixEventEvent.Decrypted, tick);
    tick();
  });
}

/** Decrypted bodies of m.room.message events in the room's live timeline. */
const clearBodies = (c: sdk.MatrixClient, roomId: string) =>
  (c.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []).filter((e) => e.getType() === 'm.room.message' && e.isEncrypted()).map((e) => e.getContent().body as string | undefined);

before(async () => { hub = await startTestHub({ registration: 'open' }); });
after(async () => {
  for (const c of clients) c.stopClient();
  await hub.stop();
});

describe('matrix-js-sdk Rust crypto against Hearth (client-server API §"End-to-End Encryption")', () => {
  let alice: sdk.MatrixClient, bob: sdk.MatrixClient, roomId: string;

  it('registers two users whose Rust crypto uploads device and one-time keys', async () => {
    alice = await register('alice');
    bob = await register('bob');
    await started(alice);
    await started(bob);
    const counts = await until(alice, async () => {
      const c = (await hub.store.e2eKeys.countOneTimeKeys(alice.getUserId()!, alice.getDeviceId()!)).signed_curve25519 ?? 0;
      return c > 0 ? c : undefined;
    });
    assert.ok(counts > 0);
    await until(bob, async () => ((await hub.store.e2eKeys.getDeviceKeys(bob.getUserId()!)).has(bob.getDeviceId()!) ? true : undefined));
  });

  it('exchanges a Megolm-encrypted message in an encrypted room; the other user decrypts it', async () => {
    ({ room_id: roomId } = await alice.createRoom({
      invite: [bob.getUserId()!],
      initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
    }));
    await until(bob, () => bob.getRoom(roomId)?.getMyMembership() === 'invite' || undefined);
    await bob.joinRoom(roomId);
    await until(alice, () => alice.getRoom(roomId)?.getMember(bob.getUserId()!)?.membership === 'join' || undefined);
    await alice.sendTextMessage(roomId, 'the key is under the mat');
    const seen = await until(bob, () => (clearBodies(bob, roomId).includes('the key is under the mat') ? true : undefined));
    assert.equal(seen, true);
    const event = bob.getRoom(roomId)!.getLiveTimeline().getEvents().find((e) => e.getContent().body === 'the key is under the mat')!;
    assert.equal(event.getWireType(), 'm.room.encrypted', 'the server only ever saw ciphertext');
    assert.equal(event.isDecryptionFailure(), false);
  });

  it('answers in the other direction (Olm session and room key from bob to alice)', async () => {
    await bob.sendTextMessage(roomId, 'thanks, found it');
    await until(alice, () => (clearBodies(alice, roomId).includes('thanks, found it') ? true : undefined));
  });

  it('bootstraps cross-signing (device_signing/upload, signatures/upload) and the other user sees the identity', async () => {
    await alice.getCrypto()!.bootstrapCrossSigning({
      authUploadDeviceSigningKeys: async (makeRequest) => {
        await makeRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: PASSWORD('alice') });
      },
    });
    const status = await alice.getCrypto()!.getCrossSigningStatus();
    assert.equal(status.publicKeysOnDevice, true);
    const stored = await hub.store.e2eKeys.getCrossSigningKeys(alice.getUserId()!);
    assert.ok(stored.master && stored.self_signing && stored.user_signing);
    const aliceSeenByBob = await until(bob, async () => {
      const info = await bob.getCrypto()!.getDeviceVerificationStatus(alice.getUserId()!, alice.getDeviceId()!);
      return info?.signedByOwner ? info : undefined;
    });
    assert.equal(aliceSeenByBob.signedByOwner, true, 'alice\'s device is signed by her self-signing key, as bob sees it');
  });

  it('creates a key backup version the Rust crypto finds again', async () => {
    await alice.getCrypto()!.resetKeyBackup();
    const info = await alice.getKeyBackupVersion();
    assert.ok(info?.version);
    const current = await hub.store.keyBackup.getVersion(alice.getUserId()!);
    assert.equal(current?.version, info!.version);
  });
});
