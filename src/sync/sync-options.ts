/** What one /sync request asks for, after its filter is applied: limits and predicates the room builders use. */
import type { Pdu } from '../events/types.js';

export interface SyncOptions {
  timelineLimit: number;
  lazyLoadMembers: boolean;
  includeLeave: boolean;
  fullState: boolean;
  roomAllowed(roomId: string): boolean;
  timelineEventAllowed(e: Pdu): boolean;
  stateEventAllowed(e: Pdu): boolean;
  ephemeralAllowed(type: string): boolean;
  accountDataAllowed(type: string): boolean;
  presenceAllowed(type: string): boolean;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  timelineLimit: 10,
  lazyLoadMembers: false,
  includeLeave: false,
  fullState: false,
  roomAllowed: () => true,
  timelineEventAllowed: () => true,
  stateEventAllowed: () => true,
  ephemeralAllowed: () => true,
  accountDataAllowed: () => true,
  presenceAllowed: () => true,
};
