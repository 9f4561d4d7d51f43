/** Node only: the offline queue kept in a JSON file, rewritten atomically (temp file, rename) on every change. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { QueueItem, QueuePersistence } from './queue.js';

interface StoredItem { id: string; topic: string; payload: string }

/**
 * Keeps queue items in `file` as JSON (payloads base64).
 * @example
 * const dev = await connectDevice({ url, device, token, persistence: fileQueuePersistence('/var/lib/sensor/queue.json') });
 */
export function fileQueuePersistence(file: string): QueuePersistence {
  return {
    load() {
      if (!existsSync(file)) return [];
      const raw = JSON.parse(readFileSync(file, 'utf8')) as StoredItem[];
      return raw.map((s) => ({ id: s.id, topic: s.topic, payload: new Uint8Array(Buffer.from(s.payload, 'base64')) }));
    },
    save(items: readonly QueueItem[]) {
      const tmp = `${file}.tmp`;
      const stored: StoredItem[] = items.map((i) => ({ id: i.id, topic: i.topic, payload: Buffer.from(i.payload).toString('base64') }));
      writeFileSync(tmp, JSON.stringify(stored));
      renameSync(tmp, file);
    },
  };
}
