/** The authorization rules of room versions 1–12 (rooms/vN §"Authorization rules"): the `checkAuth` dispatcher and the short rules. */
import {
  type AuthContext, type AuthEventMap, type CheckAuthOptions, createEventOf, domainOf, hasKey, isObject,
  isValidUserId, membershipOf,
} from './auth-common.js';
import { checkAuthEventList, checkAuthEventMap, checkRoomIdFromCreate } from './auth-events-check.js';
import { checkMemberEvent } from './auth-member.js';
import { checkPowerLevelsEvent } from './auth-power-change.js';
import { getNamedLevel, getPowerLevel, getRequiredLevel } from './auth-power-levels.js';
import { allowBy, hasRedactionAuthRule, rejectBy, type AuthResult } from './auth-rule-numbers.js';
import { getRoomVersion, type RoomVersion } from './room-versions.js';
import type { Pdu } from './types.js';

export type { AuthResult, RuleKey } from './auth-rule-numbers.js';
export { ruleNumber } from './auth-rule-numbers.js';
export type { AuthEventMap, CheckAuthOptions } from './auth-common.js';
export { domainOf, isValidUserId, isValidServerName } from './auth-common.js';
export { authTypesForEvent, pickAuthEvents, authEventMap, type AuthType, type StateLookup } from './auth-events-selection.js';
export { checkAuthEventList } from './auth-events-check.js';
export { thirdPartyInvitePublicKeys } from './auth-third-party.js';

/** Rule 1: m.room.create. */
function checkCreate(event: Pdu, rv: RoomVersion): AuthResult {
  const content: Record<string, unknown> = isObject(event.content) ? event.content : {};
  // 1.1 If it has any prev_events, reject.
  if (Array.isArray(event.prev_events) && event.prev_events.length > 0) {
    return rejectBy(rv, 'create.prevEvents', 'm.room.create has prev_events');
  }
  if (rv.roomIdFromCreateEvent) {
    // 1.2 (v12) If the event has a room_id, reject.
    if (hasKey(event, 'room_id')) return rejectBy(rv, 'create.roomId', 'm.room.create has a room_id');
  } else if (typeof event.room_id !== 'string' || domainOf(event.room_id) !== domainOf(event.sender)) {
    // 1.2 If the domain of the room_id does not match the domain of the sender, reject.
    return rejectBy(rv, 'create.roomId', 'room_id domain does not match the sender domain');
  }
  // 1.3 If content.room_version is present and is not a recognised version, reject.
  if (hasKey(content, 'room_version') && (typeof content.room_version !== 'string' || getRoomVersion(content.room_version) === undefined)) {
    return rejectBy(rv, 'create.roomVersion', `unknown room_version ${JSON.stringify(content.room_version)}`);
  }
  // 1.4 (v1–v10) If content has no creator property, reject.
  if (!rv.implicitRoomCreator && !hasKey(content, 'creator')) return rejectBy(rv, 'create.creator', 'no creator in content');
  // 1.4 (v12) If additional_creators is present in content and is not an array of strings where each
  // string passes the same user ID validation applied to sender, reject.
  if (rv.privilegedCreators && hasKey(content, 'additional_creators')) {
    const extra = content.additional_creators;
    if (!Array.isArray(extra) || !extra.every((u) => isValidUserId(u))) {
      return rejectBy(rv, 'create.additionalCreators', 'additional_creators is not an array of user IDs');
    }
  }
  // 1.5 (1.4 in v11) Otherwise, allow.
  return allowBy(rv, 'create.allow');
}

/** Rule 4 (v1–v5): m.room.aliases. */
function checkAliases(event: Pdu, rv: RoomVersion): AuthResult {
  // 4.1 If event has no state_key, reject.
  if (typeof event.state_key !== 'string') return rejectBy(rv, 'aliases.stateKey', 'm.room.aliases has no state_key');
  // 4.2 If sender's domain doesn't match state_key, reject.
  if (domainOf(event.sender) !== event.state_key) return rejectBy(rv, 'aliases.domain', "state_key is not the sender's domain");
  // 4.3 Otherwise, allow.
  return allowBy(rv, 'aliases.allow');
}

/** Rule 11 (v1–v2): m.room.redaction. */
function checkRedaction(event: Pdu, ctx: AuthContext): AuthResult {
  const { rv, authEvents } = ctx;
  // 11.1 If the sender's power level is greater than or equal to the redact level, allow.
  if (getPowerLevel(event.sender, authEvents, rv) >= getNamedLevel('redact', authEvents, rv)) return allowBy(rv, 'redaction.level');
  // 11.2 If the domain of the event_id of the event being redacted is the same as the domain of the
  // event_id of the m.room.redaction, allow.
  const redacts = event.redacts;
  if (typeof redacts === 'string' && typeof event.event_id === 'string' && domainOf(redacts) === domainOf(event.event_id)) {
    return allowBy(rv, 'redaction.domain');
  }
  // 11.3 Otherwise, reject.
  return rejectBy(rv, 'redaction.reject', 'sender is below the redact level and the redacted event is from another server');
}

/** The rules after the member rule: 6–12 (v1–v2), 6–11 (v3–v5), 5–10 (v6–v11), 6–11 (v12). */
function checkNonMember(event: Pdu, ctx: AuthContext): AuthResult {
  const { rv, authEvents } = ctx;
  // 6 (v1–v5, v12) / 5 (v6–v11) If the sender's current membership state is not join, reject.
  if (membershipOf(authEvents, event.sender) !== 'join') return rejectBy(rv, 'senderJoined', 'sender is not joined');
  const senderLevel = getPowerLevel(event.sender, authEvents, rv);
  if (event.type === 'm.room.third_party_invite') {
    // 7.1 / 6.1 / 7.1 Allow if and only if sender's current power level is greater than or equal to the invite level.
    return senderLevel >= getNamedLevel('invite', authEvents, rv)
      ? allowBy(rv, 'thirdPartyInviteEvent')
      : rejectBy(rv, 'thirdPartyInviteEvent', 'sender is below the invite level');
  }
  const isState = typeof event.state_key === 'string';
  const required = getRequiredLevel(event.type, isState, authEvents, rv);
  // 8 / 7 / 8 If the event type's required power level is greater than the sender's power level, reject.
  if (required > senderLevel) return rejectBy(rv, 'requiredLevel', `${event.type} needs level ${required}, sender has ${senderLevel}`);
  // 9 / 8 / 9 If the event has a state_key that starts with an @ and does not match the sender, reject.
  if (isState && (event.state_key as string).startsWith('@') && event.state_key !== event.sender) {
    return rejectBy(rv, 'stateKey', 'state_key is another user ID');
  }
  // 10 / 9 / 10 If type is m.room.power_levels: (auth-power-change.ts)
  if (event.type === 'm.room.power_levels') return checkPowerLevelsEvent(event, ctx);
  // 11 (v1–v2 only) If type is m.room.redaction:
  if (event.type === 'm.room.redaction' && hasRedactionAuthRule(rv)) return checkRedaction(event, ctx);
  // 12 (v1–v2) / 11 (v3–v5, v12) / 10 (v6–v11) Otherwise, allow.
  return allowBy(rv, 'otherwise');
}

/**
 * Whether `event` passes the authorization rules of its room version against `authEvents` (keyed by
 * `stateMapKey(type, stateKey)`): the event's own auth events (receipt check 4), the state before it
 * (check 5), the current state (check 6, soft failure) or the partial state of state resolution.
 * Auth events must carry their `event_id`. In v12 the create event must be in `authEvents` although
 * auth_events does not cite it. Pass `options.authEventList` to check the cited list itself
 * (duplicates); `options.isRejected` for rejected auth events.
 * Every rejection's `reason` names the rule, e.g. 'v10 auth §4.3.3: sender is banned'.
 * @example checkAuth(joinEvent, authEventMap([create, powerLevels, joinRules]), '10') // { allowed: true, rule: 'v10 auth §4.3.6' }
 */
export function checkAuth(
  event: Pdu, authEvents: AuthEventMap, roomVersion: RoomVersion | string, options: CheckAuthOptions = {},
): AuthResult {
  const rv = typeof roomVersion === 'string' ? getRoomVersion(roomVersion) : roomVersion;
  if (rv === undefined) return { allowed: false, reason: `unknown room version ${JSON.stringify(roomVersion)}` };
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || typeof event.sender !== 'string') {
    return { allowed: false, reason: 'not an event: type or sender missing' };
  }
  const ctx: AuthContext = { rv, authEvents, options };
  // 1 If type is m.room.create:
  if (event.type === 'm.room.create') return checkCreate(event, rv);
  // 2 (v12) The room_id must be the id of an accepted m.room.create event.
  if (rv.roomIdFromCreateEvent) {
    const r = checkRoomIdFromCreate(event, ctx);
    if (!r.allowed) return r;
  }
  // 2 / 3 (v12) Considering the event's auth_events:
  if (options.authEventList !== undefined) {
    const r = checkAuthEventList(event, options.authEventList, rv, options);
    if (!r.allowed) return r;
  }
  const fromMap = checkAuthEventMap(event, ctx);
  if (!fromMap.allowed) return fromMap;
  const create = createEventOf(authEvents)!;
  // 3 / 4 (v12) If the content of the m.room.create event in the room state has the property m.federate
  // set to false, and the sender domain of the event does not match the sender domain of the create event, reject.
  if (isObject(create.content) && create.content['m.federate'] === false && domainOf(event.sender) !== domainOf(create.sender)) {
    return rejectBy(rv, 'federate', 'the room is not federated and the sender is from another server');
  }
  // 4 (v1–v5) If type is m.room.aliases:
  if (event.type === 'm.room.aliases' && rv.specialCaseAliasesAuth) return checkAliases(event, rv);
  // 5 (v1–v5, v12) / 4 (v6–v11) If type is m.room.member: (auth-member.ts)
  if (event.type === 'm.room.member') return checkMemberEvent(event, ctx);
  return checkNonMember(event, ctx);
}
