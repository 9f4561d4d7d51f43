/** Storage contract for AccountDataStore: global and per-room entries, one strictly increasing stream, change feeds. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_NAME, type ContractContext } from './contract-context.js';

export function accountDataContract(ctx: ContractContext): void {
  const user = () => `@${ctx.unique('ad')}:${SERVER_NAME}`;
  const room = () => `!${ctx.unique('room')}:${SERVER_NAME}`;

  describe('AccountDataStore (client-server API §"Client Config")', () => {
    it('get of an unset type is undefined; set then get returns the content; set again replaces it', async () => {
      const u = user();
      assert.equal(await ctx.store.accountData.get(u, null, 'org.example.config'), undefined);
      await ctx.store.accountData.set(u, null, 'org.example.config', { a: 1 });
      assert.deepEqual(await ctx.store.accountData.get(u, null, 'org.example.config'), { a: 1 });
      await ctx.store.accountData.set(u, null, 'org.example.config', { b: [true, null] });
      assert.deepEqual(await ctx.store.accountData.get(u, null, 'org.example.config'), { b: [true, null] });
    });

    it('room account data does not fall back to global data of the same type, nor leak to other rooms or users', async () => {
      const [u, other, r1, r2] = [user(), user(), room(), room()];
      await ctx.store.accountData.set(u, null, 'm.tag', { global: true });
      await ctx.store.accountData.set(u, r1, 'm.tag', { tags: { 'u.work': {} } });
      assert.equal(await ctx.store.accountData.get(u, r2, 'm.tag'), undefined);
      assert.deepEqual(await ctx.store.accountData.get(u, r1, 'm.tag'), { tags: { 'u.work': {} } });
      assert.deepEqual(await ctx.store.accountData.get(u, null, 'm.tag'), { global: true });
      assert.equal(await ctx.store.accountData.get(other, r1, 'm.tag'), undefined);
      assert.equal(await ctx.store.accountData.get(other, null, 'm.tag'), undefined);
    });

    it("roomId '' and null both mean global", async () => {
      const u = user();
      await ctx.store.accountData.set(u, '', 'org.example.x', { v: 1 });
      assert.deepEqual(await ctx.store.accountData.get(u, null, 'org.example.x'), { v: 1 });
      assert.deepEqual((await ctx.store.accountData.listGlobal(u)).map((e) => e.type), ['org.example.x']);
    });

    it('keeps content exactly: unicode, nesting, numbers, 100 kB strings', async () => {
      const u = user();
      const content = { name: 'Küche 🔥', nested: { deep: [1, -2.5, 9007199254740991, { x: '' }] }, big: 'x'.repeat(100_000), 'm.dotted': null };
      await ctx.store.accountData.set(u, null, 'org.example.exact', content);
      assert.deepEqual(await ctx.store.accountData.get(u, null, 'org.example.exact'), content);
    });

    it('every write gets a strictly greater stream id, across users and rooms; currentStreamId is the last one', async () => {
      const [u1, u2, r] = [user(), user(), room()];
      const before = await ctx.store.accountData.currentStreamId();
      const ids = [
        await ctx.store.accountData.set(u1, null, 'a', {}),
        await ctx.store.accountData.set(u2, r, 'a', {}),
        await ctx.store.accountData.set(u1, null, 'a', { again: true }),
        await ctx.store.accountData.set(u1, r, 'b', {}),
      ];
      assert.ok(ids[0] > before);
      for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], `${ids[i]} > ${ids[i - 1]}`);
      assert.equal(await ctx.store.accountData.currentStreamId(), ids.at(-1));
    });

    it('concurrent writes get distinct, increasing ids and the stream position covers them all', async () => {
      const users = Array.from({ length: 12 }, user);
      const ids = await Promise.all(users.map((u, i) => ctx.store.accountData.set(u, i % 2 ? room() : null, 'org.example.race', { i })));
      assert.equal(new Set(ids).size, ids.length);
      assert.ok(await ctx.store.accountData.currentStreamId() >= Math.max(...ids));
    });

    it('listGlobal and listForRoom return one scope each, ordered by type (code point order)', async () => {
      const [u, r] = [user(), room()];
      for (const type of ['org.b', 'Org.Z', 'm.a', 'org.a']) await ctx.store.accountData.set(u, null, type, { type });
      await ctx.store.accountData.set(u, r, 'm.tag', { tags: {} });
      await ctx.store.accountData.set(u, r, 'm.fully_read', { event_id: '$e' });
      assert.deepEqual(await ctx.store.accountData.listGlobal(u), ['Org.Z', 'm.a', 'org.a', 'org.b'].map((type) => ({ type, content: { type } })));
      assert.deepEqual(await ctx.store.accountData.listForRoom(u, r), [
        { type: 'm.fully_read', content: { event_id: '$e' } },
        { type: 'm.tag', content: { tags: {} } },
      ]);
      assert.deepEqual(await ctx.store.accountData.listForRoom(u, room()), []);
      assert.deepEqual(await ctx.store.accountData.listGlobal(user()), []);
    });

    it('changesSince(0) is everything of the user, grouped into global and rooms, with maxStreamId', async () => {
      const [u, other, r1, r2] = [user(), user(), room(), room()];
      await ctx.store.accountData.set(u, null, 'g1', { n: 1 });
      await ctx.store.accountData.set(other, null, 'g1', { other: true });
      await ctx.store.accountData.set(u, r1, 'm.tag', { tags: {} });
      await ctx.store.accountData.set(u, r2, 'x', { n: 2 });
      const last = await ctx.store.accountData.set(u, null, 'g2', { n: 3 });
      assert.deepEqual(await ctx.store.accountData.changesSince(u, 0), {
        global: [{ type: 'g1', content: { n: 1 } }, { type: 'g2', content: { n: 3 } }],
        rooms: { [r1]: [{ type: 'm.tag', content: { tags: {} } }], [r2]: [{ type: 'x', content: { n: 2 } }] },
        maxStreamId: last,
      });
    });

    it('changesSince(n) has only later writes; an entry written twice appears once with its latest content', async () => {
      const [u, r] = [user(), room()];
      await ctx.store.accountData.set(u, null, 'old', {});
      const since = await ctx.store.accountData.set(u, r, 'm.tag', { tags: { a: {} } });
      await ctx.store.accountData.set(u, r, 'm.tag', { tags: { b: {} } });
      const last = await ctx.store.accountData.set(u, r, 'm.tag', { tags: { c: {} } });
      assert.deepEqual(await ctx.store.accountData.changesSince(u, since), {
        global: [], rooms: { [r]: [{ type: 'm.tag', content: { tags: { c: {} } } }] }, maxStreamId: last,
      });
    });

    it('changesSince with nothing new is empty and keeps maxStreamId at the given position', async () => {
      const u = user();
      const pos = await ctx.store.accountData.set(u, null, 'a', {});
      assert.deepEqual(await ctx.store.accountData.changesSince(u, pos), { global: [], rooms: {}, maxStreamId: pos });
      assert.deepEqual(await ctx.store.accountData.changesSince(user(), 0), { global: [], rooms: {}, maxStreamId: 0 });
    });

    it('changesSince(since, to) stops at toStreamId, so a sync never reports past its own token', async () => {
      const u = user();
      const a = await ctx.store.accountData.set(u, null, 'a', {});
      const b = await ctx.store.accountData.set(u, null, 'b', {});
      await ctx.store.accountData.set(u, null, 'c', {});
      assert.deepEqual(await ctx.store.accountData.changesSince(u, 0, b), {
        global: [{ type: 'a', content: {} }, { type: 'b', content: {} }], rooms: {}, maxStreamId: b,
      });
      assert.deepEqual((await ctx.store.accountData.changesSince(u, a, b)).global.map((e) => e.type), ['b']);
    });

    it('writes are visible to another connection opened on the same database', async () => {
      const u = user();
      const id = await ctx.store.accountData.set(u, null, 'org.example.kept', { kept: true });
      const again = await ctx.open();
      try {
        assert.deepEqual(await again.accountData.get(u, null, 'org.example.kept'), { kept: true });
        assert.ok(await again.accountData.currentStreamId() >= id);
      } finally {
        await again.close();
      }
    });
  });
}
