/** The device's bounded outbound queue: kept in memory, or in a JSON file (Node) so unacknowledged messages survive a restart. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * One outbound message: the topic under the device's base (`reading`, `event`, `state/T/K`) and its encoded bytes.
 * @example
 * const item: QueueItem = { id: 'a1-7', topic: 'reading', payload: encodePayload({ id: 'a1-7', t: 1 }, 'cbor') };
 */
export interface QueueItem {
  /** Message id (also inside the payload), or '' for items without one (state). */
  id: string;
  /** Topic relative to the device's base, e.g. `reading` or `state/org.example.mode`. */
  topic: string;
  payload: Uint8Array;
}

/**
 * A bounded FIFO of outbound messages.
 * @example
 * const q: OutboundQueue = createQueue({ max: 100 });
 */
export interface OutboundQueue {
  /** Appends an item; throws when the queue is full. */
  push(item: QueueItem): void;
  /** The items in order (do not mutate). */
  items(): readonly QueueItem[];
  /** Removes an acknowledged item (anywhere in the queue). */
  remove(item: QueueItem): void;
  size(): number;
}

/**
 * Thrown by `push` (and so by `reading()`) when the queue holds `max` items already.
 * @example
 * await dev.reading(v).catch((e) => { if (e instanceof QueueFullError) skipThisSample(); });
 */
export class QueueFullError extends Error {
  constructor(max: number) {
    super(`offline queue full (${max} messages); the oldest are still waiting for an acknowledgement`);
    this.name = 'QueueFullError';
  }
}

interface StoredItem { id: string; topic: string; payload: string }

function load(file: string): QueueItem[] {
  if (!existsSync(file)) return [];
  const raw = JSON.parse(readFileSync(file, 'utf8')) as StoredItem[];
  return raw.map((s) => ({ id: s.id, topic: s.topic, payload: new Uint8Array(Buffer.from(s.payload, 'base64')) }));
}

function save(file: string, items: readonly QueueItem[]): void {
  const tmp = `${file}.tmp`;
  const stored: StoredItem[] = items.map((i) => ({ id: i.id, topic: i.topic, payload: Buffer.from(i.payload).toString('base64') }));
  writeFileSync(tmp, JSON.stringify(stored));
  renameSync(tmp, file);
}

/**
 * Creates the queue. With `file`, its content is loaded first and rewritten (atomically) on every change.
 * @example
 * const q = createQueue({ max: 1000, file: '/var/lib/sensor/queue.json' });
 * q.push({ id: 'a-1', topic: 'reading', payload });
 */
export function createQueue(opts: { max: number; file?: string }): OutboundQueue {
  const items: QueueItem[] = opts.file ? load(opts.file) : [];
  const persist = () => { if (opts.file) save(opts.file, items); };
  return {
    push(item) {
      if (items.length >= opts.max) throw new QueueFullError(opts.max);
      items.push(item);
      persist();
    },
    items: () => items,
    remove(item) {
      const i = items.indexOf(item);
      if (i < 0) return;
      items.splice(i, 1);
      persist();
    },
    size: () => items.length,
  };
}
