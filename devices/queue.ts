/** The device's bounded outbound queue, in memory, with an optional persistence hook so unacknowledged messages survive a restart. */

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

/**
 * Where a queue keeps its items across restarts: read once at start, written after every change.
 * @example
 * const persistence: QueuePersistence = { load: () => JSON.parse(localStorage.q ?? '[]').map(fromJson), save: (items) => { localStorage.q = JSON.stringify(items.map(toJson)); } };
 */
export interface QueuePersistence {
  load(): QueueItem[];
  save(items: readonly QueueItem[]): void;
}

/**
 * Creates the queue. With `persistence`, its content is loaded first and saved on every change
 * (in Node, `fileQueuePersistence(file)` from `hearth/devices` keeps it in a JSON file).
 * @example
 * const q = createQueue({ max: 1000, persistence: fileQueuePersistence('/var/lib/sensor/queue.json') });
 * q.push({ id: 'a-1', topic: 'reading', payload });
 */
export function createQueue(opts: { max: number; persistence?: QueuePersistence }): OutboundQueue {
  const items: QueueItem[] = opts.persistence ? opts.persistence.load() : [];
  const persist = () => opts.persistence?.save(items);
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
