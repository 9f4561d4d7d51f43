/** Push rule conditions (spec: "Conditions"): each condition kind as a pure check of one event in its room context. */
import { lookupPath } from './dotted-path.js';
import { globMatches, globRegExp, type GlobCache } from './glob.js';
import type { PushCondition, ScalarValue } from './types.js';

/** An event as push rules see it: the client format's top-level fields (type, sender, content, state_key, room_id, …). */
export type PushEvent = Record<string, unknown> & { type: string; sender: string };

/** What the conditions need beyond the event itself; the caller looks it up in the room's current state. */
export interface PushContext {
  /** The user whose rules are evaluated. */
  userId: string;
  /** The user's display name in the room (for `contains_display_name`); null or '' when none. */
  displayName: string | null;
  /** The number of joined members of the room (for `room_member_count`). */
  roomMemberCount: number;
  /** The content of the room's `m.room.power_levels`, when there is one (for `sender_notification_permission`). */
  powerLevels?: Record<string, unknown> | null;
  /** The sender's power level in the room. */
  senderPowerLevel: number;
  /** Compiled patterns to reuse across events (createGlobCache); without one every pattern is compiled afresh. */
  globCache?: GlobCache;
}

const MEMBER_COUNT = /^(==|<=|>=|<|>)?([0-9]+)$/;
/** Spec m.room.power_levels: `notifications.room` defaults to 50; Synapse uses 50 for any other key too. */
const DEFAULT_NOTIFICATION_LEVEL = 50;

/** Canonical JSON's non-compound values: strings, integers in ±(2**53−1), booleans and null. */
function isScalar(v: unknown): v is ScalarValue {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isSafeInteger(v));
}

/** event_match: a glob on a string property; `content.body` matches at word boundaries, anything else the whole value. */
function eventMatch(cond: PushCondition, event: PushEvent, ctx: PushContext): boolean {
  if (typeof cond.key !== 'string' || typeof cond.pattern !== 'string') return false;
  const value = lookupPath(event, cond.key);
  // "If the property ... is completely absent from the event, or does not have a string value, then the condition will not match"
  if (typeof value !== 'string') return false;
  return globMatches(cond.pattern, value, cond.key === 'content.body' ? 'word' : 'whole', ctx.globCache);
}

/** event_property_is: an exact match of a non-compound value. */
function propertyIs(cond: PushCondition, event: PushEvent): boolean {
  if (typeof cond.key !== 'string' || !isScalar(cond.value)) return false;
  const value = lookupPath(event, cond.key);
  return isScalar(value) && value === cond.value;
}

/** event_property_contains: an array property holding the value exactly (non-scalar elements are ignored). */
function propertyContains(cond: PushCondition, event: PushEvent): boolean {
  if (typeof cond.key !== 'string' || !isScalar(cond.value)) return false;
  const value = lookupPath(event, cond.key);
  return Array.isArray(value) && value.some((v) => isScalar(v) && v === cond.value);
}

/** contains_display_name: the display name appears in `content.body` at word boundaries, case-insensitively. */
function containsDisplayName(event: PushEvent, ctx: PushContext): boolean {
  const body = lookupPath(event, ['content', 'body']);
  if (typeof body !== 'string' || !ctx.displayName) return false;
  return globRegExp(ctx.displayName, 'word', true, ctx.globCache).test(body);
}

/** room_member_count: `is` is a decimal integer with an optional ==, <, >, >= or <= prefix (default ==). */
function roomMemberCount(cond: PushCondition, ctx: PushContext): boolean {
  const m = typeof cond.is === 'string' ? MEMBER_COUNT.exec(cond.is) : null;
  if (!m) return false;
  const n = Number(m[2]);
  const count = ctx.roomMemberCount;
  switch (m[1] ?? '==') {
    case '<': return count < n;
    case '>': return count > n;
    case '<=': return count <= n;
    case '>=': return count >= n;
    default: return count === n;
  }
}

/** sender_notification_permission: the sender's level reaches `notifications[key]` of the power levels. */
function senderNotificationPermission(cond: PushCondition, ctx: PushContext): boolean {
  if (typeof cond.key !== 'string') return false;
  const notifications = ctx.powerLevels?.notifications;
  let required: unknown = typeof notifications === 'object' && notifications !== null ? (notifications as Record<string, unknown>)[cond.key] : undefined;
  // Older room versions allow power levels as numeric strings.
  if (typeof required === 'string' && /^-?[0-9]+$/.test(required.trim())) required = Number(required.trim());
  const level = typeof required === 'number' && Number.isFinite(required) ? required : DEFAULT_NOTIFICATION_LEVEL;
  return ctx.senderPowerLevel >= level;
}

/**
 * Whether one condition holds for `event`. "Unrecognised conditions MUST NOT match any events."
 * @example conditionMatches({ kind: 'room_member_count', is: '<=10' }, event, { ...ctx, roomMemberCount: 3 }) // true
 */
export function conditionMatches(cond: PushCondition, event: PushEvent, ctx: PushContext): boolean {
  switch (cond.kind) {
    case 'event_match': return eventMatch(cond, event, ctx);
    case 'event_property_is': return propertyIs(cond, event);
    case 'event_property_contains': return propertyContains(cond, event);
    case 'contains_display_name': return containsDisplayName(event, ctx);
    case 'room_member_count': return roomMemberCount(cond, ctx);
    case 'sender_notification_permission': return senderNotificationPermission(cond, ctx);
    default: return false;
  }
}
