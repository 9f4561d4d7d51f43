/** Read access to a room for a client: current member, or anyone when the room is world-readable. */
import { MatrixError } from '../http/errors.js';
import { stateMapKey } from '../events/state-map.js';
import type { EventReader } from './event-reader.js';
import type { RoomService } from './room-service.js';

export interface RoomAccess {
  membership: string | undefined;
  /** The user's membership event, for reads "as of" a leave. */
  membershipEventId: string | undefined;
  worldReadable: boolean;
}

/** Resolves how `userId` may read `roomId`; 403 M_FORBIDDEN when the user was never in it and it is not world-readable. */
export async function roomAccess(rooms: RoomService, reader: EventReader, roomId: string, userId: string, allowFormer = true): Promise<RoomAccess> {
  const room = await rooms.roomState(roomId);
  if (!room) throw new MatrixError(403, 'M_FORBIDDEN', 'You are not a member of this room');
  const memberId = room.state.get(stateMapKey('m.room.member', userId));
  const hvId = room.state.get(stateMapKey('m.room.history_visibility', ''));
  const events = await reader.getEvents([memberId, hvId].filter((x): x is string => x !== undefined));
  const membership = memberId ? String(events.get(memberId)?.pdu.content.membership ?? '') : undefined;
  const worldReadable = hvId ? events.get(hvId)?.pdu.content.history_visibility === 'world_readable' : false;
  const ok = membership === 'join' || worldReadable || (allowFormer && (membership === 'leave' || membership === 'ban'));
  if (!ok) throw new MatrixError(403, 'M_FORBIDDEN', 'You are not a member of this room');
  return { membership, membershipEventId: memberId, worldReadable };
}
