/** Unit tests of the gateway's envelope counters: loaded from the store, per key, durable before they count. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EnvelopeCounter } from '../src/storage/envelope-counter-types.js';
import { loadEnvelopeCounters } from './envelope-counters.js';

function fakeStore(rows: EnvelopeCounter[] = [], fail = false) {
  const writes: Array<[string, string, number]> = [];
  return {
    writes,
    list: async () => rows,
    advance: async (device: string, publicKey: string, counter: number) => {
      if (fail) throw new Error('disk full');
      writes.push([device, publicKey, counter]);
    },
  };
}

describe('envelope counters (README "Signed envelope": a counter greater than in any envelope before)', () => {
  it('starts from the stored rows; a counter belongs to its key, another key starts at 0', async () => {
    const c = await loadEnvelopeCounters(fakeStore([{ device: 'k', publicKey: 'A', counter: 41 }]));
    assert.equal(c.last('k', 'A'), 41);
    assert.equal(c.last('k', 'B'), 0);
    assert.equal(c.last('other', 'A'), 0);
  });

  it('accept writes every accepted counter and keeps the highest in memory', async () => {
    const store = fakeStore();
    const c = await loadEnvelopeCounters(store);
    await c.accept('k', 'A', 7);
    await c.accept('k', 'A', 5); // committed out of order: the memory keeps 7
    assert.equal(c.last('k', 'A'), 7);
    await c.accept('k', 'B', 2); // re-enrolled with a new key
    assert.equal(c.last('k', 'B'), 2);
    assert.deepEqual(store.writes, [['k', 'A', 7], ['k', 'A', 5], ['k', 'B', 2]]);
  });

  it('a failed write rejects (no acknowledgement) and leaves the counter unaccepted, so the retry is not a replay', async () => {
    const c = await loadEnvelopeCounters(fakeStore([], true));
    await assert.rejects(c.accept('k', 'A', 3), /disk full/);
    assert.equal(c.last('k', 'A'), 0);
  });
});
