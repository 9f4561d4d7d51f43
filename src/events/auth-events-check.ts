/** The auth rules on an event's auth_events (rule 2 in v1–v11; rules 2 and 3 in v12): duplicates, selection, rejection, create event, room. */
import { type AuthContext, type CheckAuthOptions, createEventOf, referenceIds } from './auth-common.js';
import { authTypesForEvent } from './auth-events-selection.js';
import { rejectBy, type AuthResult } from './auth-rule-numbers.js';
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import { stateMapKey } from './state-map.js';
import type { Pdu } from './types.js';

const PASS: AuthResult = Object.freeze({ allowed: true });

function keyOf(ev: Pdu): string {
  return typeof ev.state_key === 'string' ? stateMapKey(ev.type, ev.state_key) : `${ev.type}\u0000(no state_key)`;
}

function expectedKeys(event: Pdu, rv: RoomVersion): Set<string> {
  return new Set(authTypesForEvent(event, rv).map((t) => stateMapKey(t.type, t.stateKey)));
}

/**
 * v12 rule 2: the room id must be the id of an accepted m.room.create event with `!` for `$`. The
 * create event is the one the caller put among the auth events (it is not cited in v12).
 * @example checkRoomIdFromCreate(event, { rv: getRoomVersion('12')!, authEvents, options: {} }).allowed
 */
export function checkRoomIdFromCreate(event: Pdu, ctx: AuthContext): AuthResult {
  const { rv } = ctx;
  const create = createEventOf(ctx.authEvents);
  const id = create?.event_id;
  // 2. If the event's room_id is not an event ID for an accepted (not rejected) m.room.create event,
  // with the sigil ! instead of $, reject.
  if (create === undefined || typeof id !== 'string' || !id.startsWith('$')) {
    return rejectBy(rv, 'roomIdFromCreate', 'no m.room.create event (with an id) for the room');
  }
  if (event.room_id !== `!${id.slice(1)}`) return rejectBy(rv, 'roomIdFromCreate', `room_id is not !${id.slice(1)}`);
  if (ctx.options.isRejected?.(id) === true) return rejectBy(rv, 'roomIdFromCreate', 'the m.room.create event was rejected');
  return PASS;
}

/**
 * Rules 2.1–2.5 (v12: 3.1–3.5) on the exact list of events an event cites, as fetched by id
 * (receipt check 4). Returns `{ allowed: true }` when they pass; the other rules are `checkAuth`'s.
 * @example checkAuthEventList(event, event.auth_events.map(getEvent), '10', { isRejected }).allowed
 */
export function checkAuthEventList(
  event: Pdu, authEventList: readonly Pdu[], roomVersion: RoomVersion | string, options: CheckAuthOptions = {},
): AuthResult {
  const rv = resolveRoomVersion(roomVersion);
  // v12: a create event the caller added (it is implied by room_id, e.g. by auth-chain's authEventIds)
  // is not an entry of auth_events unless the event really cites it.
  const cited = new Set(referenceIds(event.auth_events));
  const list = rv.roomIdFromCreateEvent
    ? authEventList.filter((ev) => ev.type !== 'm.room.create' || (typeof ev.event_id === 'string' && cited.has(ev.event_id)))
    : authEventList;
  const seen = new Set<string>();
  // 2.1 / 3.1 If there are duplicate entries for a given type and state_key pair, reject.
  for (const ev of list) {
    const key = keyOf(ev);
    if (seen.has(key)) return rejectBy(rv, 'authEvents.duplicate', `duplicate auth event for ${ev.type} ${JSON.stringify(ev.state_key)}`);
    seen.add(key);
  }
  // 2.2 / 3.2 If there are entries whose type and state_key don't match those specified by the auth
  // events selection algorithm, reject (v12: m.room.create must not be selected).
  const expected = expectedKeys(event, rv);
  for (const ev of list) {
    if (!expected.has(keyOf(ev))) return rejectBy(rv, 'authEvents.unexpected', `unexpected auth event ${ev.type} ${JSON.stringify(ev.state_key)}`);
  }
  // 2.3 / 3.3 If there are entries which were themselves rejected, reject.
  for (const ev of list) {
    if (typeof ev.event_id === 'string' && options.isRejected?.(ev.event_id) === true) {
      return rejectBy(rv, 'authEvents.rejected', `auth event ${ev.event_id} was rejected`);
    }
  }
  // 2.4 (not v12) If there is no m.room.create event among the entries, reject.
  if (!rv.roomIdFromCreateEvent && !list.some((ev) => ev.type === 'm.room.create' && ev.state_key === '')) {
    return rejectBy(rv, 'authEvents.noCreate', 'no m.room.create among the auth events');
  }
  // 2.5 / 3.5 If any event in auth_events has a room_id which does not match that of the event being authorised, reject.
  for (const ev of list) {
    if (ev.room_id !== event.room_id) return rejectBy(rv, 'authEvents.roomId', `auth event ${ev.event_id ?? ev.type} is in another room`);
  }
  return PASS;
}

/**
 * The same rules as far as a state map allows (duplicates cannot occur in a map): entries the event
 * cites must be of selected types and not rejected, the create event must be there (not v12), and
 * every entry must be in the event's room (the v12 create event carries no room_id).
 * @example checkAuthEventMap(event, { rv: getRoomVersion('10')!, authEvents, options: {} }).allowed
 */
export function checkAuthEventMap(event: Pdu, ctx: AuthContext): AuthResult {
  const { rv, authEvents } = ctx;
  const cited = new Set(referenceIds(event.auth_events));
  const expected = expectedKeys(event, rv);
  for (const [key, ev] of authEvents) {
    if (typeof ev.event_id !== 'string' || !cited.has(ev.event_id)) continue;
    // 2.2 / 3.2 A cited entry whose type and state_key the auth events selection does not pick: reject.
    if (!expected.has(key)) return rejectBy(rv, 'authEvents.unexpected', `unexpected auth event ${ev.type} ${JSON.stringify(ev.state_key)}`);
    // 2.3 / 3.3 A cited entry which was itself rejected: reject.
    if (ctx.options.isRejected?.(ev.event_id) === true) return rejectBy(rv, 'authEvents.rejected', `auth event ${ev.event_id} was rejected`);
  }
  // 2.4 (not v12) If there is no m.room.create event among the entries, reject.
  if (!rv.roomIdFromCreateEvent && createEventOf(authEvents) === undefined) {
    return rejectBy(rv, 'authEvents.noCreate', 'no m.room.create among the auth events');
  }
  // 2.5 / 3.5 If any auth event has a room_id which does not match that of the event, reject.
  for (const [key, ev] of authEvents) {
    if (rv.roomIdFromCreateEvent && key === stateMapKey('m.room.create', '')) continue;
    if (ev.room_id !== event.room_id) return rejectBy(rv, 'authEvents.roomId', `auth event ${ev.event_id ?? key} is in another room`);
  }
  return PASS;
}
