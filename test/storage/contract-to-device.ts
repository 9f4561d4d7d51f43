/** Storage contract for ToDeviceStore: per-device inboxes, strictly increasing ids never reused, idempotent transactions, delivery windows and deletion. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_NAME, type ContractContext } from './contract-context.js';

export function toDeviceContract(ctx: ContractContext): void {
  const user = () => `@${ctx.unique('td')}:${SERVER_NAME}`;
  const sender = () => ({ userId: user(), deviceId: 'SENDER' });

  describe('ToDeviceStore (client-server API §"Send-to-Device messaging")', () => {
    it('queues one message per device in order; pending reads (after, upto] up to a limit', async () => {
      const [s, bob] = [sender(), user()];
      const before = await ctx.store.toDevice.position();
      const r1 = await ctx.store.toDevice.send(s, 't1', 'm.test', [{ userId: bob, deviceId: 'B1', content: { n: 1 } }, { userId: bob, deviceId: 'B2', content: { n: 2 } }], 1);
      const r2 = await ctx.store.toDevice.send(s, 't2', 'm.other', [{ userId: bob, deviceId: 'B1', content: { n: 3, deep: { ü: [true, null] } } }], 2);
      assert.equal(r1.sent, true);
      assert.ok(r1.position >= before + 2 && r2.position > r1.position);
      const b1 = await ctx.store.toDevice.pending(bob, 'B1', 0, r2.position, 100);
      assert.deepEqual(b1.map(({ streamId: _s, ...m }) => m), [
        { sender: s.userId, type: 'm.test', content: { n: 1 } },
        { sender: s.userId, type: 'm.other', content: { n: 3, deep: { ü: [true, null] } } },
      ]);
      assert.ok(b1[1].streamId > b1[0].streamId);
      assert.deepEqual((await ctx.store.toDevice.pending(bob, 'B1', 0, r2.position, 1)).map((m) => m.content), [{ n: 1 }]);
      assert.deepEqual((await ctx.store.toDevice.pending(bob, 'B1', b1[0].streamId, r2.position, 100)).map((m) => m.content.n), [3]);
      assert.deepEqual((await ctx.store.toDevice.pending(bob, 'B1', 0, b1[0].streamId, 100)).map((m) => m.content.n), [1]);
      assert.deepEqual((await ctx.store.toDevice.pending(bob, 'B2', 0, r2.position, 100)).map((m) => m.content.n), [2]);
      assert.deepEqual(await ctx.store.toDevice.pending(bob, 'B3', 0, r2.position, 100), []);
    });

    it('a transaction id is used once per sending device: a repeat queues nothing, another device may reuse it', async () => {
      const [s, bob] = [sender(), user()];
      const first = await ctx.store.toDevice.send(s, 'same', 'm.test', [{ userId: bob, deviceId: 'B', content: { n: 1 } }], 1);
      const again = await ctx.store.toDevice.send(s, 'same', 'm.test', [{ userId: bob, deviceId: 'B', content: { n: 2 } }], 2);
      const other = await ctx.store.toDevice.send({ ...s, deviceId: 'OTHER' }, 'same', 'm.test', [{ userId: bob, deviceId: 'B', content: { n: 3 } }], 3);
      assert.deepEqual([first.sent, again.sent, other.sent], [true, false, true]);
      assert.deepEqual((await ctx.store.toDevice.pending(bob, 'B', 0, other.position, 100)).map((m) => m.content.n), [1, 3]);
    });

    it('concurrent sends of one transaction queue it once; concurrent distinct sends get distinct ids', async () => {
      const [s, bob] = [sender(), user()];
      const dupes = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.store.toDevice.send(s, 'race', 'm.test', [{ userId: bob, deviceId: 'B', content: { i } }], i)));
      assert.equal(dupes.filter((r) => r.sent).length, 1);
      const distinct = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.store.toDevice.send(s, `d${i}`, 'm.test', [{ userId: bob, deviceId: 'B', content: { i } }], i)));
      const upto = Math.max(...distinct.map((r) => r.position));
      const msgs = await ctx.store.toDevice.pending(bob, 'B', 0, upto, 100);
      assert.equal(msgs.length, 9);
      assert.equal(new Set(msgs.map((m) => m.streamId)).size, 9);
    });

    it('deleteUpTo removes delivered messages only; ids are never reused after the inbox empties', async () => {
      const [s, bob] = [sender(), user()];
      const r1 = await ctx.store.toDevice.send(s, 'a', 'm.test', [{ userId: bob, deviceId: 'B', content: { n: 1 } }, { userId: bob, deviceId: 'C', content: { n: 1 } }], 1);
      const r2 = await ctx.store.toDevice.send(s, 'b', 'm.test', [{ userId: bob, deviceId: 'B', content: { n: 2 } }], 2);
      const [m1] = await ctx.store.toDevice.pending(bob, 'B', 0, r2.position, 100);
      assert.equal(await ctx.store.toDevice.deleteUpTo(bob, 'B', m1.streamId), 1);
      assert.deepEqual((await ctx.store.toDevice.pending(bob, 'B', 0, r2.position, 100)).map((m) => m.content.n), [2]);
      assert.equal((await ctx.store.toDevice.pending(bob, 'C', 0, r2.position, 100)).length, 1);
      assert.equal(await ctx.store.toDevice.deleteUpTo(bob, 'B', r2.position), 1);
      assert.equal(await ctx.store.toDevice.deleteUpTo(bob, 'B', r2.position), 0);
      const r3 = await ctx.store.toDevice.send(s, 'c', 'm.test', [{ userId: bob, deviceId: 'B', content: { n: 3 } }], 3);
      const [m3] = await ctx.store.toDevice.pending(bob, 'B', 0, r3.position, 100);
      assert.ok(m3.streamId > r2.position && m3.streamId > r1.position);
      assert.ok(await ctx.store.toDevice.position() >= r3.position);
    });

    it('deleteForDevices drops those inboxes only', async () => {
      const [s, bob] = [sender(), user()];
      const r = await ctx.store.toDevice.send(s, 'x', 'm.test', [{ userId: bob, deviceId: 'B', content: {} }, { userId: bob, deviceId: 'C', content: {} }], 1);
      await ctx.store.toDevice.deleteForDevices(bob, ['B']);
      assert.equal((await ctx.store.toDevice.pending(bob, 'B', 0, r.position, 10)).length, 0);
      assert.equal((await ctx.store.toDevice.pending(bob, 'C', 0, r.position, 10)).length, 1);
    });
  });
}
