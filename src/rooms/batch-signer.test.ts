/** The batch signer signs on a thread exactly as inline (server-server §"Signing Events": ed25519 over the given bytes). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createEventSigner } from '../events/event-signing.js';
import { createBatchSigner } from './batch-signer.js';

describe('batch signer (signing thread for large groups)', () => {
  it('gives the same signatures on the thread as inline, in order', async () => {
    const seed = randomBytes(32);
    const signer = createEventSigner('hub.test', 'ed25519:a', seed);
    const threaded = createBatchSigner(signer, seed, { minThreaded: 2 });
    const items = Array.from({ length: 20 }, (_, i) => Buffer.from(`{"n":${i}}`));
    try {
      const sigs = await threaded.sign(items);
      assert.deepEqual(sigs, items.map((b) => signer.signBytes(b)));
      const one = await threaded.sign([items[0]!]);
      assert.deepEqual(one, [signer.signBytes(items[0]!)], 'a single item is signed inline');
    } finally {
      await threaded.close();
    }
  });
});
