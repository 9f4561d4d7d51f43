/**
 * The hub's one background thread (the second core of a Pi): ed25519 signing of the writer's event groups and
 * SQLite WAL checkpoints, so neither runs on the event loop. Started on first need and stopped again when idle,
 * so an idle hub carries no extra thread; one thread for both jobs costs one isolate (~10 MB), not two.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/**
 * The thread, as source evaluated in the worker (no module file to resolve, built or from source).
 * `sign`: unpadded base64 ed25519 signatures of each item (packed end to end in `bytes`, item i ending at
 * `ends[i]`) with the key from `seed` (keys cached by seed).
 * `checkpoint`: a PASSIVE checkpoint of the SQLite file's WAL on the thread's own connection (never blocks
 * the hub's writer; the fsyncs happen here). `close`: closes those connections before the thread stops.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, sign } = require('node:crypto');
const keys = new Map();
const dbs = new Map();
function keyFor(seed) {
  const hex = Buffer.from(seed).toString('hex');
  let key = keys.get(hex);
  if (!key) {
    key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed)]), format: 'der', type: 'pkcs8' });
    keys.set(hex, key);
  }
  return key;
}
function checkpoint(file) {
  let db = dbs.get(file);
  if (!db) {
    const Database = require(workerData.sqliteModule);
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    db.pragma('cache_size = -256'); // it only copies WAL frames into the file
    dbs.set(file, db);
  }
  return db.pragma('wal_checkpoint(PASSIVE)')[0];
}
parentPort.on('message', (m) => {
  try {
    let result;
    if (m.op === 'sign') {
      const key = keyFor(m.seed);
      result = m.ends.map((end, i) => sign(null, m.bytes.subarray(i === 0 ? 0 : m.ends[i - 1], end), key).toString('base64').replace(/=+$/, ''));
    }
    else if (m.op === 'checkpoint') result = checkpoint(m.file);
    else if (m.op === 'close') { for (const db of dbs.values()) db.close(); dbs.clear(); result = true; }
    parentPort.postMessage({ id: m.id, result });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err && err.message || err) });
  }
});
`;

/** What a PASSIVE checkpoint reports (SQLite's `wal_checkpoint` row). */
export interface CheckpointResult { busy: number; log: number; checkpointed: number }

export interface BackgroundThread {
  /** ed25519 signatures (unpadded base64) of each item, with the key from `seed`. */
  sign(seed: Uint8Array, items: readonly Uint8Array[]): Promise<string[]>;
  /** A PASSIVE WAL checkpoint of the SQLite database `file`, on the thread's own connection. */
  checkpoint(file: string): Promise<CheckpointResult>;
  /** True while the thread is up (so a caller can prefer it for small jobs then). */
  running(): boolean;
  /** True while a checkpoint is in flight: a job sent now waits for its fsyncs (tens of ms on slow storage). */
  checkpointing(): boolean;
  close(): Promise<void>;
}

export interface BackgroundThreadOptions {
  /** A thread idle this long is stopped (default 30 s). */
  idleMs?: number;
}

export function createBackgroundThread(opts: BackgroundThreadOptions = {}): BackgroundThread {
  const idleMs = opts.idleMs ?? 30_000;
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let seq = 0;
  let checkpoints = 0;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: unknown) => void }>();

  function fail(err: unknown): void {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker = undefined;
  }

  function thread(): Worker {
    if (worker) return worker;
    const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');
    // A small heap: the thread holds a few keys and connections, and signs buffers it is handed.
    const w = new Worker(THREAD_SOURCE, { eval: true, workerData: { sqliteModule }, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 24 } });
    w.unref();
    w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const entry = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) entry?.reject(new Error(m.error));
      else entry?.resolve(m.result);
    });
    w.on('error', fail);
    w.on('exit', () => { if (worker === w) fail(new Error('background thread stopped')); });
    return (worker = w);
  }

  async function stop(): Promise<void> {
    const w = worker;
    worker = undefined;
    if (!w) return;
    // Close the thread's SQLite connections first (a connection left open keeps file handles until exit).
    await new Promise<void>((resolve) => {
      const id = ++seq;
      waiting.set(id, { resolve: () => resolve(), reject: () => resolve() });
      w.postMessage({ id, op: 'close' });
      setTimeout(resolve, 1000).unref();
    });
    await w.terminate();
  }

  function armIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => { if (waiting.size === 0) void stop(); else armIdle(); }, idleMs);
    idleTimer.unref();
  }

  function run<T>(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    const id = ++seq;
    message.id = id;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      thread().postMessage(message, transfer);
      armIdle();
    });
  }

  /** The items packed into one new buffer, handed over (not copied) to the thread. */
  function sign(seed: Uint8Array, items: readonly Uint8Array[]): Promise<string[]> {
    const ends: number[] = [];
    let total = 0;
    for (const b of items) ends.push((total += b.byteLength));
    const bytes = new Uint8Array(total);
    for (let i = 0; i < items.length; i++) bytes.set(items[i]!, i === 0 ? 0 : ends[i - 1]);
    return run({ op: 'sign', seed, bytes, ends }, [bytes.buffer]);
  }

  return {
    sign,
    checkpoint(file) {
      checkpoints++;
      return run<CheckpointResult>({ op: 'checkpoint', file }).finally(() => { checkpoints--; });
    },
    checkpointing: () => checkpoints > 0,
    running: () => worker !== undefined,
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      await stop();
    },
  };
}
