/** Storage contract for E2eKeyStore and DeviceListStore: device keys, one-time keys (claimed once, also under concurrency), fallback keys, cross-signing, the device-list stream. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_NAME, type ContractContext } from './contract-context.js';

const signed = (key: string) => ({ key, signatures: { '@x:hearth.test': { 'ed25519:DEV': `sig-${key}` } } });

export function e2eKeyContract(ctx: ContractContext): void {
  const user = () => `@${ctx.unique('e2e')}:${SERVER_NAME}`;

  describe('E2eKeyStore device keys (client-server API §"Uploading keys")', () => {
    it('stores keys per (user, device); an identical re-upload (any key order) is no change, a new one is', async () => {
      const u = user();
      const keys = { user_id: u, device_id: 'D1', algorithms: ['m.olm.v1.curve25519-aes-sha2'], keys: { 'ed25519:D1': 'pub', 'curve25519:D1': 'cur' }, signatures: { [u]: { 'ed25519:D1': 's' } } };
      assert.equal(await ctx.store.e2eKeys.setDeviceKeys(u, 'D1', keys, 1), true);
      const reordered = { signatures: keys.signatures, keys: { 'curve25519:D1': 'cur', 'ed25519:D1': 'pub' }, algorithms: keys.algorithms, device_id: 'D1', user_id: u };
      assert.equal(await ctx.store.e2eKeys.setDeviceKeys(u, 'D1', reordered, 2), false);
      assert.equal(await ctx.store.e2eKeys.setDeviceKeys(u, 'D2', { ...keys, device_id: 'D2' }, 3), true);
      assert.deepEqual(await ctx.store.e2eKeys.getDeviceKeys(u), new Map([['D1', keys], ['D2', { ...keys, device_id: 'D2' }]]));
      assert.deepEqual([...(await ctx.store.e2eKeys.getDeviceKeys(u, ['D2', 'NOPE'])).keys()], ['D2']);
      assert.equal((await ctx.store.e2eKeys.getDeviceKeys(u, [])).size, 0);
      assert.equal(await ctx.store.e2eKeys.setDeviceKeys(u, 'D1', { ...keys, algorithms: [] }, 4), true);
      assert.deepEqual((await ctx.store.e2eKeys.getDeviceKeys(u)).get('D1')?.algorithms, []);
      assert.equal((await ctx.store.e2eKeys.getDeviceKeys(user())).size, 0);
    });

    it('deleteDeviceKeys drops the devices\' identity, one-time and fallback keys and signatures of them, nothing else', async () => {
      const u = user();
      for (const d of ['A', 'B']) {
        await ctx.store.e2eKeys.setDeviceKeys(u, d, { device_id: d }, 1);
        await ctx.store.e2eKeys.addOneTimeKeys(u, d, [{ algorithm: 'signed_curve25519', keyId: 'k1', key: signed(`${d}1`) }]);
        await ctx.store.e2eKeys.setFallbackKey(u, d, { algorithm: 'signed_curve25519', keyId: 'f', key: signed(`${d}f`) });
        await ctx.store.e2eKeys.addSignatures([{ signerUserId: u, signerKeyId: 'ed25519:ssk', targetUserId: u, targetKeyId: d, signature: 'x' }]);
      }
      await ctx.store.e2eKeys.deleteDeviceKeys(u, ['A']);
      assert.deepEqual([...(await ctx.store.e2eKeys.getDeviceKeys(u)).keys()], ['B']);
      assert.deepEqual(await ctx.store.e2eKeys.countOneTimeKeys(u, 'A'), {});
      assert.deepEqual(await ctx.store.e2eKeys.countOneTimeKeys(u, 'B'), { signed_curve25519: 1 });
      assert.deepEqual(await ctx.store.e2eKeys.unusedFallbackKeyTypes(u, 'A'), []);
      assert.deepEqual(await ctx.store.e2eKeys.unusedFallbackKeyTypes(u, 'B'), ['signed_curve25519']);
      assert.deepEqual((await ctx.store.e2eKeys.signaturesOf(u, u)).map((s) => s.targetKeyId), ['B']);
    });
  });

  describe('E2eKeyStore one-time keys (client-server API §"One-time and fallback keys", POST /keys/claim)', () => {
    it('counts per algorithm, hands keys out oldest upload first, each once, then nothing', async () => {
      const u = user();
      await ctx.store.e2eKeys.addOneTimeKeys(u, 'D', [
        { algorithm: 'signed_curve25519', keyId: 'zz-first', key: signed('a') },
        { algorithm: 'curve25519', keyId: 'c1', key: 'plain' },
      ]);
      await ctx.store.e2eKeys.addOneTimeKeys(u, 'D', [{ algorithm: 'signed_curve25519', keyId: 'aa-second', key: signed('b') }]);
      assert.deepEqual(await ctx.store.e2eKeys.countOneTimeKeys(u, 'D'), { signed_curve25519: 2, curve25519: 1 });
      assert.deepEqual(await ctx.store.e2eKeys.claimOneTimeKey(u, 'D', 'signed_curve25519'), { algorithm: 'signed_curve25519', keyId: 'zz-first', key: signed('a') });
      assert.deepEqual(await ctx.store.e2eKeys.claimOneTimeKey(u, 'D', 'signed_curve25519'), { algorithm: 'signed_curve25519', keyId: 'aa-second', key: signed('b') });
      assert.equal(await ctx.store.e2eKeys.claimOneTimeKey(u, 'D', 'signed_curve25519'), undefined);
      assert.equal(await ctx.store.e2eKeys.claimOneTimeKey(u, 'OTHER', 'curve25519'), undefined);
      assert.deepEqual(await ctx.store.e2eKeys.countOneTimeKeys(u, 'D'), { curve25519: 1 });
      assert.deepEqual(await ctx.store.e2eKeys.claimOneTimeKey(u, 'D', 'curve25519'), { algorithm: 'curve25519', keyId: 'c1', key: 'plain' });
    });

    it('adding a key id already stored keeps the stored key; findOneTimeKeys returns the stored ones asked for', async () => {
      const u = user();
      await ctx.store.e2eKeys.addOneTimeKeys(u, 'D', [{ algorithm: 'signed_curve25519', keyId: 'k', key: signed('old') }]);
      await ctx.store.e2eKeys.addOneTimeKeys(u, 'D', [{ algorithm: 'signed_curve25519', keyId: 'k', key: signed('new') }, { algorithm: 'signed_curve25519', keyId: 'k2', key: signed('2') }]);
      assert.deepEqual(await ctx.store.e2eKeys.countOneTimeKeys(u, 'D'), { signed_curve25519: 2 });
      assert.deepEqual(await ctx.store.e2eKeys.findOneTimeKeys(u, 'D', [{ algorithm: 'signed_curve25519', keyId: 'k' }, { algorithm: 'curve25519', keyId: 'k2' }, { algorithm: 'signed_curve25519', keyId: 'none' }]),
        [{ algorithm: 'signed_curve25519', keyId: 'k', key: signed('old') }]);
    });

    it('concurrent claims: 40 claims of 15 keys hand out each key exactly once', async () => {
      const u = user();
      const keys = Array.from({ length: 15 }, (_, i) => ({ algorithm: 'signed_curve25519', keyId: `K${i}`, key: signed(`k${i}`) }));
      await ctx.store.e2eKeys.addOneTimeKeys(u, 'D', keys);
      const results = await Promise.all(Array.from({ length: 40 }, () => ctx.store.e2eKeys.claimOneTimeKey(u, 'D', 'signed_curve25519')));
      const got = results.filter((r) => r !== undefined).map((r) => r!.keyId);
      assert.equal(got.length, 15);
      assert.deepEqual(new Set(got), new Set(keys.map((k) => k.keyId)));
      assert.deepEqual(await ctx.store.e2eKeys.countOneTimeKeys(u, 'D'), {});
    });
  });

  describe('E2eKeyStore fallback keys (client-server API §"One-time and fallback keys")', () => {
    it('a fallback key is reused until replaced; used after a claim; the same key re-uploaded stays used, a new one is unused', async () => {
      const u = user();
      assert.equal(await ctx.store.e2eKeys.claimFallbackKey(u, 'D', 'signed_curve25519'), undefined);
      const fb = { algorithm: 'signed_curve25519', keyId: 'F1', key: { ...signed('f1'), fallback: true } };
      await ctx.store.e2eKeys.setFallbackKey(u, 'D', fb);
      assert.deepEqual(await ctx.store.e2eKeys.unusedFallbackKeyTypes(u, 'D'), ['signed_curve25519']);
      assert.deepEqual(await ctx.store.e2eKeys.claimFallbackKey(u, 'D', 'signed_curve25519'), fb);
      assert.deepEqual(await ctx.store.e2eKeys.claimFallbackKey(u, 'D', 'signed_curve25519'), fb);
      assert.deepEqual(await ctx.store.e2eKeys.unusedFallbackKeyTypes(u, 'D'), []);
      await ctx.store.e2eKeys.setFallbackKey(u, 'D', fb);
      assert.deepEqual(await ctx.store.e2eKeys.unusedFallbackKeyTypes(u, 'D'), []);
      const fb2 = { algorithm: 'signed_curve25519', keyId: 'F2', key: { ...signed('f2'), fallback: true } };
      await ctx.store.e2eKeys.setFallbackKey(u, 'D', fb2);
      assert.deepEqual(await ctx.store.e2eKeys.unusedFallbackKeyTypes(u, 'D'), ['signed_curve25519']);
      assert.deepEqual(await ctx.store.e2eKeys.claimFallbackKey(u, 'D', 'signed_curve25519'), fb2);
      assert.equal(await ctx.store.e2eKeys.claimFallbackKey(u, 'D', 'curve25519'), undefined);
    });
  });

  describe('E2eKeyStore cross-signing (client-server API §"Cross-signing")', () => {
    it('stores master, self-signing and user-signing keys per user; a new upload replaces one type', async () => {
      const u = user();
      assert.deepEqual(await ctx.store.e2eKeys.getCrossSigningKeys(u), {});
      const master = { user_id: u, usage: ['master'], keys: { 'ed25519:M': 'M' } };
      const ssk = { user_id: u, usage: ['self_signing'], keys: { 'ed25519:S': 'S' }, signatures: { [u]: { 'ed25519:M': 'sig' } } };
      await ctx.store.e2eKeys.setCrossSigningKey(u, 'master', master);
      await ctx.store.e2eKeys.setCrossSigningKey(u, 'self_signing', ssk);
      assert.deepEqual(await ctx.store.e2eKeys.getCrossSigningKeys(u), { master, self_signing: ssk });
      const master2 = { ...master, keys: { 'ed25519:M2': 'M2' } };
      await ctx.store.e2eKeys.setCrossSigningKey(u, 'master', master2);
      assert.deepEqual((await ctx.store.e2eKeys.getCrossSigningKeys(u)).master, master2);
    });

    it('§"Key and signature security": a viewer sees signatures by themselves and by the key owner, not by third users', async () => {
      const [alice, bob, carol] = [user(), user(), user()];
      await ctx.store.e2eKeys.addSignatures([
        { signerUserId: bob, signerKeyId: 'ed25519:bobssk', targetUserId: bob, targetKeyId: 'DEV', signature: 'self' },
        { signerUserId: alice, signerKeyId: 'ed25519:aliceusk', targetUserId: bob, targetKeyId: 'bobmaster', signature: 'by-alice' },
        { signerUserId: carol, signerKeyId: 'ed25519:carolusk', targetUserId: bob, targetKeyId: 'bobmaster', signature: 'by-carol' },
      ]);
      const seen = async (viewer: string) => (await ctx.store.e2eKeys.signaturesOf(bob, viewer)).map((s) => s.signature).sort();
      assert.deepEqual(await seen(alice), ['by-alice', 'self']);
      assert.deepEqual(await seen(carol), ['by-carol', 'self']);
      assert.deepEqual(await seen(bob), ['self']);
      await ctx.store.e2eKeys.addSignatures([{ signerUserId: alice, signerKeyId: 'ed25519:aliceusk', targetUserId: bob, targetKeyId: 'bobmaster', signature: 'again' }]);
      assert.deepEqual(await seen(alice), ['again', 'self']);
    });
  });

  describe('DeviceListStore (client-server API §"Tracking the device list for a user")', () => {
    it('record gives strictly increasing ids; changesBetween returns (since, upto] in order; position covers them', async () => {
      const [a, b] = [user(), user()];
      const before = await ctx.store.deviceLists.position();
      const p1 = await ctx.store.deviceLists.record([{ userId: a, roomId: '', viewer: '' }]);
      const p2 = await ctx.store.deviceLists.record([{ userId: b, roomId: '!r:x', viewer: '' }, { userId: a, roomId: '', viewer: b }]);
      assert.ok(p1 > before && p2 >= p1 + 2);
      assert.equal(await ctx.store.deviceLists.position(), p2);
      const all = await ctx.store.deviceLists.changesBetween(before, p2);
      assert.deepEqual(all.map(({ streamId: _s, ...c }) => c), [
        { userId: a, roomId: '', viewer: '' }, { userId: b, roomId: '!r:x', viewer: '' }, { userId: a, roomId: '', viewer: b },
      ]);
      for (let i = 1; i < all.length; i++) assert.ok(all[i].streamId > all[i - 1].streamId);
      assert.equal(all[0].streamId, p1);
      assert.deepEqual((await ctx.store.deviceLists.changesBetween(p1, p2)).length, 2);
      assert.deepEqual(await ctx.store.deviceLists.changesBetween(p2, p2), []);
      assert.equal(await ctx.store.deviceLists.record([]), p2);
    });

    it('concurrent records get distinct ids', async () => {
      const before = await ctx.store.deviceLists.position();
      const users = Array.from({ length: 12 }, user);
      await Promise.all(users.map((u) => ctx.store.deviceLists.record([{ userId: u, roomId: '', viewer: '' }])));
      const after = await ctx.store.deviceLists.position();
      const ids = (await ctx.store.deviceLists.changesBetween(before, after)).map((c) => c.streamId);
      assert.equal(new Set(ids).size, 12);
      assert.equal(after, before + 12);
    });
  });
}
