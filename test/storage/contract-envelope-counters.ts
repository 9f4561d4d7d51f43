/** Storage contract for EnvelopeCounterStore: the highest accepted signed-envelope counter per device key, kept across reopen. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContractContext } from './contract-context.js';

export function envelopeCounterContract(ctx: ContractContext): void {
  const mine = async (devices: string[]) => (await ctx.store.envelopeCounters.list()).filter((c) => devices.includes(c.device));

  describe('EnvelopeCounterStore (README "Signed envelope": a replayed counter is refused, also after a restart)', () => {
    it('advance creates the row; a larger counter replaces it, an equal or smaller one leaves it', async () => {
      const device = ctx.unique('dev');
      await ctx.store.envelopeCounters.advance(device, 'KEY-A', 10);
      await ctx.store.envelopeCounters.advance(device, 'KEY-A', 12);
      await ctx.store.envelopeCounters.advance(device, 'KEY-A', 11);
      await ctx.store.envelopeCounters.advance(device, 'KEY-A', 12);
      assert.deepEqual(await mine([device]), [{ device, publicKey: 'KEY-A', counter: 12 }]);
    });

    it('a new key starts afresh: its counter replaces a larger one of the old key', async () => {
      const device = ctx.unique('dev');
      await ctx.store.envelopeCounters.advance(device, 'OLD', 1_000_000);
      await ctx.store.envelopeCounters.advance(device, 'NEW', 5);
      assert.deepEqual(await mine([device]), [{ device, publicKey: 'NEW', counter: 5 }]);
      await ctx.store.envelopeCounters.advance(device, 'NEW', 4);
      assert.deepEqual(await mine([device]), [{ device, publicKey: 'NEW', counter: 5 }]);
    });

    it('keeps counters up to 2^53 - 1 exactly, lists in device order, and refuses unsafe counters', async () => {
      const a = ctx.unique('a'), b = ctx.unique('b');
      await ctx.store.envelopeCounters.advance(b, 'K', 1_764_000_000_000_123);
      await ctx.store.envelopeCounters.advance(a, 'K', Number.MAX_SAFE_INTEGER);
      assert.deepEqual(await mine([a, b]), [
        { device: a, publicKey: 'K', counter: Number.MAX_SAFE_INTEGER },
        { device: b, publicKey: 'K', counter: 1_764_000_000_000_123 },
      ]);
      await assert.rejects(ctx.store.envelopeCounters.advance(a, 'K', 2 ** 53), RangeError);
      await assert.rejects(ctx.store.envelopeCounters.advance(a, 'K', -1), RangeError);
    });

    it('a counter is there after close and reopen', async () => {
      const device = ctx.unique('dev');
      await ctx.store.envelopeCounters.advance(device, 'K', 77);
      const other = await ctx.open();
      try {
        assert.deepEqual((await other.envelopeCounters.list()).filter((c) => c.device === device), [{ device, publicKey: 'K', counter: 77 }]);
      } finally { await other.close(); }
    });
  });
}
