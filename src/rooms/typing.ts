/** Typing notifications: in memory only, with timeouts, and a serial number that sync tokens carry. */
import type { Notifier } from '../sync/notifier.js';

export interface TypingDeps {
  notifier: Notifier;
  now: () => number;
  /** Longest timeout a client may ask for. */
  maxTimeoutMs?: number;
}

export function createTyping(deps: TypingDeps) {
  const rooms = new Map<string, Map<string, { until: number; timer: NodeJS.Timeout }>>();
  const changedAt = new Map<string, number>();
  // Kept in memory only: starting from the clock keeps positions rising across restarts, so an old sync token
  // never hides changes made after the restart.
  let serial = deps.now();

  function changed(roomId: string): void {
    changedAt.set(roomId, ++serial);
    deps.notifier.roomEphemeral(roomId);
  }

  function stop(roomId: string, userId: string): void {
    const r = rooms.get(roomId);
    const entry = r?.get(userId);
    if (!r || !entry) return;
    clearTimeout(entry.timer);
    r.delete(userId);
    if (r.size === 0) rooms.delete(roomId);
    changed(roomId);
  }

  return {
    /** PUT /rooms/{roomId}/typing/{userId} */
    set(roomId: string, userId: string, typing: boolean, timeoutMs = 30_000): void {
      if (!typing) return stop(roomId, userId);
      const ms = Math.min(Math.max(timeoutMs, 0), deps.maxTimeoutMs ?? 120_000);
      let r = rooms.get(roomId);
      if (!r) rooms.set(roomId, (r = new Map()));
      const old = r.get(userId);
      if (old) clearTimeout(old.timer);
      const timer = setTimeout(() => stop(roomId, userId), ms);
      timer.unref();
      r.set(userId, { until: deps.now() + ms, timer });
      if (!old) changed(roomId);
    },
    serial(): number { return serial; },
    /** Whether the room's typing set changed after `since`. */
    changedSince(roomId: string, since: number): boolean { return (changedAt.get(roomId) ?? 0) > since; },
    usersTyping(roomId: string): string[] { return [...(rooms.get(roomId)?.keys() ?? [])]; },
    close(): void {
      for (const r of rooms.values()) for (const e of r.values()) clearTimeout(e.timer);
      rooms.clear();
    },
  };
}

export type Typing = ReturnType<typeof createTyping>;
