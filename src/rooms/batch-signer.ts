/**
 * Signs the writer's event groups: small groups inline, larger ones on a signing thread (the second core of a Pi),
 * started on first need and stopped again when idle, so an idle hub carries no extra thread.
 */
import { Worker } from 'node:worker_threads';
import type { EventSigner } from '../events/event-signing.js';

/**
 * The signing thread, as source evaluated in the worker (no module file to resolve, built or from source):
 * an ed25519 key from the seed, and unpadded base64 signatures of each batch.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, sign } = require('node:crypto');
const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(workerData.seed)]);
const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
parentPort.on('message', (m) => {
  parentPort.postMessage({ id: m.id, signatures: m.items.map((b) => sign(null, b, key).toString('base64').replace(/=+$/, '')) });
});
`;

export interface BatchSigner {
  sign(items: readonly Uint8Array[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface BatchSignerOptions {
  /** Groups smaller than this are signed inline (a thread round trip costs more than a few signatures). */
  minThreaded?: number;
  /** A thread idle this long is stopped. */
  idleMs?: number;
  /** Off: always sign inline (tests, or a single-core machine). */
  threaded?: boolean;
}

export function createBatchSigner(signer: EventSigner, seed: Uint8Array, opts: BatchSignerOptions = {}): BatchSigner {
  const minThreaded = opts.minThreaded ?? 8;
  const idleMs = opts.idleMs ?? 30_000;
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let seq = 0;
  const waiting = new Map<number, { resolve: (s: string[]) => void; reject: (e: unknown) => void }>();

  function fail(err: unknown): void {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker = undefined;
  }

  function thread(): Worker {
    if (worker) return worker;
    const seedCopy = new Uint8Array(seed).buffer;
    const w = new Worker(THREAD_SOURCE, { eval: true, workerData: { seed: seedCopy }, transferList: [seedCopy] });
    w.unref();
    w.on('message', (m: { id: number; signatures: string[] }) => {
      const entry = waiting.get(m.id);
      waiting.delete(m.id);
      entry?.resolve(m.signatures);
    });
    w.on('error', fail);
    w.on('exit', () => { if (worker === w) fail(new Error('signing thread stopped')); });
    return (worker = w);
  }

  function armIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      const w = worker;
      worker = undefined;
      if (w && waiting.size === 0) void w.terminate();
    }, idleMs);
    idleTimer.unref();
  }

  return {
    sign(items) {
      if (opts.threaded === false || items.length < minThreaded) return Promise.resolve(items.map((b) => signer.signBytes(b)));
      const id = ++seq;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread().postMessage({ id, items });
        armIdle();
      });
    },
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}
