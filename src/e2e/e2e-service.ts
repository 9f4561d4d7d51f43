/** The end-to-end encryption service: the to-device and device-list stream positions /sync reads, and the writes that move them and wake the users concerned. */
import type { Store } from '../storage/types.js';
import type { Logger } from '../log.js';
import type { Notifier, RoomEventNotice } from '../sync/notifier.js';
import type { ToDeviceDelivery } from '../storage/e2e-types.js';

export interface E2eDeps {
  store: Store;
  notifier: Notifier;
  log: Logger;
  now: () => number;
}

/** Users who share a joined room with `userId`, the user included (whose devices they track). */
export async function usersSharingRooms(store: Store, userId: string): Promise<Set<string>> {
  const users = new Set<string>([userId]);
  for (const m of await store.rooms.roomsForUser(userId)) {
    if (m.membership !== 'join') continue;
    for (const member of await store.rooms.membersOfRoom(m.roomId)) if (member.membership === 'join') users.add(member.userId);
  }
  return users;
}

/** A membership event that starts or ends a user's join: the moment their device list matters to a room, or stops. */
function joinTransition(n: RoomEventNotice): { userId: string; roomId: string } | undefined {
  const e = n.event;
  if (e.type !== 'm.room.member' || typeof e.state_key !== 'string') return undefined;
  const now = (e.content as { membership?: unknown } | undefined)?.membership;
  const prev = ((e.unsigned as { prev_content?: { membership?: unknown } } | undefined)?.prev_content)?.membership;
  if ((now === 'join') === (prev === 'join')) return undefined;
  return { userId: e.state_key, roomId: n.roomId };
}

/**
 * Builds the service; reads the stream positions from the store once, then keeps them in memory
 * (every write goes through here). Subscribes to room events to record joins and leaves.
 */
export async function createE2eService(deps: E2eDeps) {
  const { store, notifier, log } = deps;
  let toDevicePos = await store.toDevice.position();
  let deviceListPos = await store.deviceLists.position();

  const wake = (users: Iterable<string>) => { for (const u of users) notifier.user(u); };

  async function record(changes: Array<{ userId: string; roomId: string; viewer: string }>): Promise<void> {
    deviceListPos = Math.max(deviceListPos, await store.deviceLists.record(changes));
  }

  /** Device list section of /sync: a member joined or left a room; its members (and the user) are told. */
  async function membershipChanged(userId: string, roomId: string): Promise<void> {
    await record([{ userId, roomId, viewer: '' }]);
    const members = (await store.rooms.membersOfRoom(roomId)).filter((m) => m.membership === 'join').map((m) => m.userId);
    wake([userId, ...members]);
  }

  /**
   * A user's device keys, master or self-signing key changed (or a device went): everyone sharing a
   * room is told through `device_lists.changed`.
   */
  async function keysChanged(userId: string): Promise<void> {
    await record([{ userId, roomId: '', viewer: '' }]);
    wake(await usersSharingRooms(store, userId));
  }

  const unsubscribe = notifier.subscribe((n) => {
    const t = joinTransition(n);
    if (t) membershipChanged(t.userId, t.roomId).catch((err) => log.error({ err, roomId: t.roomId }, 'recording a device list change failed'));
  });

  return {
    /** The to-device stream position (5th field of sync tokens). */
    toDevicePosition: (): number => toDevicePos,
    /** The device-list stream position (7th field of sync tokens). */
    deviceListPosition: (): number => deviceListPos,

    /** Queues to-device messages once per (sender device, txnId) and wakes the recipients' syncs. */
    async sendToDevice(sender: { userId: string; deviceId: string }, txnId: string, type: string, deliveries: readonly ToDeviceDelivery[]): Promise<void> {
      const r = await store.toDevice.send(sender, txnId, type, deliveries, deps.now());
      toDevicePos = Math.max(toDevicePos, r.position);
      if (r.sent) wake(new Set(deliveries.map((d) => d.userId)));
    },

    keysChanged,

    /** Only `viewer` is told that these users' keys changed (a user-signing key, or signatures the viewer made). */
    async changedFor(viewer: string, userIds: readonly string[]): Promise<void> {
      if (userIds.length === 0) return;
      await record(userIds.map((userId) => ({ userId, roomId: '', viewer })));
      wake([viewer]);
    },

    /** The Services hook: deleted devices lose their keys and inbox, and the user's device list changed. */
    async onDevicesDeleted(userId: string, deviceIds: readonly string[]): Promise<void> {
      await store.e2eKeys.deleteDeviceKeys(userId, deviceIds);
      await store.toDevice.deleteForDevices(userId, deviceIds);
      await keysChanged(userId);
    },

    /** Stops listening to room events. */
    close(): void { unsubscribe(); },
  };
}

export type E2eService = Awaited<ReturnType<typeof createE2eService>>;
