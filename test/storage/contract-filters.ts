/** Storage contract for FilterStore: per-user ids counting from "0", exact round trips, deduplicated uploads. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_NAME, type ContractContext } from './contract-context.js';

export function filterContract(ctx: ContractContext): void {
  const user = () => `@${ctx.unique('filt')}:${SERVER_NAME}`;

  describe('FilterStore (client-server API §"Filtering" POST/GET /user/{userId}/filter)', () => {
    it('ids count from "0" per user, and get returns each filter exactly as uploaded', async () => {
      const [u, other] = [user(), user()];
      const f0 = { room: { timeline: { limit: 10, types: ['m.room.message'] } }, event_format: 'client' };
      const f1 = { presence: { not_types: ['*'] }, event_fields: ['content.body', 'type'] };
      assert.equal(await ctx.store.filters.create(u, f0), '0');
      assert.equal(await ctx.store.filters.create(u, f1), '1');
      assert.equal(await ctx.store.filters.create(other, f1), '0');
      assert.deepEqual(await ctx.store.filters.get(u, '0'), f0);
      assert.deepEqual(await ctx.store.filters.get(u, '1'), f1);
      assert.deepEqual(await ctx.store.filters.get(other, '0'), f1);
    });

    it('unknown, other users\' and malformed ids are undefined', async () => {
      const [u, other] = [user(), user()];
      await ctx.store.filters.create(u, { room: {} });
      for (const id of ['1', '99', '', 'abc', '01', '-0', '-1', '1e0', ' 0', '0x0', '9'.repeat(40)]) {
        assert.equal(await ctx.store.filters.get(u, id), undefined, id);
      }
      assert.equal(await ctx.store.filters.get(other, '0'), undefined);
    });

    it('uploading the same filter again (keys in any order) returns the existing id, like Synapse', async () => {
      const u = user();
      assert.equal(await ctx.store.filters.create(u, { a: 1, b: { c: [1, 2] } }), '0');
      assert.equal(await ctx.store.filters.create(u, { b: { c: [1, 2] }, a: 1 }), '0');
      assert.equal(await ctx.store.filters.create(u, { a: 2 }), '1');
    });

    it('concurrent uploads by one user get distinct consecutive ids', async () => {
      const u = user();
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.store.filters.create(u, { room: { timeline: { limit: i + 1 } } })));
      assert.deepEqual([...ids].sort((a, b) => Number(a) - Number(b)), ['0', '1', '2', '3', '4', '5', '6', '7']);
      for (let i = 0; i < 8; i++) assert.deepEqual(await ctx.store.filters.get(u, ids[i]), { room: { timeline: { limit: i + 1 } } });
    });

    it('keeps non-integer numbers and unicode', async () => {
      const u = user();
      const f = { room: { timeline: { limit: 2.5 } }, 'org.example': 'Küche 🔥' };
      const id = await ctx.store.filters.create(u, f);
      assert.deepEqual(await ctx.store.filters.get(u, id), f);
    });
  });
}
