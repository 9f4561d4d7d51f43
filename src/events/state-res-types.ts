/** Types shared by the state resolution modules: the caller's lookups and the per-run context. */
import type { AuthIdsOf, GetEvent } from './auth-chain.js';
import type { RoomVersion } from './room-versions.js';
import type { IdentifiedPdu, Pdu } from './types.js';

/** The auth rules check used by the iterative auth checks: `authEvents` is keyed by `stateMapKey`. */
export type CheckAuthFn = (
  event: Pdu,
  authEvents: ReadonlyMap<string, Pdu>,
  roomVersion: RoomVersion,
) => { allowed: boolean; reason?: string };

/** The `(type, state_key)` pairs the auth rules need for an event (the auth events selection). */
export type AuthTypesFn = (event: Pdu, roomVersion: RoomVersion) => ReadonlyArray<{ type: string; stateKey: string }>;

/** What `resolveState` needs from its caller. Everything is synchronous: preload the events. */
export interface StateResLookups {
  /** Every event of the state sets and of their auth chains; unknown ids are skipped (as Synapse does). */
  getEvent(id: string): IdentifiedPdu | undefined;
  /**
   * True for an event rejected against its own auth events. Such an event never enters the
   * resolved state and is never used as an auth event. Events rejected only against the state
   * before them must not be flagged: the algorithm re-checks them as usual (v2 "Rejected events").
   */
  isRejected?(id: string): boolean;
  /** The auth rules; defaults to `checkAuth` of auth-rules.ts. */
  checkAuth?: CheckAuthFn;
  /** The auth events selection; defaults to `authTypesForEvent` of auth-rules.ts. */
  authTypesForEvent?: AuthTypesFn;
}

/** One resolution run: the room version, memoised lookups and the auth functions. */
export interface ResolutionContext {
  rv: RoomVersion;
  getEvent: GetEvent;
  authIds: AuthIdsOf;
  isRejected(id: string): boolean;
  checkAuth: CheckAuthFn;
  authTypes: AuthTypesFn;
}
