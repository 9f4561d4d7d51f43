/** Storage contract for RegistrationTokenStore: Synapse admin API semantics and an atomic, exact consume. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isRegistrationTokenValid, RegistrationTokenExistsError } from '../../src/storage/index.js';
import type { ContractContext } from './contract-context.js';

const NOW = 1_732_500_000_000;

export function registrationTokenContract(ctx: ContractContext): void {
  describe('RegistrationTokenStore (spec §Token-authenticated registration; Synapse registration tokens admin API)', () => {
    it('add returns the record with completed 0; get and list show it; a duplicate rejects with RegistrationTokenExistsError', async () => {
      const token = ctx.unique('tok');
      const record = await ctx.store.registrationTokens.add({ token, usesAllowed: 5, expiryTime: NOW + 60_000 });
      assert.deepEqual(record, { token, usesAllowed: 5, completed: 0, expiryTime: NOW + 60_000 });
      assert.deepEqual(await ctx.store.registrationTokens.get(token), record);
      const listed = await ctx.store.registrationTokens.list();
      assert.deepEqual(listed.find((t) => t.token === token), record);
      const names = listed.map((t) => t.token);
      assert.deepEqual(names, [...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      await assert.rejects(
        ctx.store.registrationTokens.add({ token, usesAllowed: null, expiryTime: null }),
        (err: unknown) => err instanceof RegistrationTokenExistsError && err.token === token,
      );
      assert.deepEqual(await ctx.store.registrationTokens.get(token), record);
    });

    it('get of an unknown token is undefined, and consuming it fails', async () => {
      const token = ctx.unique('missing');
      assert.equal(await ctx.store.registrationTokens.get(token), undefined);
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW), false);
    });

    it('an unlimited token (usesAllowed null, no expiry) can always be consumed, counting completed', async () => {
      const token = ctx.unique('open');
      await ctx.store.registrationTokens.add({ token, usesAllowed: null, expiryTime: null });
      for (let i = 0; i < 4; i++) assert.equal(await ctx.store.registrationTokens.consume(token, NOW), true);
      assert.equal((await ctx.store.registrationTokens.get(token))?.completed, 4);
    });

    it('uses are exhausted after usesAllowed completions; a refused consume counts nothing', async () => {
      const token = ctx.unique('two');
      await ctx.store.registrationTokens.add({ token, usesAllowed: 2, expiryTime: null });
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW), true);
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW), true);
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW), false);
      assert.deepEqual(await ctx.store.registrationTokens.get(token), { token, usesAllowed: 2, completed: 2, expiryTime: null });
    });

    it('expiry: valid up to and including expiryTime (as Synapse), refused one ms later', async () => {
      const token = ctx.unique('exp');
      await ctx.store.registrationTokens.add({ token, usesAllowed: null, expiryTime: NOW });
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW - 1), true);
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW), true);
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW + 1), false);
      assert.equal((await ctx.store.registrationTokens.get(token))?.completed, 2);
    });

    it('10 concurrent consumes of a 3-use token: exactly 3 succeed', async () => {
      const token = ctx.unique('race');
      await ctx.store.registrationTokens.add({ token, usesAllowed: 3, expiryTime: null });
      const results = await Promise.all(Array.from({ length: 10 }, () => ctx.store.registrationTokens.consume(token, NOW)));
      assert.equal(results.filter(Boolean).length, 3);
      assert.equal((await ctx.store.registrationTokens.get(token))?.completed, 3);
    });

    it('concurrent consumes from two open stores on one database: exactly 3 of 10 succeed', async () => {
      const token = ctx.unique('race2');
      await ctx.store.registrationTokens.add({ token, usesAllowed: 3, expiryTime: null });
      const other = await ctx.open();
      try {
        const stores = [ctx.store, other];
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 2].registrationTokens.consume(token, NOW)));
        assert.equal(results.filter(Boolean).length, 3);
        assert.equal((await other.registrationTokens.get(token))?.completed, 3);
      } finally {
        await other.close();
      }
    });

    it('update changes only the given fields; raising usesAllowed re-enables an exhausted token; unknown -> undefined', async () => {
      const token = ctx.unique('upd');
      await ctx.store.registrationTokens.add({ token, usesAllowed: 1, expiryTime: NOW });
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW), true);
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW), false);
      assert.deepEqual(await ctx.store.registrationTokens.update(token, { usesAllowed: 2 }), { token, usesAllowed: 2, completed: 1, expiryTime: NOW });
      assert.deepEqual(await ctx.store.registrationTokens.update(token, { expiryTime: null }), { token, usesAllowed: 2, completed: 1, expiryTime: null });
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW + 1), true);
      assert.deepEqual(await ctx.store.registrationTokens.update(token, { usesAllowed: null, expiryTime: NOW + 5 }), { token, usesAllowed: null, completed: 2, expiryTime: NOW + 5 });
      assert.deepEqual(await ctx.store.registrationTokens.update(token, {}), await ctx.store.registrationTokens.get(token));
      assert.equal(await ctx.store.registrationTokens.update(ctx.unique('nope'), { usesAllowed: 1 }), undefined);
    });

    it('delete removes the token (true), then reports false; a deleted token cannot be consumed', async () => {
      const token = ctx.unique('del');
      await ctx.store.registrationTokens.add({ token, usesAllowed: null, expiryTime: null });
      assert.equal(await ctx.store.registrationTokens.delete(token), true);
      assert.equal(await ctx.store.registrationTokens.get(token), undefined);
      assert.equal(await ctx.store.registrationTokens.consume(token, NOW), false);
      assert.equal(await ctx.store.registrationTokens.delete(token), false);
    });

    it('isRegistrationTokenValid predicts consume exactly (usesAllowed 0 means no uses)', async () => {
      const cases: Array<{ usesAllowed: number | null; expiryTime: number | null; uses: number; at: number }> = [
        { usesAllowed: null, expiryTime: null, uses: 0, at: NOW },
        { usesAllowed: 0, expiryTime: null, uses: 0, at: NOW },
        { usesAllowed: 1, expiryTime: null, uses: 0, at: NOW },
        { usesAllowed: 1, expiryTime: null, uses: 1, at: NOW },
        { usesAllowed: 3, expiryTime: NOW, uses: 2, at: NOW },
        { usesAllowed: 3, expiryTime: NOW - 1, uses: 0, at: NOW },
        { usesAllowed: null, expiryTime: NOW + 1, uses: 1, at: NOW },
      ];
      for (const c of cases) {
        const token = ctx.unique('rule');
        await ctx.store.registrationTokens.add({ token, usesAllowed: c.usesAllowed, expiryTime: c.expiryTime });
        for (let i = 0; i < c.uses; i++) assert.equal(await ctx.store.registrationTokens.consume(token, 0), true);
        const record = (await ctx.store.registrationTokens.get(token))!;
        assert.equal(await ctx.store.registrationTokens.consume(token, c.at), isRegistrationTokenValid(record, c.at), JSON.stringify(c));
      }
    });
  });
}
