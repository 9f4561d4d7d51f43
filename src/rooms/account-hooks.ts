/** What account changes do to rooms: a new display name or avatar is sent into every joined room; deactivation leaves them all. */
import type { Store } from '../storage/types.js';
import type { RoomService } from './room-service.js';
import type { Membership } from './membership.js';
import type { ProfileChange } from '../accounts/hooks.js';

export function createRoomHooks(deps: { store: Store; rooms: RoomService; membership: Membership; memberContent: (userId: string) => Promise<Record<string, unknown>> }) {
  return {
    /** Spec "Profiles": a change is sent as a new m.room.member join event into each room the user is in. */
    async onProfileChange(userId: string, _profile: ProfileChange): Promise<void> {
      const content = await deps.memberContent(userId);
      for (const m of await deps.store.rooms.roomsForUser(userId)) {
        if (m.membership !== 'join') continue;
        await deps.rooms.send({ roomId: m.roomId, sender: userId, type: 'm.room.member', stateKey: userId, content: { ...content, membership: 'join' } });
      }
    },
    /** Deactivation leaves every joined room and rejects every invite and knock. */
    async onDeactivate(userId: string): Promise<void> {
      for (const m of await deps.store.rooms.roomsForUser(userId)) {
        if (m.membership === 'join' || m.membership === 'invite' || m.membership === 'knock') {
          await deps.membership.change('leave', m.roomId, userId, userId).catch(() => undefined);
        }
      }
    },
  };
}
