/** Storage contract for ServerMetaStore: string values set, overwritten, read and deleted by key. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContractContext } from './contract-context.js';

export function serverMetaContract(ctx: ContractContext): void {
  describe('ServerMetaStore (server-wide settings)', () => {
    it('get of an unset key is undefined; set then get; set again overwrites', async () => {
      const key = ctx.unique('setting');
      assert.equal(await ctx.store.serverMeta.get(key), undefined);
      await ctx.store.serverMeta.set(key, 'one');
      assert.equal(await ctx.store.serverMeta.get(key), 'one');
      await ctx.store.serverMeta.set(key, 'two');
      assert.equal(await ctx.store.serverMeta.get(key), 'two');
    });

    it('keeps values exactly: empty, unicode, JSON and 100 kB strings', async () => {
      const values = ['', 'Küche 21.5 °C 🔥', JSON.stringify({ a: [1, null, 'x'] }), 'x'.repeat(100_000)];
      for (const value of values) {
        const key = ctx.unique('exact');
        await ctx.store.serverMeta.set(key, value);
        assert.equal(await ctx.store.serverMeta.get(key), value);
      }
    });

    it('delete removes a key (true), then reports false', async () => {
      const key = ctx.unique('gone');
      await ctx.store.serverMeta.set(key, 'v');
      assert.equal(await ctx.store.serverMeta.delete(key), true);
      assert.equal(await ctx.store.serverMeta.get(key), undefined);
      assert.equal(await ctx.store.serverMeta.delete(key), false);
    });
  });
}
