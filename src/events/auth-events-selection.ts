/** The auth events selection (server-server API §"Auth events selection"): which state an event's auth_events cite. */
import { isObject } from './auth-common.js';
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import { stateMapKey } from './state-map.js';
import type { Pdu } from './types.js';

/** A `(type, state_key)` pair of the room state. */
export interface AuthType {
  type: string;
  stateKey: string;
}

/**
 * The state an event's `auth_events` must be chosen from, in this order: the create event (not in
 * v12, MSC4291), the power levels, the sender's membership; for m.room.member also the target's
 * membership, the join rules (join, invite, knock), the third party invite of
 * `signed.token` (invite) and the `join_authorised_via_users_server` membership (join, v8+).
 * The create event itself has no auth events.
 * @example authTypesForEvent({ type: 'm.room.message', sender: '@a:hs', content: {} } as Pdu, '10')
 * // [{type:'m.room.create',stateKey:''},{type:'m.room.power_levels',stateKey:''},{type:'m.room.member',stateKey:'@a:hs'}]
 */
export function authTypesForEvent(event: Pdu, roomVersion: RoomVersion | string): AuthType[] {
  const rv = resolveRoomVersion(roomVersion);
  if (event.type === 'm.room.create') return [];
  // Every event: three distinct keys, so nothing to deduplicate (the common case: readings and messages).
  const out: AuthType[] = rv.roomIdFromCreateEvent ? [] : [{ type: 'm.room.create', stateKey: '' }];
  out.push({ type: 'm.room.power_levels', stateKey: '' }, { type: 'm.room.member', stateKey: event.sender });
  if (event.type !== 'm.room.member') return out;
  // A membership event adds up to four more, which may repeat one already chosen (the target may be the sender).
  const seen = new Set(out.map((t) => stateMapKey(t.type, t.stateKey)));
  const add = (type: string, stateKey: string): void => {
    const key = stateMapKey(type, stateKey);
    if (!seen.has(key)) { seen.add(key); out.push({ type, stateKey }); }
  };
  const content: Record<string, unknown> = isObject(event.content) ? event.content : {};
  const membership = content.membership;
  if (typeof event.state_key === 'string') add('m.room.member', event.state_key);
  if (membership === 'join' || membership === 'invite' || membership === 'knock') add('m.room.join_rules', '');
  if (membership === 'invite' && isObject(content.third_party_invite)) {
    const signed = content.third_party_invite.signed;
    if (isObject(signed) && typeof signed.token === 'string') add('m.room.third_party_invite', signed.token);
  }
  const authoriser = content.join_authorised_via_users_server;
  if (rv.restrictedJoins && membership === 'join' && typeof authoriser === 'string') add('m.room.member', authoriser);
  return out;
}

/** Where state comes from: a map keyed by `stateMapKey`, or a lookup by that key. */
export type StateLookup = ReadonlyMap<string, Pdu> | ((key: string) => Pdu | undefined);

/**
 * The auth events `checkAuth` needs for an event, taken from a state (e.g. the current state, for
 * soft-fail checks): the selected types present in the state, plus in v12 the create event, which
 * the rules need although auth_events must not cite it.
 * @example checkAuth(ev, pickAuthEvents(ev, currentState, '10'), '10')
 */
export function pickAuthEvents(event: Pdu, state: StateLookup, roomVersion: RoomVersion | string): Map<string, Pdu> {
  const rv = resolveRoomVersion(roomVersion);
  const get = typeof state === 'function' ? state : (key: string) => state.get(key);
  const out = new Map<string, Pdu>();
  const types = authTypesForEvent(event, rv);
  if (rv.roomIdFromCreateEvent && event.type !== 'm.room.create') types.unshift({ type: 'm.room.create', stateKey: '' });
  for (const { type, stateKey } of types) {
    const key = stateMapKey(type, stateKey);
    const ev = get(key);
    if (ev !== undefined) out.set(key, ev);
  }
  return out;
}

/**
 * A map of auth events keyed by `stateMapKey`, from a list (e.g. the events an event cites).
 * Later duplicates win; `checkAuthEventList` is what rejects duplicates.
 * @example authEventMap([createEvent, powerLevelsEvent]).get(stateMapKey('m.room.create', ''))
 */
export function authEventMap(events: Iterable<Pdu>): Map<string, Pdu> {
  const out = new Map<string, Pdu>();
  for (const ev of events) if (typeof ev.state_key === 'string') out.set(stateMapKey(ev.type, ev.state_key), ev);
  return out;
}
