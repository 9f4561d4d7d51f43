/** Read receipts (m.read, m.read.private, threaded): stored with a stream id, and shaped into m.receipt EDUs for sync. */
import type { Store } from '../storage/types.js';
import type { ReceiptRow } from '../storage/room-types.js';
import type { Notifier } from '../sync/notifier.js';
import { Mutex } from './mutex.js';

export const RECEIPT_TYPES = ['m.read', 'm.read.private'] as const;

export async function createReceipts(deps: { store: Store; notifier: Notifier; now: () => number }) {
  let streamId = await deps.store.rooms.maxReceiptStreamId();
  const lock = new Mutex();
  return {
    position(): number { return streamId; },
    /** Records a receipt; `threadId` is 'main', a thread root id, or '' for an unthreaded receipt. */
    put(roomId: string, userId: string, receiptType: string, eventId: string, threadId: string): Promise<void> {
      return lock.run(async () => {
        const row: ReceiptRow = { roomId, userId, receiptType, threadId, eventId, ts: deps.now(), streamId: streamId + 1 };
        await deps.store.rooms.putReceipt(row);
        streamId++;
        deps.notifier.roomEphemeral(roomId);
      });
    },
    /** m.receipt EDU contents per room for receipts after `since`, as `viewer` may see them (private receipts only their own). */
    async edus(roomIds: readonly string[], since: number, viewer: string): Promise<Map<string, Record<string, unknown>>> {
      const out = new Map<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>();
      for (const r of await deps.store.rooms.receiptsForRooms(roomIds, since)) {
        if (r.receiptType === 'm.read.private' && r.userId !== viewer) continue;
        let content = out.get(r.roomId);
        if (!content) out.set(r.roomId, (content = {}));
        const byType = (content[r.eventId] ??= {});
        const byUser = (byType[r.receiptType] ??= {});
        byUser[r.userId] = { ts: r.ts, ...(r.threadId ? { thread_id: r.threadId } : {}) };
      }
      return out;
    },
  };
}

export type Receipts = Awaited<ReturnType<typeof createReceipts>>;
