/** The end-to-end parts of /sync (to_device, device_lists, one-time key counts, unused fallback key types) and the device-list delta /keys/changes shares. */
import type { Store } from '../storage/types.js';
import type { DeviceListChange } from '../storage/e2e-types.js';
import type { E2eService } from './e2e-service.js';

/** Spec §"Send-to-Device messaging": "100 messages is recommended as a reasonable limit". */
export const TO_DEVICE_LIMIT = 100;

type Json = Record<string, unknown>;

/** What changed in the device lists a user tracks between two device-list stream positions. */
export interface DeviceListDelta {
  changed: string[];
  left: string[];
}

/**
 * Spec §"Tracking the device list for a user": from the device-list stream between `since` and
 * `upto`, the users whose devices `viewer` must re-query (`changed`: key changes of users sharing a
 * room, users who joined a room with the viewer, everyone in a room the viewer joined) and those no
 * longer sharing any room (`left`). Like Synapse, every shared room counts, encrypted or not.
 */
export async function deviceListDelta(store: Store, viewer: string, since: number, upto: number): Promise<DeviceListDelta> {
  const rows = await store.deviceLists.changesBetween(since, upto);
  if (rows.length === 0) return { changed: [], left: [] };
  const joinedRooms = new Set((await store.rooms.roomsForUser(viewer)).filter((m) => m.membership === 'join').map((m) => m.roomId));
  const membersCache = new Map<string, string[]>();
  const joinedMembers = async (roomId: string): Promise<string[]> => {
    let m = membersCache.get(roomId);
    if (!m) membersCache.set(roomId, (m = (await store.rooms.membersOfRoom(roomId)).filter((x) => x.membership === 'join').map((x) => x.userId)));
    return m;
  };
  const shared = new Set<string>([viewer]);
  for (const roomId of joinedRooms) for (const u of await joinedMembers(roomId)) shared.add(u);

  const changed = new Set<string>();
  const left = new Set<string>();
  for (const row of rows) await apply(row);
  for (const u of changed) left.delete(u);
  left.delete(viewer);
  return { changed: [...changed].sort(), left: [...left].sort() };

  async function apply(row: DeviceListChange): Promise<void> {
    if (row.viewer !== '' && row.viewer !== viewer) return;
    if (row.roomId === '') {
      // Keys changed: users sharing a room are told; a viewer-only row (signatures) always.
      if (row.viewer === viewer || shared.has(row.userId)) changed.add(row.userId);
    } else if (row.userId === viewer) {
      // The viewer joined a room: everyone in it matters now; left it: those sharing nothing else are gone.
      for (const u of await joinedMembers(row.roomId)) {
        if (joinedRooms.has(row.roomId)) changed.add(u);
        else if (!shared.has(u)) left.add(u);
      }
    } else if (joinedRooms.has(row.roomId)) {
      // Someone joined or left one of the viewer's rooms.
      if (shared.has(row.userId)) changed.add(row.userId);
      else left.add(row.userId);
    }
  }
}

/** Stream positions as the e2e sections read them. */
interface Positions { toDevice: number; deviceLists: number }

/** The e2e sections of one /sync response, plus where the to-device stream stopped when more messages wait. */
export interface E2eSyncSections {
  body: Json;
  empty: boolean;
  /** Set when the to-device section was cut at {@link TO_DEVICE_LIMIT}: the stream id of its last message. */
  toDeviceUpto?: number;
}

/** The per-device e2e state /sync reports, backed by the store and the e2e service's stream positions. */
export function createE2eSync(deps: { store: Store; e2e: Pick<E2eService, 'toDevicePosition' | 'deviceListPosition'> }) {
  const { store } = deps;
  /** Per device: the last to-device stream id handed out and not yet acknowledged. */
  const unacked = new Map<string, number>();
  const swept = new Set<string>();
  return {
    toDevicePosition: () => deps.e2e.toDevicePosition(),
    deviceListPosition: () => deps.e2e.deviceListPosition(),
    async sections(userId: string, deviceId: string, since: Positions | null, upto: Positions): Promise<E2eSyncSections> {
      // Spec: a sync with a later token acknowledges the to-device messages of the response before it.
      // The delete is a write, so it runs only when something delivered waits for it (and once per device after a start).
      const key = `${userId}\u0000${deviceId}`;
      const waiting = unacked.get(key);
      if (since !== null && since.toDevice > 0 && (!swept.has(key) || (waiting !== undefined && waiting <= since.toDevice))) {
        await store.toDevice.deleteUpTo(userId, deviceId, since.toDevice);
        swept.add(key);
        unacked.delete(key);
      }
      const messages = await store.toDevice.pending(userId, deviceId, since?.toDevice ?? 0, upto.toDevice, TO_DEVICE_LIMIT);
      if (messages.length) unacked.set(key, messages.at(-1)!.streamId);
      // Spec §"Extensions to /sync" (e2e): device_lists is only populated for an incremental sync.
      const lists = since === null ? { changed: [], left: [] } : await deviceListDelta(store, userId, since.deviceLists, upto.deviceLists);
      // As Synapse, signed_curve25519 is always counted, so clients can tell zero from unknown.
      const counts = { signed_curve25519: 0, ...(await store.e2eKeys.countOneTimeKeys(userId, deviceId)) };
      return {
        body: {
          to_device: { events: messages.map((m) => ({ sender: m.sender, type: m.type, content: m.content })) },
          device_lists: lists,
          device_one_time_keys_count: counts,
          device_unused_fallback_key_types: await store.e2eKeys.unusedFallbackKeyTypes(userId, deviceId),
        },
        empty: messages.length === 0 && lists.changed.length === 0 && lists.left.length === 0,
        ...(messages.length === TO_DEVICE_LIMIT ? { toDeviceUpto: messages.at(-1)!.streamId } : {}),
      };
    },
  };
}

export type E2eSync = ReturnType<typeof createE2eSync>;
