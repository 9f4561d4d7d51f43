/** Membership changes (join, invite, leave, kick, ban, unban, knock) as m.room.member events through the room service. */
import { MatrixError } from '../http/errors.js';
import { stateMapKey } from '../events/state-map.js';
import type { Store } from '../storage/types.js';
import type { RoomService, SendResult } from './room-service.js';
import type { EventReader } from './event-reader.js';

export interface MembershipDeps {
  rooms: RoomService;
  store: Store;
  reader: EventReader;
  serverName: string;
  memberContent: (userId: string) => Promise<Record<string, unknown>>;
}

export type MembershipAction = 'invite' | 'kick' | 'ban' | 'unban' | 'leave' | 'knock';

export function createMembership(deps: MembershipDeps) {
  const { rooms, store, reader } = deps;

  /** The target's current membership event content, if any. */
  async function currentMember(roomId: string, userId: string): Promise<Record<string, unknown> | undefined> {
    const room = await rooms.roomState(roomId);
    const id = room?.state.get(stateMapKey('m.room.member', userId));
    if (!id) return undefined;
    return (await reader.getEvent(id))?.pdu.content;
  }

  async function resolveRoom(roomIdOrAlias: string): Promise<string> {
    if (roomIdOrAlias.startsWith('#')) {
      const a = await store.rooms.getAlias(roomIdOrAlias);
      if (!a) throw new MatrixError(404, 'M_NOT_FOUND', 'Room alias not found');
      return a.roomId;
    }
    if (!roomIdOrAlias.startsWith('!')) throw new MatrixError(400, 'M_INVALID_PARAM', `${roomIdOrAlias} is not a room id or alias`);
    return roomIdOrAlias;
  }

  async function member(roomId: string, sender: string, target: string, membership: string, extra: Record<string, unknown> = {}): Promise<SendResult> {
    if (!(await rooms.roomState(roomId))) {
      throw new MatrixError(404, 'M_NOT_FOUND', 'No known room with that id');
    }
    return rooms.send({ roomId, sender, type: 'm.room.member', stateKey: target, content: { ...extra, membership } });
  }

  return {
    resolveRoom,
    currentMember,
    /** POST /join/{roomIdOrAlias} and /rooms/{roomId}/join. Joining again while joined sends nothing. */
    async join(roomIdOrAlias: string, userId: string, reason?: string): Promise<string> {
      const roomId = await resolveRoom(roomIdOrAlias);
      const now = await currentMember(roomId, userId);
      if (now?.membership === 'join') return roomId;
      await member(roomId, userId, userId, 'join', { ...(await deps.memberContent(userId)), ...(reason ? { reason } : {}) });
      return roomId;
    },
    /** invite, kick, ban, unban, leave, knock; `target` is the sender for leave and knock. */
    async change(action: MembershipAction, roomId: string, sender: string, target: string, reason?: string): Promise<SendResult | undefined> {
      const extra: Record<string, unknown> = reason ? { reason } : {};
      const now = await currentMember(roomId, target);
      switch (action) {
        case 'invite':
          if (now?.membership === 'join') throw new MatrixError(403, 'M_FORBIDDEN', `${target} is already in the room`);
          if (now?.membership === 'ban') throw new MatrixError(403, 'M_FORBIDDEN', `${target} is banned from the room`);
          return member(roomId, sender, target, 'invite', { ...(await deps.memberContent(target)), ...extra });
        case 'kick':
          if (now?.membership !== 'join' && now?.membership !== 'invite' && now?.membership !== 'knock') throw new MatrixError(403, 'M_FORBIDDEN', `${target} is not in the room`);
          return member(roomId, sender, target, 'leave', extra);
        case 'ban':
          return member(roomId, sender, target, 'ban', extra);
        case 'unban':
          if (now?.membership !== 'ban') throw new MatrixError(403, 'M_FORBIDDEN', `${target} is not banned`);
          return member(roomId, sender, target, 'leave', extra);
        case 'leave':
          if (!(await rooms.roomState(roomId)) || now === undefined) throw new MatrixError(404, 'M_NOT_FOUND', 'You are not in that room');
          if (now.membership === 'leave' || now.membership === 'ban') return undefined;
          return member(roomId, sender, sender, 'leave', extra);
        case 'knock':
          return member(roomId, sender, sender, 'knock', { ...(await deps.memberContent(sender)), ...extra });
      }
    },
  };
}

export type Membership = ReturnType<typeof createMembership>;
