/** The storage contract every backend runs: the same expectations for SQLite and PostgreSQL, area by area. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/storage/index.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { accountContract } from './contract-accounts.js';
import { accountDataContract } from './contract-account-data.js';
import { filterContract } from './contract-filters.js';
import { hashToken, makeUserWithDevice, mintToken, type ContractContext } from './contract-context.js';
import { deviceContract } from './contract-devices.js';
import { deviceSessionContract } from './contract-device-sessions.js';
import { profileContract } from './contract-profiles.js';
import { registrationTokenContract } from './contract-registration-tokens.js';
import { serverMetaContract } from './contract-server-meta.js';
import { reportContract } from './contract-reports.js';
import { mediaContract } from './contract-media.js';
import { envelopeCounterContract } from './contract-envelope-counters.js';
import { directoryContract } from './contract-directory.js';
import { roomContract } from './contract-rooms.js';
import { e2eKeyContract } from './contract-e2e-keys.js';
import { toDeviceContract } from './contract-to-device.js';
import { keyBackupContract } from './contract-key-backup.js';

const MIGRATION_IDS = MIGRATIONS.map((m) => m.id);

/**
 * Registers the contract under `describe(name)`. Every call of `open` must reach the same
 * database, which is empty before the suite starts; the suite closes every store it opens.
 */
export function runStorageContract(name: string, open: () => Promise<Store>): void {
  describe(`storage contract: ${name}`, () => {
    let current: Store | undefined;
    let counter = 0;
    const run = randomBytes(3).toString('hex');
    const ctx: ContractContext = {
      get store() {
        if (!current) throw new Error('store not open');
        return current;
      },
      open,
      unique: (prefix) => `${prefix}_${run}_${++counter}`,
    };

    before(async () => {
      current = await open();
    });
    after(async () => {
      await current?.close();
    });

    describe('Store lifecycle and migrations (DESIGN: storage, migrations in dated files)', () => {
      it('the first open of an empty database applies every migration, in order', () => {
        assert.ok(ctx.store.backend === 'sqlite' || ctx.store.backend === 'postgres');
        assert.deepEqual(ctx.store.migrations.newlyApplied, MIGRATION_IDS);
        assert.deepEqual(ctx.store.migrations.applied, MIGRATION_IDS);
      });

      it('migrations are idempotent: open, close, open again applies nothing and keeps the list', async () => {
        for (let i = 0; i < 2; i++) {
          const again = await open();
          try {
            assert.deepEqual(again.migrations.newlyApplied, []);
            assert.deepEqual(again.migrations.applied, MIGRATION_IDS);
          } finally {
            await again.close();
          }
        }
      });

      it('close is idempotent and calls after close reject', async () => {
        const extra = await open();
        await extra.close();
        await extra.close();
        await assert.rejects(extra.accounts.countUsers());
      });
    });

    accountContract(ctx);
    deviceContract(ctx);
    deviceSessionContract(ctx);
    profileContract(ctx);
    registrationTokenContract(ctx);
    serverMetaContract(ctx);
    accountDataContract(ctx);
    filterContract(ctx);
    reportContract(ctx);
    mediaContract(ctx);
    envelopeCounterContract(ctx);
    directoryContract(ctx);
    roomContract(ctx);
    e2eKeyContract(ctx);
    toDeviceContract(ctx);
    keyBackupContract(ctx);

    describe('Store durability (DESIGN: acknowledged data is never lost)', () => {
      it('data written through every area is there after close and reopen', async () => {
        const { userId, deviceId } = await makeUserWithDevice(ctx, 'PERSIST');
        await ctx.store.accounts.setAdmin(userId, true);
        const tokenHash = hashToken(mintToken());
        const refreshTokenHash = hashToken(mintToken());
        await ctx.store.devices.createAccessToken({ tokenHash, userId, deviceId, expiresTs: 42, refreshTokenHash });
        const regToken = ctx.unique('keep');
        await ctx.store.registrationTokens.add({ token: regToken, usesAllowed: 3, expiryTime: null });
        await ctx.store.registrationTokens.consume(regToken, 0);
        const key = ctx.unique('meta');
        await ctx.store.serverMeta.set(key, 'kept');
        const user = await ctx.store.accounts.getUser(userId);
        const count = await ctx.store.accounts.countUsers();

        await ctx.store.close();
        current = undefined;
        current = await open();

        assert.deepEqual(await ctx.store.accounts.getUser(userId), user);
        assert.equal(user?.admin, true);
        assert.equal(await ctx.store.accounts.countUsers(), count);
        assert.deepEqual(await ctx.store.devices.getDevice(userId, deviceId), { userId, deviceId, displayName: 'Phone', lastSeenTs: 1_700_000_000_000 });
        assert.deepEqual(await ctx.store.devices.findAccessToken(tokenHash), { userId, deviceId, expiresTs: 42 });
        assert.deepEqual(await ctx.store.devices.findRefreshToken(refreshTokenHash), { accessTokenHash: tokenHash, userId, deviceId });
        assert.deepEqual(await ctx.store.registrationTokens.get(regToken), { token: regToken, usesAllowed: 3, completed: 1, expiryTime: null });
        assert.equal(await ctx.store.serverMeta.get(key), 'kept');
      });
    });
  });
}
