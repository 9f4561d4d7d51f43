/** Storage contract for ProfileStore: display name and avatar URL per local user. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UnknownUserError } from '../../src/storage/index.js';
import { makeUser, SERVER_NAME, type ContractContext } from './contract-context.js';

export function profileContract(ctx: ContractContext): void {
  describe('ProfileStore (spec §"Profiles")', () => {
    it('a user without a profile row has none; set creates it, absent fields stay null', async () => {
      const { userId } = await makeUser(ctx);
      assert.equal(await ctx.store.profiles.get(userId), undefined);
      assert.deepEqual(await ctx.store.profiles.set(userId, { displayname: 'Alice' }), { displayname: 'Alice', avatarUrl: null });
      assert.deepEqual(await ctx.store.profiles.get(userId), { displayname: 'Alice', avatarUrl: null });
    });

    it('set changes only the given fields; null clears one', async () => {
      const { userId } = await makeUser(ctx);
      await ctx.store.profiles.set(userId, { displayname: 'Bob', avatarUrl: 'mxc://hs/one' });
      assert.deepEqual(await ctx.store.profiles.set(userId, { avatarUrl: 'mxc://hs/two' }), { displayname: 'Bob', avatarUrl: 'mxc://hs/two' });
      assert.deepEqual(await ctx.store.profiles.set(userId, { displayname: null }), { displayname: null, avatarUrl: 'mxc://hs/two' });
      assert.deepEqual(await ctx.store.profiles.set(userId, {}), { displayname: null, avatarUrl: 'mxc://hs/two' });
      assert.deepEqual(await ctx.store.profiles.get(userId), { displayname: null, avatarUrl: 'mxc://hs/two' });
    });

    it('profiles are per user', async () => {
      const a = await makeUser(ctx);
      const b = await makeUser(ctx);
      await ctx.store.profiles.set(a.userId, { displayname: 'A' });
      await ctx.store.profiles.set(b.userId, { displayname: 'B' });
      assert.equal((await ctx.store.profiles.get(a.userId))?.displayname, 'A');
      assert.equal((await ctx.store.profiles.get(b.userId))?.displayname, 'B');
    });

    it('set for an unknown user rejects with UnknownUserError and stores nothing', async () => {
      const ghost = `@${ctx.unique('ghost')}:${SERVER_NAME}`;
      await assert.rejects(ctx.store.profiles.set(ghost, { displayname: 'x' }), (err: unknown) => err instanceof UnknownUserError && err.userId === ghost);
      assert.equal(await ctx.store.profiles.get(ghost), undefined);
    });
  });
}
