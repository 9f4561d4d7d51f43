/** The parts of /sync beside room timelines: ephemeral events, account data, unread counts, and the per-user sections. */
import type { SyncPosition } from './sync-token.js';
import type { SyncRequest, SyncDeps } from './sync-service.js';

type Json = Record<string, unknown>;

/** Per-user data sources the sync engine reads; each area module provides its part. */
export interface SyncExtras {
  accountDataPosition(): Promise<number>;
  toDevicePosition(): number;
  /** The device-list stream position (end-to-end encryption); absent: 0. */
  deviceListPosition?(): number;
  /** Rooms whose account data changed in (since, upto]. */
  roomsWithAccountData(userId: string, since: number, upto: number): Promise<Set<string>>;
  /** Room account data events changed after `since` (all when since is null). */
  roomAccountData(userId: string, roomId: string, since: number | null): Promise<Array<{ type: string; content: unknown }>>;
  /**
   * Global account data, presence, to-device and device list sections. `toDeviceUpto`: the to-device
   * section was cut short, so next_batch's to-device position is that message's id rather than upto's.
   */
  userSections(req: SyncRequest, since: SyncPosition | null, upto: SyncPosition, joinedRoomIds: string[]): Promise<{ body: Json; empty: boolean; toDeviceUpto?: number }>;
  /** Notification counts for a joined room. */
  unreadCounts(userId: string, roomId: string): Promise<{ notification_count: number; highlight_count: number; threads?: Record<string, { notification_count: number; highlight_count: number }> }>;
}

/** Ephemeral events, room account data and unread counts of one joined room. */
export async function roomExtras(
  deps: SyncDeps, req: SyncRequest, roomId: string, since: SyncPosition | null, upto: SyncPosition, receiptContent: Record<string, unknown> | undefined,
  /** Whether the room's account data may have changed since `since` (always true for an initial sync). */
  accountDataChanged = true,
): Promise<{ body: Json; empty: boolean }> {
  const ephemeral: Array<{ type: string; content: unknown }> = [];
  if (req.opts.ephemeralAllowed('m.typing') && (since === null || deps.typing.changedSince(roomId, since.typing))) {
    const users = deps.typing.usersTyping(roomId);
    if (since !== null || users.length) ephemeral.push({ type: 'm.typing', content: { user_ids: users } });
  }
  if (receiptContent && req.opts.ephemeralAllowed('m.receipt')) ephemeral.push({ type: 'm.receipt', content: receiptContent });
  const accountData = !accountDataChanged ? []
    : (await deps.extras.roomAccountData(req.userId, roomId, since?.accountData ?? null)).filter((e) => req.opts.accountDataAllowed(e.type));
  const counts = await deps.extras.unreadCounts(req.userId, roomId);
  const { threads, ...main } = counts;
  void upto;
  return {
    body: {
      ephemeral: { events: ephemeral },
      account_data: { events: accountData },
      unread_notifications: main,
      ...(threads && Object.keys(threads).length ? { unread_thread_notifications: threads } : {}),
    },
    empty: ephemeral.length === 0 && accountData.length === 0,
  };
}

/** Extras with no per-user data yet: empty sections in the shapes clients expect. */
export function emptySyncExtras(): SyncExtras {
  return {
    accountDataPosition: async () => 0,
    toDevicePosition: () => 0,
    roomAccountData: async () => [],
    roomsWithAccountData: async () => new Set(),
    userSections: async () => ({
      body: {
        account_data: { events: [] }, presence: { events: [] }, to_device: { events: [] },
        device_lists: { changed: [], left: [] }, device_one_time_keys_count: {}, device_unused_fallback_key_types: [],
      },
      empty: true,
    }),
    unreadCounts: async () => ({ notification_count: 0, highlight_count: 0 }),
  };
}
