/** POST /rooms/{roomId}/upgrade's logic: the replacement room, its copied state, moved aliases, the tombstone and the old room's power levels. */
import { randomBytes } from 'node:crypto';
import { getCreators } from '../events/auth-power-levels.js';
import { getRoomVersion, type RoomVersion } from '../events/room-versions.js';
import { stateMapKey } from '../events/state-map.js';
import { MatrixError, forbidden } from '../http/errors.js';
import type { Logger } from '../log.js';
import type { StoredEvent } from '../storage/room-types.js';
import type { Store } from '../storage/types.js';
import type { EventReader } from './event-reader.js';
import type { RoomService } from './room-service.js';
import { effectiveContent, roomPower } from './room-power.js';
import {
  COPIED_KEYED_STATE_TYPES, COPIED_STATE_TYPES, levelNeededToCopy, restrictedPowerLevels, upgradedPowerLevels, withUserAtLeast,
} from './room-upgrade-state.js';

export interface RoomUpgradeDeps {
  rooms: RoomService;
  reader: EventReader;
  store: Store;
  serverName: string;
  log: Logger;
  memberContent: (userId: string) => Promise<Record<string, unknown>>;
}

export interface UpgradeRequest {
  newVersion: string;
  /** v12+: users to name as creators beside the upgrader (not copied from the old room, spec v1.16). */
  additionalCreators?: readonly string[];
}

type Json = Record<string, unknown>;

export function createRoomUpgrader(deps: RoomUpgradeDeps) {
  const { rooms, reader, store, serverName, log } = deps;
  /** Identical concurrent requests (same room, user, version) share one upgrade, as Synapse's response cache does. */
  const inFlight = new Map<string, Promise<string>>();

  /** A best-effort event: the upgrade has happened even if this one is refused. */
  async function tryToSend(roomId: string, sender: string, type: string, content: Json): Promise<void> {
    try {
      await rooms.send({ roomId, sender, type, stateKey: '', content });
    } catch (err) {
      log.info({ roomId, type, error: (err as Error).message }, 'room upgrade: optional event refused');
    }
  }

  async function upgrade(userId: string, oldRoomId: string, req: UpgradeRequest): Promise<string> {
    const rv = getRoomVersion(req.newVersion);
    if (!rv) throw new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', 'This server does not support that room version');
    const power = await roomPower(rooms, reader, oldRoomId);
    if (!power) throw new MatrixError(404, 'M_NOT_FOUND', 'Unknown room id');
    // 1. Checks that the user has permission to send m.room.tombstone events in the room.
    if (!(await power.maySend(userId, 'm.room.tombstone', true))) throw forbidden('You cannot upgrade this room');
    const oldState = await rooms.currentStateEvents(oldRoomId);
    const content = (type: string) => {
      const e = oldState.get(stateMapKey(type, ''));
      return e && effectiveContent(e, power.rv);
    };

    const newRoomId = await createReplacement(userId, oldRoomId, rv, power.create?.content ?? {}, req);
    const send = (type: string, stateKey: string, c: Json) => rooms.send({ roomId: newRoomId, sender: userId, type, stateKey, content: c });
    await send('m.room.member', userId, { ...(await deps.memberContent(userId)), membership: 'join' });
    await copyState(userId, oldState, power.rv, rv, getCreators(power.create, power.rv), send, newRoomId);

    // 5. Sends a m.room.tombstone event to the old room.
    await rooms.send({ roomId: oldRoomId, sender: userId, type: 'm.room.tombstone', stateKey: '', content: { body: 'This room has been replaced', replacement_room: newRoomId } });
    // 6. Restricts the old room's power levels so members can no longer send or invite.
    const oldPl = content('m.room.power_levels');
    const restricted = oldPl && restrictedPowerLevels(oldPl, power.rv);
    if (restricted) await tryToSend(oldRoomId, userId, 'm.room.power_levels', restricted);
    // 4. Moves any local aliases (and the canonical alias, and the directory listing) to the new room.
    for (const alias of await store.rooms.aliasesForRoom(oldRoomId)) {
      const entry = await store.rooms.getAlias(alias);
      if (!entry || !(await store.rooms.deleteAlias(alias))) continue;
      await store.rooms.createAlias(alias, newRoomId, entry.creator);
    }
    const canonical = content('m.room.canonical_alias');
    if (canonical && (canonical.alias !== undefined || canonical.alt_aliases !== undefined)) {
      await tryToSend(oldRoomId, userId, 'm.room.canonical_alias', {});
      await tryToSend(newRoomId, userId, 'm.room.canonical_alias', canonical);
    }
    if ((await store.rooms.getRoom(oldRoomId))?.isPublic) {
      await store.rooms.setRoomPublic(newRoomId, true);
      await store.rooms.setRoomPublic(oldRoomId, false);
    }
    return newRoomId;
  }

  /** 2. The replacement room's m.room.create: `predecessor`, the new `room_version`, and `type` (and `m.federate`) copied. */
  async function createReplacement(userId: string, oldRoomId: string, rv: RoomVersion, oldCreate: Json, req: UpgradeRequest): Promise<string> {
    const [last] = await store.rooms.roomEvents({ roomId: oldRoomId, from: rooms.position() + 1, to: 0, dir: 'b', limit: 1 });
    const createContent: Json = { room_version: rv.id, predecessor: { room_id: oldRoomId, ...(last ? { event_id: last.pdu.event_id } : {}) } };
    if (!rv.implicitRoomCreator) createContent.creator = userId;
    if (typeof oldCreate.type === 'string') createContent.type = oldCreate.type;
    if (oldCreate['m.federate'] !== undefined) createContent['m.federate'] = oldCreate['m.federate'];
    const extra = [...new Set(req.additionalCreators ?? [])].filter((u) => u !== userId);
    if (rv.privilegedCreators && extra.length) createContent.additional_creators = extra;
    const roomIdHint = rv.roomIdFromCreateEvent ? null : `!${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}:${serverName}`;
    return (await rooms.createRoomWithCreateEvent(userId, rv, createContent, roomIdHint)).pdu.room_id;
  }

  /** 3. Replicates the transferable state and the bans, with the upgrader raised to the needed level meanwhile. */
  async function copyState(
    userId: string, oldState: ReadonlyMap<string, StoredEvent>, oldRv: RoomVersion, rv: RoomVersion, oldCreators: string[],
    send: (type: string, stateKey: string, c: Json) => Promise<unknown>, newRoomId: string,
  ): Promise<void> {
    const plEvent = oldState.get(stateMapKey('m.room.power_levels', ''));
    const oldPl = plEvent && effectiveContent(plEvent, oldRv);
    const newCreate = (await rooms.currentStateEvents(newRoomId)).get(stateMapKey('m.room.create', ''))?.pdu;
    const newCreators = getCreators(newCreate, rv);
    const finalPl = oldPl ? upgradedPowerLevels(oldPl, oldRv, rv, oldCreators, newCreators) : undefined;
    const copyPl = finalPl && !rv.privilegedCreators ? withUserAtLeast(finalPl, userId, levelNeededToCopy(finalPl)) : finalPl;
    if (copyPl) await send('m.room.power_levels', '', copyPl);
    for (const e of oldState.values()) {
      const { type, state_key: stateKey } = e.pdu;
      if (typeof stateKey !== 'string') continue;
      if (COPIED_KEYED_STATE_TYPES.includes(type) || (stateKey === '' && COPIED_STATE_TYPES.includes(type))) await send(type, stateKey, effectiveContent(e, oldRv));
    }
    for (const e of oldState.values()) {
      const target = e.pdu.state_key;
      if (e.pdu.type !== 'm.room.member' || e.pdu.content.membership !== 'ban' || typeof target !== 'string') continue;
      if (target === userId || newCreators.includes(target)) continue;
      const reason = e.pdu.content.reason;
      // A ban the new room's power levels do not allow (the target outranks the upgrader) is skipped, not fatal.
      await send('m.room.member', target, { membership: 'ban', ...(typeof reason === 'string' ? { reason } : {}) })
        .catch((err: Error) => log.info({ roomId: newRoomId, target, error: err.message }, 'room upgrade: ban not copied'));
    }
    if (copyPl && copyPl !== finalPl) await send('m.room.power_levels', '', finalPl!);
  }

  return {
    /** Upgrades `oldRoomId` for `userId` and resolves to the replacement room's id. */
    upgrade(userId: string, oldRoomId: string, req: UpgradeRequest): Promise<string> {
      const key = `${oldRoomId}\u0000${userId}\u0000${req.newVersion}`;
      const running = inFlight.get(key);
      if (running) return running;
      const p = upgrade(userId, oldRoomId, req).finally(() => inFlight.delete(key));
      inFlight.set(key, p);
      return p;
    },
  };
}

export type RoomUpgrader = ReturnType<typeof createRoomUpgrader>;
