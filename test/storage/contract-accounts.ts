/** Storage contract for AccountStore: users are created once, read back exactly, and only flagged afterwards. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserExistsError } from '../../src/storage/index.js';
import { makeUser, SERVER_NAME, type ContractContext } from './contract-context.js';

export function accountContract(ctx: ContractContext): void {
  describe('AccountStore (spec §Account registration; Synapse users table)', () => {
    it('createUser returns the stored record and getUser reads back every field', async () => {
      const localpart = ctx.unique('alice');
      const input = { localpart, userId: `@${localpart}:${SERVER_NAME}`, passwordHash: 'scrypt$abc', admin: true, createdTs: 1_732_500_000_123 };
      const created = await ctx.store.accounts.createUser(input);
      const expected = { ...input, isGuest: false, deactivated: false };
      assert.deepEqual(created, expected);
      assert.deepEqual(await ctx.store.accounts.getUser(input.userId), expected);
    });

    it('stores guests and accounts without a password (passwordHash null)', async () => {
      const guest = await makeUser(ctx, { isGuest: true, passwordHash: null });
      assert.equal(guest.isGuest, true);
      assert.equal(guest.passwordHash, null);
      assert.deepEqual(await ctx.store.accounts.getUser(guest.userId), guest);
    });

    it('rejects a duplicate user id with UserExistsError and leaves the first account as it was', async () => {
      const first = await makeUser(ctx);
      await assert.rejects(
        ctx.store.accounts.createUser({ ...first, passwordHash: 'other', admin: true }),
        (err: unknown) => err instanceof UserExistsError && err.userId === first.userId && err.code === 'user_exists',
      );
      assert.deepEqual(await ctx.store.accounts.getUser(first.userId), first);
    });

    it('rejects a duplicate localpart under another user id with UserExistsError', async () => {
      const first = await makeUser(ctx);
      await assert.rejects(
        ctx.store.accounts.createUser({ ...first, userId: `@${first.localpart}:other.example` }),
        UserExistsError,
      );
      assert.equal(await ctx.store.accounts.getUser(`@${first.localpart}:other.example`), undefined);
    });

    it('getUser of an unknown user is undefined', async () => {
      assert.equal(await ctx.store.accounts.getUser(`@${ctx.unique('nobody')}:${SERVER_NAME}`), undefined);
    });

    it('listUsers holds every user, ordered by user id, equal to getUser', async () => {
      const a = await makeUser(ctx, { localpart: ctx.unique('zz_list') });
      const b = await makeUser(ctx, { localpart: ctx.unique('aa_list'), isGuest: true });
      const all = await ctx.store.accounts.listUsers();
      const ids = all.map((u) => u.userId);
      assert.deepEqual(ids, [...ids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      assert.deepEqual(all.find((u) => u.userId === a.userId), a);
      assert.deepEqual(all.find((u) => u.userId === b.userId), b);
    });

    it('setPasswordHash, setAdmin and setDeactivated change only their field', async () => {
      const user = await makeUser(ctx);
      const accounts = ctx.store.accounts;
      assert.equal(await accounts.setPasswordHash(user.userId, 'scrypt$new'), true);
      assert.deepEqual(await accounts.getUser(user.userId), { ...user, passwordHash: 'scrypt$new' });
      assert.equal(await accounts.setPasswordHash(user.userId, null), true);
      assert.equal((await accounts.getUser(user.userId))?.passwordHash, null);
      assert.equal(await accounts.setAdmin(user.userId, true), true);
      assert.deepEqual(await accounts.getUser(user.userId), { ...user, passwordHash: null, admin: true });
      assert.equal(await accounts.setDeactivated(user.userId, true), true);
      assert.deepEqual(await accounts.getUser(user.userId), { ...user, passwordHash: null, admin: true, deactivated: true });
      assert.equal(await accounts.setAdmin(user.userId, false), true);
      assert.equal(await accounts.setDeactivated(user.userId, false), true);
      assert.deepEqual(await accounts.getUser(user.userId), { ...user, passwordHash: null });
    });

    it('the setters report false for an unknown user and create nothing', async () => {
      const ghost = `@${ctx.unique('ghost')}:${SERVER_NAME}`;
      const before = await ctx.store.accounts.countUsers();
      assert.equal(await ctx.store.accounts.setPasswordHash(ghost, 'x'), false);
      assert.equal(await ctx.store.accounts.setAdmin(ghost, true), false);
      assert.equal(await ctx.store.accounts.setDeactivated(ghost, true), false);
      assert.equal(await ctx.store.accounts.getUser(ghost), undefined);
      assert.equal(await ctx.store.accounts.countUsers(), before);
    });

    it('countUsers counts every user, guests and deactivated included, and matches listUsers', async () => {
      const before = await ctx.store.accounts.countUsers();
      await makeUser(ctx);
      const guest = await makeUser(ctx, { isGuest: true });
      await ctx.store.accounts.setDeactivated(guest.userId, true);
      await assert.rejects(makeUser(ctx, { localpart: guest.localpart }), UserExistsError);
      assert.equal(await ctx.store.accounts.countUsers(), before + 2);
      assert.equal((await ctx.store.accounts.listUsers()).length, before + 2);
    });
  });
}
