/** Storage contract for ReportStore: content reports kept for the server admin (spec §"Reporting content"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NewReport } from '../../src/storage/index.js';
import type { ContractContext } from './contract-context.js';

export function reportContract(ctx: ContractContext): void {
  describe('ReportStore (spec §"Reporting content")', () => {
    const report = (over: Partial<NewReport> = {}): NewReport => ({
      kind: 'event', roomId: '!r:hearth.test', eventId: `$${ctx.unique('ev')}`, targetUserId: '@bad:hearth.test',
      reporter: '@good:hearth.test', reason: 'rude', receivedTs: 1_700_000_000_000, ...over,
    });

    it('add returns increasing ids; get reads each report back as given', async () => {
      const a = report();
      const b = report({ kind: 'user', roomId: null, eventId: null, reason: null });
      const idA = await ctx.store.reports.add(a);
      const idB = await ctx.store.reports.add(b);
      assert.ok(idB > idA);
      assert.deepEqual(await ctx.store.reports.get(idA), { ...a, id: idA });
      assert.deepEqual(await ctx.store.reports.get(idB), { ...b, id: idB });
      assert.equal(await ctx.store.reports.get(idB + 1000), undefined);
    });

    it('list pages through reports after an id, oldest first', async () => {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await ctx.store.reports.add(report({ kind: 'room', eventId: null, reason: `r${i}` })));
      const page = await ctx.store.reports.list(ids[0]! - 1, 2);
      assert.deepEqual(page.map((r) => r.id), ids.slice(0, 2));
      assert.deepEqual((await ctx.store.reports.list(ids[1]!, 10)).map((r) => r.reason), ['r2']);
    });
  });
}
