/** State resolution entry point: picks v1, v2 or v2.1 from the room version and wires the lookups. */
import { authIdsLookup } from './auth-chain.js';
import { authTypesForEvent, checkAuth } from './auth-rules.js';
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import type { ResolutionContext, StateResLookups } from './state-res-types.js';
import { resolveStateV1 } from './state-res-v1.js';
import { resolveStateV2 } from './state-res-v2.js';

export { authChain, authDifference, conflictedSubgraph } from './auth-chain.js';
export type { AuthTypesFn, CheckAuthFn, StateResLookups } from './state-res-types.js';

/**
 * Resolves a set of room states (stateMapKey -> event id) into one, with the algorithm of the
 * room version: v1 (room v1), v2 (rooms v2–v11) or v2.1 (room v12). Synchronous: `lookups.getEvent`
 * must know every event of the state sets and of their auth chains; unknown events are skipped.
 * The result does not depend on the order of `stateSets` nor on the insertion order of the maps.
 * @example
 * const state = resolveState('10', [stateAfterA, stateAfterB], { getEvent: (id) => events.get(id) });
 * state.get(stateMapKey('m.room.power_levels', '')); // the resolved power levels event id
 */
export function resolveState(
  roomVersion: RoomVersion | string,
  stateSets: ReadonlyArray<ReadonlyMap<string, string>>,
  lookups: StateResLookups,
): Map<string, string> {
  const rv = resolveRoomVersion(roomVersion);
  if (stateSets.length === 0) return new Map();
  if (stateSets.length === 1) return new Map(stateSets[0]);
  const getEvent = (id: string) => lookups.getEvent(id);
  const isRejected = lookups.isRejected;
  const ctx: ResolutionContext = {
    rv,
    getEvent,
    authIds: authIdsLookup(getEvent, rv),
    isRejected: isRejected === undefined ? () => false : (id) => isRejected.call(lookups, id),
    checkAuth: lookups.checkAuth ?? checkAuth,
    authTypes: lookups.authTypesForEvent ?? authTypesForEvent,
  };
  return rv.stateRes === 'v1' ? resolveStateV1(stateSets, ctx) : resolveStateV2(stateSets, ctx);
}
