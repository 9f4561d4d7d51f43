/** The batch signer signs on the background thread exactly as inline (server-server §"Signing Events": ed25519 over the given bytes). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createEventSigner } from '../events/event-signing.js';
import { createBackgroundThread, type BackgroundThread } from '../background/background-thread.js';
import { createBatchSigner } from './batch-signer.js';

describe('batch signer (chunks on the background thread, tail inline)', () => {
  const seed = randomBytes(32);
  const signer = createEventSigner('hub.test', 'ed25519:a', seed);
  const items = Array.from({ length: 20 }, (_, i) => Buffer.from(`{"n":${i}}`));

  it('gives the same signatures as inline, in order, for groups of every size', async () => {
    const thread = createBackgroundThread();
    try {
      const batch = createBatchSigner(signer, seed, thread, { minThreaded: 2 });
      for (const n of [1, 2, 3, 7, 8, 20]) assert.deepEqual(await batch.sign(items.slice(0, n)), items.slice(0, n).map((b) => signer.signBytes(b)), `group of ${n}`);
      assert.ok(thread.running(), 'the thread signed the larger groups');
    } finally {
      await thread.close();
    }
  });

  it('signs inline when the thread fails, losing no event of the group', async () => {
    const broken: BackgroundThread = {
      sign: async () => { throw new Error('thread gone'); },
      checkpoint: async () => { throw new Error('thread gone'); },
      running: () => true,
      close: async () => undefined,
    };
    const batch = createBatchSigner(signer, seed, broken);
    assert.deepEqual(await batch.sign(items), items.map((b) => signer.signBytes(b)));
  });
});
