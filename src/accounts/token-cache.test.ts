/** client-server §"Using access tokens" with the token cache: a revoked token is refused on its very next use. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../storage/index.js';
import { hashToken } from '../http/auth.js';
import { createTokenResolver } from './accounts.js';

describe('token resolver cache', () => {
  let dir: string;
  let store: Store;
  let clock = 1_000_000;
  const now = () => clock;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-tokens-'));
    store = await openStore({ dataDir: dir });
  });
  after(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); });

  async function user(localpart: string, device: string, token: string, expiresTs?: number): Promise<string> {
    const userId = `@${localpart}:hub.test`;
    if (!(await store.accounts.getUser(userId))) await store.accounts.createUser({ localpart, userId, passwordHash: null, admin: false, createdTs: 0 });
    await store.devices.upsertDevice(userId, device);
    await store.devices.createAccessToken({ tokenHash: hashToken(token), userId, deviceId: device, expiresTs: expiresTs ?? null });
    return userId;
  }

  it('answers from the cache, and refuses at once after logout, device deletion and deactivation', async () => {
    const tokens = createTokenResolver(store, now);
    const alice = await user('alice', 'A1', 'tok-a1');
    await user('alice', 'A2', 'tok-a2');
    const bob = await user('bob', 'B1', 'tok-b1');
    assert.equal(((await tokens.resolve('tok-a1')) as { userId: string }).userId, alice);
    assert.equal(((await tokens.resolve('tok-a1')) as { deviceId: string }).deviceId, 'A1', 'second use (cached) is the same');
    assert.ok(await tokens.resolve('tok-a2'));

    await store.devices.deleteAccessToken(hashToken('tok-a1')); // POST /logout
    assert.equal(await tokens.resolve('tok-a1'), undefined);
    await store.devices.deleteDevice(alice, 'A2'); // DELETE /devices/A2
    assert.equal(await tokens.resolve('tok-a2'), undefined);

    assert.ok(await tokens.resolve('tok-b1'));
    await store.accounts.setDeactivated(bob, true); // POST /account/deactivate
    assert.equal(await tokens.resolve('tok-b1'), undefined);
  });

  it('sees an admin change made in-process, and one made by another process within ten seconds', async () => {
    const tokens = createTokenResolver(store, now);
    const carol = await user('carol', 'C1', 'tok-c1');
    assert.equal(((await tokens.resolve('tok-c1')) as { admin: boolean }).admin, false);
    await store.accounts.setAdmin(carol, true);
    assert.equal(((await tokens.resolve('tok-c1')) as { admin: boolean }).admin, true);
    // Another process (e.g. an operator's sqlite3 shell) revokes the token behind the hub's back.
    const other = new Database(join(dir, 'hearth.db'));
    other.prepare('DELETE FROM access_tokens WHERE token_hash = ?').run(hashToken('tok-c1'));
    other.close();
    assert.ok(await tokens.resolve('tok-c1'), 'still cached');
    clock += 10_001;
    assert.equal(await tokens.resolve('tok-c1'), undefined, 'refused once the cache entry is older than ten seconds');
  });

  it('reports a cached token as expired once its expiry passes (soft logout)', async () => {
    const tokens = createTokenResolver(store, now);
    await user('dave', 'D1', 'tok-d1', clock + 5_000);
    assert.ok(!('expired' in ((await tokens.resolve('tok-d1')) ?? {})));
    clock += 5_000;
    assert.deepEqual(await tokens.resolve('tok-d1'), { expired: true });
  });
});
