/** Storage contract for DeviceStore: devices, and access/refresh tokens found only by their hash. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenExistsError, UnknownDeviceError, UnknownUserError } from '../../src/storage/index.js';
import { hashToken, makeUser, makeUserWithDevice, mintToken, SERVER_NAME, type ContractContext } from './contract-context.js';

export function deviceContract(ctx: ContractContext): void {
  describe('DeviceStore devices (spec §Device management)', () => {
    it('upsertDevice creates a device (true), then updates it (false); undefined keeps a field, null clears the name', async () => {
      const { userId } = await makeUser(ctx);
      const devices = ctx.store.devices;
      assert.equal(await devices.upsertDevice(userId, 'ABC', 'Laptop', 1000), true);
      assert.deepEqual(await devices.getDevice(userId, 'ABC'), { userId, deviceId: 'ABC', displayName: 'Laptop', lastSeenTs: 1000 });
      assert.equal(await devices.upsertDevice(userId, 'ABC', undefined, 2000), false);
      assert.deepEqual(await devices.getDevice(userId, 'ABC'), { userId, deviceId: 'ABC', displayName: 'Laptop', lastSeenTs: 2000 });
      assert.equal(await devices.upsertDevice(userId, 'ABC', 'Work laptop'), false);
      assert.deepEqual(await devices.getDevice(userId, 'ABC'), { userId, deviceId: 'ABC', displayName: 'Work laptop', lastSeenTs: 2000 });
      assert.equal(await devices.upsertDevice(userId, 'ABC', null), false);
      assert.deepEqual(await devices.getDevice(userId, 'ABC'), { userId, deviceId: 'ABC', displayName: null, lastSeenTs: 2000 });
    });

    it('a device created without name or last-seen stores nulls', async () => {
      const { userId } = await makeUser(ctx);
      assert.equal(await ctx.store.devices.upsertDevice(userId, 'BARE'), true);
      assert.deepEqual(await ctx.store.devices.getDevice(userId, 'BARE'), { userId, deviceId: 'BARE', displayName: null, lastSeenTs: null });
    });

    it('upsertDevice for an unknown user rejects with UnknownUserError', async () => {
      const ghost = `@${ctx.unique('ghost')}:${SERVER_NAME}`;
      await assert.rejects(ctx.store.devices.upsertDevice(ghost, 'D'), (err: unknown) => err instanceof UnknownUserError && err.userId === ghost);
      assert.equal(await ctx.store.devices.getDevice(ghost, 'D'), undefined);
    });

    it('device ids are per user; listDevices returns only that user\'s, ordered by device id', async () => {
      const a = await makeUser(ctx);
      const b = await makeUser(ctx);
      for (const id of ['ZED', 'ALPHA', 'MID']) await ctx.store.devices.upsertDevice(a.userId, id, id.toLowerCase());
      await ctx.store.devices.upsertDevice(b.userId, 'ALPHA', 'other user');
      const listed = await ctx.store.devices.listDevices(a.userId);
      assert.deepEqual(listed.map((d) => d.deviceId), ['ALPHA', 'MID', 'ZED']);
      assert.equal(listed[0].displayName, 'alpha');
      assert.equal((await ctx.store.devices.getDevice(b.userId, 'ALPHA'))?.displayName, 'other user');
      assert.deepEqual(await ctx.store.devices.listDevices(`@${ctx.unique('none')}:${SERVER_NAME}`), []);
    });

    it('deleteDevice removes the device and its tokens only (true), then reports false', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx, 'GONE');
      await ctx.store.devices.upsertDevice(userId, 'KEPT');
      const gone = [hashToken(mintToken()), hashToken(mintToken())];
      const kept = hashToken(mintToken());
      const goneRefresh = hashToken(mintToken());
      await ctx.store.devices.createAccessToken({ tokenHash: gone[0], userId, deviceId, refreshTokenHash: goneRefresh });
      await ctx.store.devices.createAccessToken({ tokenHash: gone[1], userId, deviceId });
      await ctx.store.devices.createAccessToken({ tokenHash: kept, userId, deviceId: 'KEPT' });
      assert.equal(await ctx.store.devices.deleteDevice(userId, deviceId), true);
      assert.equal(await ctx.store.devices.getDevice(userId, deviceId), undefined);
      for (const h of gone) assert.equal(await ctx.store.devices.findAccessToken(h), undefined);
      assert.equal(await ctx.store.devices.findRefreshToken(goneRefresh), undefined);
      assert.deepEqual(await ctx.store.devices.findAccessToken(kept), { userId, deviceId: 'KEPT' });
      assert.equal(await ctx.store.devices.deleteDevice(userId, deviceId), false);
    });
  });

  describe('DeviceStore tokens (spec §Relationship between access tokens and devices; stored as sha256 only)', () => {
    it('finds an access token by its hash, with expiresTs only when it expires', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      const plain = mintToken();
      const forever = hashToken(plain);
      const expiring = hashToken(mintToken());
      await ctx.store.devices.createAccessToken({ tokenHash: forever, userId, deviceId });
      await ctx.store.devices.createAccessToken({ tokenHash: expiring, userId, deviceId, expiresTs: 1_732_500_060_000 });
      const found = await ctx.store.devices.findAccessToken(forever);
      assert.deepEqual(found, { userId, deviceId });
      assert.equal(found !== undefined && 'expiresTs' in found, false);
      assert.deepEqual(await ctx.store.devices.findAccessToken(expiring), { userId, deviceId, expiresTs: 1_732_500_060_000 });
      // The lookup key is the hash: the plaintext and an unknown hash find nothing.
      assert.equal(await ctx.store.devices.findAccessToken(plain), undefined);
      assert.equal(await ctx.store.devices.findAccessToken(hashToken(mintToken())), undefined);
    });

    it('createAccessToken for a missing device rejects with UnknownDeviceError', async () => {
      const { userId } = await makeUser(ctx);
      const tokenHash = hashToken(mintToken());
      await assert.rejects(
        ctx.store.devices.createAccessToken({ tokenHash, userId, deviceId: 'NOPE' }),
        (err: unknown) => err instanceof UnknownDeviceError && err.deviceId === 'NOPE',
      );
      assert.equal(await ctx.store.devices.findAccessToken(tokenHash), undefined);
    });

    it('a duplicate access or refresh token hash rejects with TokenExistsError and keeps the first owner', async () => {
      const first = await makeUserWithDevice(ctx);
      const second = await makeUserWithDevice(ctx);
      const tokenHash = hashToken(mintToken());
      const refreshTokenHash = hashToken(mintToken());
      await ctx.store.devices.createAccessToken({ tokenHash, ...first, refreshTokenHash });
      await assert.rejects(ctx.store.devices.createAccessToken({ tokenHash, ...second }), TokenExistsError);
      await assert.rejects(ctx.store.devices.createAccessToken({ tokenHash: hashToken(mintToken()), ...second, refreshTokenHash }), TokenExistsError);
      assert.deepEqual(await ctx.store.devices.findAccessToken(tokenHash), first);
      assert.deepEqual(await ctx.store.devices.findRefreshToken(refreshTokenHash), { accessTokenHash: tokenHash, ...first });
    });

    it('finds a refresh token by its hash; deleteAccessToken removes both (true), then reports false', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      const tokenHash = hashToken(mintToken());
      const refreshTokenHash = hashToken(mintToken());
      await ctx.store.devices.createAccessToken({ tokenHash, userId, deviceId, expiresTs: 5, refreshTokenHash });
      assert.deepEqual(await ctx.store.devices.findRefreshToken(refreshTokenHash), { accessTokenHash: tokenHash, userId, deviceId });
      assert.equal(await ctx.store.devices.findRefreshToken(tokenHash), undefined);
      assert.equal(await ctx.store.devices.deleteAccessToken(tokenHash), true);
      assert.equal(await ctx.store.devices.findAccessToken(tokenHash), undefined);
      assert.equal(await ctx.store.devices.findRefreshToken(refreshTokenHash), undefined);
      assert.equal(await ctx.store.devices.deleteAccessToken(tokenHash), false);
      assert.notEqual(await ctx.store.devices.getDevice(userId, deviceId), undefined);
    });

    it('deleteTokensForDevice invalidates one device\'s tokens and keeps the device', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      await ctx.store.devices.upsertDevice(userId, 'OTHER');
      const mine = [hashToken(mintToken()), hashToken(mintToken())];
      const other = hashToken(mintToken());
      for (const tokenHash of mine) await ctx.store.devices.createAccessToken({ tokenHash, userId, deviceId });
      await ctx.store.devices.createAccessToken({ tokenHash: other, userId, deviceId: 'OTHER' });
      assert.equal(await ctx.store.devices.deleteTokensForDevice(userId, deviceId), 2);
      for (const h of mine) assert.equal(await ctx.store.devices.findAccessToken(h), undefined);
      assert.notEqual(await ctx.store.devices.findAccessToken(other), undefined);
      assert.notEqual(await ctx.store.devices.getDevice(userId, deviceId), undefined);
      assert.equal(await ctx.store.devices.deleteTokensForDevice(userId, deviceId), 0);
    });

    it('deleteTokensForUser removes every token of the user, or all but exceptDeviceId\'s; other users keep theirs', async () => {
      const { userId } = await makeUser(ctx);
      const bystander = await makeUserWithDevice(ctx);
      const tokens: Record<string, string> = {};
      for (const deviceId of ['A', 'B', 'C']) {
        await ctx.store.devices.upsertDevice(userId, deviceId);
        tokens[deviceId] = hashToken(mintToken());
        await ctx.store.devices.createAccessToken({ tokenHash: tokens[deviceId], userId, deviceId });
      }
      const theirs = hashToken(mintToken());
      await ctx.store.devices.createAccessToken({ tokenHash: theirs, ...bystander });

      assert.equal(await ctx.store.devices.deleteTokensForUser(userId, 'B'), 2);
      assert.equal(await ctx.store.devices.findAccessToken(tokens.A), undefined);
      assert.deepEqual(await ctx.store.devices.findAccessToken(tokens.B), { userId, deviceId: 'B' });
      assert.equal(await ctx.store.devices.findAccessToken(tokens.C), undefined);
      assert.equal(await ctx.store.devices.deleteTokensForUser(userId), 1);
      assert.equal(await ctx.store.devices.findAccessToken(tokens.B), undefined);
      assert.deepEqual(await ctx.store.devices.findAccessToken(theirs), bystander);
      assert.equal((await ctx.store.devices.listDevices(userId)).length, 3);
    });
  });
}
