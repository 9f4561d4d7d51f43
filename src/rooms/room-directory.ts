/** The room directory's logic: alias grammar, alias create/resolve/delete with their permission rules, and directory visibility. */
import { isValidServerName } from '../events/auth-common.js';
import { stateMapKey } from '../events/state-map.js';
import { MatrixError, forbidden } from '../http/errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../storage/types.js';
import type { EventReader } from './event-reader.js';
import type { RoomService } from './room-service.js';
import { effectiveContent, roomPower } from './room-power.js';
import { roomAccess } from './access.js';

export interface RoomDirectoryDeps {
  rooms: RoomService;
  reader: EventReader;
  store: Store;
  serverName: string;
  log: Logger;
}

/** The caller as the directory needs it. */
export interface DirectoryCaller {
  userId: string;
  admin: boolean;
}

/**
 * Splits `#localpart:domain` (appendices §"Room Aliases": the localpart is any codepoints but `:` and NUL;
 * at most 255 bytes); undefined when the alias is not valid.
 */
export function parseRoomAlias(alias: string): { localpart: string; domain: string } | undefined {
  if (!alias.startsWith('#') || Buffer.byteLength(alias) > 255 || alias.includes('\u0000')) return undefined;
  const colon = alias.indexOf(':');
  if (colon < 2) return undefined;
  const domain = alias.slice(colon + 1);
  return isValidServerName(domain) ? { localpart: alias.slice(1, colon), domain } : undefined;
}

const invalidAlias = () => new MatrixError(400, 'M_INVALID_PARAM', 'Room alias invalid');
const aliasNotFound = (alias: string) => new MatrixError(404, 'M_NOT_FOUND', `Room alias ${alias} not found.`);

export function createRoomDirectory(deps: RoomDirectoryDeps) {
  const { rooms, reader, store, serverName } = deps;

  /** A valid alias on this server's domain (400 M_INVALID_PARAM otherwise, as the spec's example shows). */
  function localAlias(alias: string): string {
    const parsed = parseRoomAlias(alias);
    if (!parsed) throw invalidAlias();
    if (parsed.domain !== serverName) throw new MatrixError(400, 'M_INVALID_PARAM', 'Room alias must be on this server');
    return alias;
  }

  /** Whether the caller may change the room's directory entries: an admin, or a member with power to send m.room.canonical_alias (as Synapse). */
  async function mayEditDirectory(roomId: string, caller: DirectoryCaller): Promise<boolean> {
    if (caller.admin) return true;
    const power = await roomPower(rooms, reader, roomId);
    return power !== undefined && (await power.maySend(caller.userId, 'm.room.canonical_alias', true));
  }

  /** Drops a deleted alias from the room's m.room.canonical_alias (Synapse does; failures are only logged). */
  async function dropFromCanonicalAlias(roomId: string, alias: string, sender: string): Promise<void> {
    const room = await rooms.roomState(roomId);
    const id = room?.state.get(stateMapKey('m.room.canonical_alias', ''));
    const event = id ? await reader.getEvent(id) : undefined;
    const content = event && effectiveContent(event, room!.rv);
    if (!content) return;
    const alt = Array.isArray(content.alt_aliases) ? content.alt_aliases : [];
    if (content.alias !== alias && !alt.includes(alias)) return;
    const next: Record<string, unknown> = { ...content, alt_aliases: alt.filter((a) => a !== alias) };
    if (content.alias === alias) delete next.alias;
    if ((next.alt_aliases as unknown[]).length === 0) delete next.alt_aliases;
    try {
      await rooms.send({ roomId, sender, type: 'm.room.canonical_alias', stateKey: '', content: next });
    } catch (err) {
      deps.log.info({ error: (err as Error).message, roomId, alias }, 'room directory: could not update m.room.canonical_alias after deleting an alias');
    }
  }

  return {
    /** GET /directory/room/{roomAlias}: the room id and the servers that know the alias. */
    async resolve(alias: string): Promise<{ room_id: string; servers: string[] }> {
      const parsed = parseRoomAlias(alias);
      if (!parsed) throw invalidAlias();
      // Remote aliases would be queried over federation, which this server does not do yet.
      const found = parsed.domain === serverName ? await store.rooms.getAlias(alias) : undefined;
      if (!found) throw aliasNotFound(alias);
      return { room_id: found.roomId, servers: [serverName] };
    },

    /** PUT /directory/room/{roomAlias}: members of the room (or admins) may add a local alias; 409 M_UNKNOWN when it is taken. */
    async create(alias: string, roomId: string, caller: DirectoryCaller): Promise<void> {
      localAlias(alias);
      const power = await roomPower(rooms, reader, roomId);
      if (!power) throw new MatrixError(404, 'M_NOT_FOUND', 'Room not found');
      if (!caller.admin && (await power.membership(caller.userId)) !== 'join') throw forbidden('You must be in the room to create an alias for it');
      if (!(await store.rooms.createAlias(alias, roomId, caller.userId))) throw new MatrixError(409, 'M_UNKNOWN', `Room alias ${alias} already exists.`);
    },

    /** DELETE /directory/room/{roomAlias}: the alias creator, an admin, or a user with power to send m.room.canonical_alias. */
    async remove(alias: string, caller: DirectoryCaller): Promise<void> {
      localAlias(alias);
      const found = await store.rooms.getAlias(alias);
      if (!found) throw aliasNotFound(alias);
      if (found.creator !== caller.userId && !(await mayEditDirectory(found.roomId, caller))) throw forbidden('You may not delete this alias');
      if (!(await store.rooms.deleteAlias(alias))) throw aliasNotFound(alias);
      await dropFromCanonicalAlias(found.roomId, alias, caller.userId);
    },

    /** GET /rooms/{roomId}/aliases: for members, anyone when the room is world-readable, and admins. */
    async localAliases(roomId: string, caller: DirectoryCaller): Promise<string[]> {
      if (!caller.admin || !(await store.rooms.getRoom(roomId))) await roomAccess(rooms, reader, roomId, caller.userId, false);
      return store.rooms.aliasesForRoom(roomId);
    },

    /** GET /directory/list/room/{roomId} */
    async visibility(roomId: string): Promise<'public' | 'private'> {
      const room = await store.rooms.getRoom(roomId);
      if (!room) throw new MatrixError(404, 'M_NOT_FOUND', 'Room not found');
      return room.isPublic ? 'public' : 'private';
    },

    /** PUT /directory/list/room/{roomId}: an admin, or a member with power to send m.room.canonical_alias. */
    async setVisibility(roomId: string, visibility: 'public' | 'private', caller: DirectoryCaller): Promise<void> {
      if (!(await store.rooms.getRoom(roomId))) throw new MatrixError(404, 'M_NOT_FOUND', 'Room not found');
      if (!(await mayEditDirectory(roomId, caller))) throw forbidden('You do not have permission to change the directory visibility of this room');
      await store.rooms.setRoomPublic(roomId, visibility === 'public');
    },
  };
}

export type RoomDirectory = ReturnType<typeof createRoomDirectory>;
