/** Storage contract for DeviceStore sessions: last-seen time and address, and refresh-token rotation (spec §"Refreshing access tokens"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenExistsError } from '../../src/storage/index.js';
import { hashToken, makeUserWithDevice, mintToken, type ContractContext } from './contract-context.js';

const pair = (expiresTs: number | null = 1_000) => ({ tokenHash: hashToken(mintToken()), refreshTokenHash: hashToken(mintToken()), expiresTs });

export function deviceSessionContract(ctx: ContractContext): void {
  describe('DeviceStore last seen (spec §"Device management": last_seen_ip, last_seen_ts)', () => {
    it('recordLastSeen sets time and address; lastSeenIp is absent until recorded', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      assert.equal('lastSeenIp' in (await ctx.store.devices.getDevice(userId, deviceId))!, false);
      await ctx.store.devices.recordLastSeen(userId, deviceId, 1_800_000_000_000, '192.0.2.7');
      assert.deepEqual(await ctx.store.devices.getDevice(userId, deviceId), { userId, deviceId, displayName: 'Phone', lastSeenTs: 1_800_000_000_000, lastSeenIp: '192.0.2.7' });
      assert.equal((await ctx.store.devices.listDevices(userId))[0].lastSeenIp, '192.0.2.7');
    });

    it('recordLastSeen for an unknown device is a no-op', async () => {
      const { userId } = await makeUserWithDevice(ctx);
      await ctx.store.devices.recordLastSeen(userId, 'NOPE', 1, '::1');
      assert.equal(await ctx.store.devices.getDevice(userId, 'NOPE'), undefined);
    });
  });

  describe('DeviceStore refresh rotation (spec §"Refreshing access tokens")', () => {
    it('rotation stores the new pair on the same device; the old pair stays valid until the new token is used', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      const old = pair();
      await ctx.store.devices.createAccessToken({ ...old, userId, deviceId });
      const next = pair(2_000);
      assert.deepEqual(await ctx.store.devices.rotateRefreshToken(old.refreshTokenHash, next), { userId, deviceId });
      assert.deepEqual(await ctx.store.devices.findAccessToken(next.tokenHash), { userId, deviceId, expiresTs: 2_000, previousTokenHash: old.tokenHash });
      assert.deepEqual(await ctx.store.devices.findRefreshToken(next.refreshTokenHash), { accessTokenHash: next.tokenHash, userId, deviceId });
      // Not used yet: the old access and refresh tokens still work.
      assert.notEqual(await ctx.store.devices.findAccessToken(old.tokenHash), undefined);
      assert.notEqual(await ctx.store.devices.findRefreshToken(old.refreshTokenHash), undefined);
      // First use of the new access token retires the old pair, once.
      assert.equal(await ctx.store.devices.retirePreviousToken(next.tokenHash), true);
      assert.equal(await ctx.store.devices.findAccessToken(old.tokenHash), undefined);
      assert.equal(await ctx.store.devices.findRefreshToken(old.refreshTokenHash), undefined);
      assert.deepEqual(await ctx.store.devices.findAccessToken(next.tokenHash), { userId, deviceId, expiresTs: 2_000 });
      assert.equal(await ctx.store.devices.retirePreviousToken(next.tokenHash), false);
    });

    it('using the new refresh token also retires the old pair', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      const first = pair();
      await ctx.store.devices.createAccessToken({ ...first, userId, deviceId });
      const second = pair();
      await ctx.store.devices.rotateRefreshToken(first.refreshTokenHash, second);
      const third = pair();
      assert.deepEqual(await ctx.store.devices.rotateRefreshToken(second.refreshTokenHash, third), { userId, deviceId });
      assert.equal(await ctx.store.devices.findRefreshToken(first.refreshTokenHash), undefined);
      assert.equal(await ctx.store.devices.findAccessToken(first.tokenHash), undefined);
      assert.notEqual(await ctx.store.devices.findRefreshToken(second.refreshTokenHash), undefined);
      assert.equal((await ctx.store.devices.findAccessToken(third.tokenHash))?.previousTokenHash, second.tokenHash);
    });

    it('repeating a refresh with the old token replaces the unused result of the first attempt', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      const old = pair();
      await ctx.store.devices.createAccessToken({ ...old, userId, deviceId });
      const lost = pair();
      await ctx.store.devices.rotateRefreshToken(old.refreshTokenHash, lost);
      const retry = pair();
      assert.deepEqual(await ctx.store.devices.rotateRefreshToken(old.refreshTokenHash, retry), { userId, deviceId });
      assert.equal(await ctx.store.devices.findAccessToken(lost.tokenHash), undefined);
      assert.equal(await ctx.store.devices.findRefreshToken(lost.refreshTokenHash), undefined);
      assert.notEqual(await ctx.store.devices.findAccessToken(retry.tokenHash), undefined);
    });

    it('an unknown refresh token rotates nothing; a clashing new hash rejects with TokenExistsError', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      const next = pair();
      assert.equal(await ctx.store.devices.rotateRefreshToken(hashToken(mintToken()), next), undefined);
      assert.equal(await ctx.store.devices.findAccessToken(next.tokenHash), undefined);
      const old = pair();
      await ctx.store.devices.createAccessToken({ ...old, userId, deviceId });
      await assert.rejects(ctx.store.devices.rotateRefreshToken(old.refreshTokenHash, { ...pair(), tokenHash: old.tokenHash }), TokenExistsError);
      assert.notEqual(await ctx.store.devices.findRefreshToken(old.refreshTokenHash), undefined);
    });

    it('deleting the device removes every token of the chain', async () => {
      const { userId, deviceId } = await makeUserWithDevice(ctx);
      const old = pair();
      await ctx.store.devices.createAccessToken({ ...old, userId, deviceId });
      const next = pair();
      await ctx.store.devices.rotateRefreshToken(old.refreshTokenHash, next);
      assert.equal(await ctx.store.devices.deleteDevice(userId, deviceId), true);
      for (const h of [old.tokenHash, next.tokenHash]) assert.equal(await ctx.store.devices.findAccessToken(h), undefined);
    });
  });
}
