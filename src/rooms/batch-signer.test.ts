/** The batch signer signs on the background thread exactly as inline (server-server §"Signing Events": ed25519 over the given bytes). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createEventSigner } from '../events/event-signing.js';
import { createBackgroundThread, type BackgroundThread } from '../background/background-thread.js';
import { createBatchSigner } from './batch-signer.js';

describe('batch signer (chunks on the background thread, on libuv\'s pool during its checkpoints, tail inline)', () => {
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
      checkpointing: () => false,
      close: async () => undefined,
    };
    const batch = createBatchSigner(signer, seed, broken);
    assert.deepEqual(await batch.sign(items), items.map((b) => signer.signBytes(b)));
  });

  it('keeps chunks off a thread that is checkpointing (they would wait out its fsyncs) and off the event loop: libuv\'s pool signs them', async () => {
    let sent = 0;
    let busy = true;
    let inline = 0;
    const counting = { ...signer, signBytes: (b: Uint8Array) => { inline++; return signer.signBytes(b); } };
    const thread: BackgroundThread = {
      sign: async (_seed, xs) => { sent += xs.length; return xs.map((b) => signer.signBytes(b)); },
      checkpoint: async () => ({ busy: 0, log: 0, checkpointed: 0 }),
      running: () => true,
      checkpointing: () => busy,
      close: async () => undefined,
    };
    const batch = createBatchSigner(counting, seed, thread);
    assert.deepEqual(await batch.sign(items), items.map((b) => signer.signBytes(b)));
    assert.equal(sent, 0, 'nothing went to the thread during the checkpoint');
    assert.equal(inline, 0, 'nothing was signed on the event loop either');
    busy = false;
    assert.deepEqual(await batch.sign(items), items.map((b) => signer.signBytes(b)));
    assert.equal(sent, items.length, 'after it, the whole group went to the thread');
    assert.equal(inline, 0);
  });
});
