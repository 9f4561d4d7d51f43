/** Who may do what in a room right now: a user's membership and power level against the current state's power levels. */
import { getPowerLevel, getRequiredLevel, getNamedLevel, type NamedLevel } from '../events/auth-power-levels.js';
import type { RoomVersion } from '../events/room-versions.js';
import { stateMapKey } from '../events/state-map.js';
import type { Pdu } from '../events/types.js';
import { redact } from '../events/redaction.js';
import type { StoredEvent } from '../storage/room-types.js';
import type { EventReader } from './event-reader.js';
import type { RoomService } from './room-service.js';

export interface RoomPower {
  rv: RoomVersion;
  create: Pdu | undefined;
  powerLevels: Record<string, unknown> | undefined;
  /** The user's current membership, undefined when they never had one. */
  membership(userId: string): Promise<string | undefined>;
  /** The user's power level (Infinity for v12 creators). */
  level(userId: string): number;
  /** Whether the user is joined and their level reaches the event type's required level. */
  maySend(userId: string, type: string, isState: boolean): Promise<boolean>;
  /** Whether the user's level reaches a named level (invite, kick, ban, redact). */
  reaches(userId: string, name: NamedLevel): boolean;
}

/** An event's content as clients and the rules see it: what redaction leaves of it once redacted. */
export function effectiveContent(e: StoredEvent, rv: RoomVersion): Record<string, unknown> {
  return e.redactedBy ? redact(e.pdu, rv).content : e.pdu.content;
}

/** Reads the room's current create and power levels events; undefined for an unknown room. */
export async function roomPower(rooms: RoomService, reader: EventReader, roomId: string): Promise<RoomPower | undefined> {
  const room = await rooms.roomState(roomId);
  if (!room) return undefined;
  const createId = room.state.get(stateMapKey('m.room.create', ''));
  const plId = room.state.get(stateMapKey('m.room.power_levels', ''));
  const loaded = await reader.getEvents([createId, plId].filter((x): x is string => x !== undefined));
  const create = createId ? loaded.get(createId)?.pdu : undefined;
  const plEvent = plId ? loaded.get(plId) : undefined;
  const powerLevels = plEvent ? effectiveContent(plEvent, room.rv) : undefined;
  const source = { create, powerLevels };
  const membership = async (userId: string) => {
    const id = room.state.get(stateMapKey('m.room.member', userId));
    const m = id ? (await reader.getEvent(id))?.pdu.content.membership : undefined;
    return typeof m === 'string' ? m : undefined;
  };
  const level = (userId: string) => getPowerLevel(userId, source, room.rv);
  return {
    rv: room.rv, create, powerLevels, membership, level,
    async maySend(userId, type, isState) {
      return (await membership(userId)) === 'join' && level(userId) >= getRequiredLevel(type, isState, source, room.rv);
    },
    reaches(userId, name) { return level(userId) >= getNamedLevel(name, source, room.rv); },
  };
}
