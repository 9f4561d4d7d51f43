/** Storage contract for KeyBackupStore: versions per user, deletion, the key replacement rule, etags and counts. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_NAME, type ContractContext } from './contract-context.js';
import type { RoomKeyBackup } from '../../src/storage/e2e-types.js';

const ALG = 'm.megolm_backup.v1.curve25519-aes-sha2';
const key = (firstMessageIndex: number, forwardedCount: number, isVerified: boolean, tag: string): RoomKeyBackup =>
  ({ firstMessageIndex, forwardedCount, isVerified, sessionData: { ciphertext: tag, mac: 'm', ephemeral: 'e' } });

export function keyBackupContract(ctx: ContractContext): void {
  const user = () => `@${ctx.unique('kb')}:${SERVER_NAME}`;

  describe('KeyBackupStore versions (client-server API §"Server-side key backups")', () => {
    it('no backup at first; versions count up per user; the newest is current; older ones stay readable', async () => {
      const [u, other] = [user(), user()];
      assert.equal(await ctx.store.keyBackup.getVersion(u), undefined);
      assert.equal(await ctx.store.keyBackup.createVersion(u, ALG, { public_key: 'a' }), '1');
      assert.equal(await ctx.store.keyBackup.createVersion(u, ALG, { public_key: 'b' }), '2');
      assert.equal(await ctx.store.keyBackup.createVersion(other, ALG, {}), '1');
      assert.deepEqual(await ctx.store.keyBackup.getVersion(u), { version: '2', algorithm: ALG, authData: { public_key: 'b' }, etag: 0 });
      assert.deepEqual((await ctx.store.keyBackup.getVersion(u, '1'))?.authData, { public_key: 'a' });
      for (const bad of ['3', '0', 'x', '01', '']) assert.equal(await ctx.store.keyBackup.getVersion(u, bad), undefined, bad);
    });

    it('updateVersion replaces auth_data; deleteVersion hides it and its keys, is true again for a deleted one, false for an unknown one', async () => {
      const u = user();
      const v = await ctx.store.keyBackup.createVersion(u, ALG, { public_key: 'a' });
      assert.equal(await ctx.store.keyBackup.updateVersion(u, v, { public_key: 'z' }), true);
      assert.deepEqual((await ctx.store.keyBackup.getVersion(u, v))?.authData, { public_key: 'z' });
      assert.equal(await ctx.store.keyBackup.updateVersion(u, '9', {}), false);
      await ctx.store.keyBackup.putKeys(u, v, [{ roomId: '!r', sessionId: 's', key: key(0, 0, false, 'x') }]);
      assert.equal(await ctx.store.keyBackup.deleteVersion(u, v), true);
      assert.equal(await ctx.store.keyBackup.getVersion(u, v), undefined);
      assert.equal(await ctx.store.keyBackup.getVersion(u), undefined);
      assert.equal(await ctx.store.keyBackup.countKeys(u, v), 0);
      assert.equal(await ctx.store.keyBackup.updateVersion(u, v, {}), false);
      assert.equal(await ctx.store.keyBackup.deleteVersion(u, v), true);
      assert.equal(await ctx.store.keyBackup.deleteVersion(u, '77'), false);
      assert.equal(await ctx.store.keyBackup.deleteVersion(u, 'abc'), false);
      assert.equal(await ctx.store.keyBackup.createVersion(u, ALG, {}), String(Number(v) + 1));
    });
  });

  describe('KeyBackupStore keys (§"Server-side key backups" replacement rule)', () => {
    it('keeps the verified key, then the lower first_message_index, then the lower forwarded_count; the etag moves only on change', async () => {
      const u = user();
      const v = await ctx.store.keyBackup.createVersion(u, ALG, {});
      const at = async () => (await ctx.store.keyBackup.getKeys(u, v, '!r', 's'))[0]?.key.sessionData.ciphertext;
      const etag = async () => (await ctx.store.keyBackup.getVersion(u, v))!.etag;
      assert.equal(await ctx.store.keyBackup.putKeys(u, v, [{ roomId: '!r', sessionId: 's', key: key(5, 2, false, 'first') }]), 1);
      const e1 = await etag();
      assert.equal(await ctx.store.keyBackup.putKeys(u, v, [{ roomId: '!r', sessionId: 's', key: key(9, 2, false, 'worse-index') }]), 0);
      assert.equal(await at(), 'first');
      assert.equal(await etag(), e1);
      await ctx.store.keyBackup.putKeys(u, v, [{ roomId: '!r', sessionId: 's', key: key(5, 1, false, 'fewer-forwards') }]);
      assert.equal(await at(), 'fewer-forwards');
      await ctx.store.keyBackup.putKeys(u, v, [{ roomId: '!r', sessionId: 's', key: key(3, 9, false, 'lower-index') }]);
      assert.equal(await at(), 'lower-index');
      await ctx.store.keyBackup.putKeys(u, v, [{ roomId: '!r', sessionId: 's', key: key(99, 99, true, 'verified') }]);
      assert.equal(await at(), 'verified');
      await ctx.store.keyBackup.putKeys(u, v, [{ roomId: '!r', sessionId: 's', key: key(0, 0, false, 'unverified-better-index') }]);
      assert.equal(await at(), 'verified');
      assert.ok(await etag() > e1);
      assert.deepEqual((await ctx.store.keyBackup.getKeys(u, v, '!r', 's'))[0].key, key(99, 99, true, 'verified'));
    });

    it('getKeys, countKeys and deleteKeys work on the whole version, one room or one session; deleteKeys moves the etag', async () => {
      const u = user();
      const v = await ctx.store.keyBackup.createVersion(u, ALG, {});
      await ctx.store.keyBackup.putKeys(u, v, [
        { roomId: '!a', sessionId: 's1', key: key(0, 0, false, 'a1') }, { roomId: '!a', sessionId: 's2', key: key(0, 0, false, 'a2') },
        { roomId: '!b', sessionId: 's1', key: key(0, 0, false, 'b1') },
      ]);
      const ids = async (room?: string, session?: string) => (await ctx.store.keyBackup.getKeys(u, v, room, session)).map((e) => `${e.roomId}/${e.sessionId}`).sort();
      assert.deepEqual(await ids(), ['!a/s1', '!a/s2', '!b/s1']);
      assert.deepEqual(await ids('!a'), ['!a/s1', '!a/s2']);
      assert.deepEqual(await ids('!b', 's1'), ['!b/s1']);
      assert.deepEqual(await ids('!c'), []);
      assert.equal(await ctx.store.keyBackup.countKeys(u, v), 3);
      const before = (await ctx.store.keyBackup.getVersion(u, v))!.etag;
      await ctx.store.keyBackup.deleteKeys(u, v, '!a', 's1');
      assert.deepEqual(await ids(), ['!a/s2', '!b/s1']);
      await ctx.store.keyBackup.deleteKeys(u, v, '!b');
      assert.deepEqual(await ids(), ['!a/s2']);
      assert.ok((await ctx.store.keyBackup.getVersion(u, v))!.etag > before);
      await ctx.store.keyBackup.deleteKeys(u, v);
      assert.equal(await ctx.store.keyBackup.countKeys(u, v), 0);
      assert.deepEqual(await ctx.store.keyBackup.getKeys(user(), v), []);
    });

    it('keys of one version are not visible in another', async () => {
      const u = user();
      const v1 = await ctx.store.keyBackup.createVersion(u, ALG, {});
      await ctx.store.keyBackup.putKeys(u, v1, [{ roomId: '!a', sessionId: 's', key: key(0, 0, false, 'x') }]);
      const v2 = await ctx.store.keyBackup.createVersion(u, ALG, {});
      assert.equal(await ctx.store.keyBackup.countKeys(u, v2), 0);
      assert.equal(await ctx.store.keyBackup.countKeys(u, v1), 1);
    });
  });
}
