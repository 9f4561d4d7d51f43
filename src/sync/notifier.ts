/** The notifier: after a room event or per-user change commits, it wakes long-polling /sync requests and other subscribers. */
import type { Pdu } from '../events/types.js';

export interface RoomEventNotice {
  roomId: string;
  streamOrdering: number;
  event: Pdu & { event_id: string; room_id: string };
}

/** What can wake a sync: a room's events or ephemeral data, or a user's own data (account data, to-device, …). */
export type Wakeup = { kind: 'room'; roomId: string } | { kind: 'user'; userId: string } | { kind: 'all' };

interface Waiter {
  userId: string;
  rooms: ReadonlySet<string>;
  wake: () => void;
}

export function createNotifier() {
  const waiters = new Set<Waiter>();
  const roomListeners = new Set<(n: RoomEventNotice) => void>();
  // Change sequence per room and per user, so a sync that computed an empty answer while something
  // committed does not sleep through it.
  let seq = 0;
  const lastRoom = new Map<string, number>();
  const lastUser = new Map<string, number>();

  function wakeMatching(w: Wakeup): void {
    seq++;
    if (w.kind === 'room') lastRoom.set(w.roomId, seq);
    else if (w.kind === 'user') lastUser.set(w.userId, seq);
    for (const waiter of waiters) {
      if (w.kind === 'all' || (w.kind === 'room' && waiter.rooms.has(w.roomId)) || (w.kind === 'user' && waiter.userId === w.userId)) {
        waiters.delete(waiter);
        waiter.wake();
      }
    }
  }

  return {
    /** Called by the room service once an event is committed. */
    roomEvent(n: RoomEventNotice): void {
      wakeMatching({ kind: 'room', roomId: n.roomId });
      // A membership change concerns the target user even before the room is among their rooms.
      if (n.event.type === 'm.room.member' && typeof n.event.state_key === 'string') wakeMatching({ kind: 'user', userId: n.event.state_key });
      for (const l of roomListeners) {
        try { l(n); } catch { /* a subscriber's failure never reaches the writer */ }
      }
    },
    /** Typing, receipts and other room-scoped ephemeral changes. */
    roomEphemeral(roomId: string): void { wakeMatching({ kind: 'room', roomId }); },
    /** Account data, to-device messages, device lists: changes for one user. */
    user(userId: string): void { wakeMatching({ kind: 'user', userId }); },
    /** Subscribes to committed room events (federation sender, gateway, app services). Returns an unsubscribe function. */
    subscribe(fn: (n: RoomEventNotice) => void): () => void {
      roomListeners.add(fn);
      return () => roomListeners.delete(fn);
    },
    /** The current change sequence; pass it to `wait` to catch changes made since. */
    sequence(): number { return seq; },
    /**
     * Resolves when something relevant to `userId` or `rooms` happens (or happened after `sinceSeq`),
     * or after `timeoutMs`, or when `signal` aborts.
     */
    wait(userId: string, rooms: ReadonlySet<string>, timeoutMs: number, sinceSeq: number, signal?: AbortSignal): Promise<void> {
      if ((lastUser.get(userId) ?? 0) > sinceSeq) return Promise.resolve();
      for (const r of rooms) if ((lastRoom.get(r) ?? 0) > sinceSeq) return Promise.resolve();
      return new Promise((resolve) => {
        const waiter: Waiter = { userId, rooms, wake: () => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); resolve(); } };
        const onAbort = () => { waiters.delete(waiter); waiter.wake(); };
        const timer = setTimeout(() => { waiters.delete(waiter); waiter.wake(); }, timeoutMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.add(waiter);
      });
    },
    /** Wakes every waiter (shutdown). */
    wakeAll(): void { wakeMatching({ kind: 'all' }); },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
