/** Power levels as the auth rules read them: value parsing per room version, defaults, creators and user levels. */
import { createEventOf, isObject, hasKey, powerLevelsEventOf, type AuthEventMap } from './auth-common.js';
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import type { Pdu } from './types.js';

/** The `content` of an m.room.power_levels event. */
export type PowerLevelsContent = Record<string, unknown>;

/** Power levels given directly: the power levels content (if any) and the create event. */
export interface PowerLevelSource {
  powerLevels?: PowerLevelsContent | null;
  create?: Pdu | null;
}

/** Where power levels come from: auth events keyed by `stateMapKey`, or the content and create event. */
export type PowerLevelInput = AuthEventMap | PowerLevelSource;

/** The named levels of the power levels content and their defaults (server-server API §Definitions). */
export const NAMED_LEVEL_DEFAULTS = Object.freeze({ invite: 0, kick: 50, ban: 50, redact: 50 });
export type NamedLevel = keyof typeof NAMED_LEVEL_DEFAULTS;

/** The integer-valued top-level keys of m.room.power_levels content. */
export const POWER_LEVEL_INTEGER_KEYS = Object.freeze([
  'users_default', 'events_default', 'state_default', 'ban', 'redact', 'kick', 'invite',
] as const);

/** "a single base 10 integer … optionally prefixed with `-` or `+` … with leading or trailing whitespace" (v1 stringy power levels). */
const STRINGY_INTEGER = /^\s*[+-]?\d+\s*$/;

/**
 * Parses one power level value as the room version allows it; `undefined` when it is not valid.
 * v10+: a JSON integer only. v1–v9: integers, strings holding an integer (v1 "stringy power levels"),
 * and finite floats truncated at the decimal point (v1 "floaty power levels").
 * @example parsePowerLevel(' +050 ', '9') // 50
 * @example parsePowerLevel('50', '10') // undefined
 */
export function parsePowerLevel(value: unknown, roomVersion: RoomVersion | string): number | undefined {
  const rv = resolveRoomVersion(roomVersion);
  if (typeof value === 'number') {
    if (rv.integerPowerLevels) return Number.isSafeInteger(value) ? value : undefined;
    // Infinity, -Infinity and NaN make the power levels event invalid; floats are truncated.
    return Number.isFinite(value) ? Math.trunc(value) + 0 : undefined;
  }
  if (typeof value === 'string' && !rv.integerPowerLevels && STRINGY_INTEGER.test(value)) {
    return Number(value.trim()) + 0;
  }
  return undefined;
}

function isMap(input: PowerLevelInput): input is AuthEventMap {
  return typeof (input as { get?: unknown }).get === 'function';
}

function contentOf(input: PowerLevelInput | undefined | null): PowerLevelsContent | undefined {
  if (input === undefined || input === null) return undefined;
  if (isMap(input)) {
    const content = powerLevelsEventOf(input)?.content;
    return isObject(content) ? content : undefined;
  }
  const pl = (input as PowerLevelSource).powerLevels;
  return isObject(pl) ? pl : undefined;
}

function createOf(input: PowerLevelInput | undefined | null): Pdu | undefined {
  if (input === undefined || input === null) return undefined;
  if (isMap(input)) return createEventOf(input);
  return (input as PowerLevelSource).create ?? undefined;
}

/** A top-level level of the content, or `fallback` when absent, null or unreadable. */
function levelAt(content: PowerLevelsContent | undefined, key: string, fallback: number, rv: RoomVersion): number {
  if (content === undefined || !hasKey(content, key)) return fallback;
  return parsePowerLevel(content[key], rv) ?? fallback;
}

/** A level inside one of the maps (`users`, `events`, `notifications`), `undefined` when not set. */
function mapLevel(content: PowerLevelsContent | undefined, map: string, key: string, rv: RoomVersion): number | undefined {
  const m = content?.[map];
  if (!isObject(m) || !hasKey(m, key)) return undefined;
  return parsePowerLevel(m[key], rv);
}

/**
 * The room creators. v1–v10: `content.creator`; v11: the create event's sender (MSC2175);
 * v12+: the sender plus `content.additional_creators` (MSC4289).
 * @example getCreators(createEvent, '12') // ['@alice:hs', '@bob:hs']
 */
export function getCreators(create: Pdu | undefined | null, roomVersion: RoomVersion | string): string[] {
  const rv = resolveRoomVersion(roomVersion);
  if (create === undefined || create === null) return [];
  if (!rv.implicitRoomCreator) {
    const creator = create.content?.creator;
    return typeof creator === 'string' ? [creator] : [];
  }
  const creators = [create.sender];
  const extra = rv.privilegedCreators ? create.content?.additional_creators : undefined;
  if (Array.isArray(extra)) for (const u of extra) if (typeof u === 'string' && !creators.includes(u)) creators.push(u);
  return creators;
}

/**
 * Whether a user is a room creator in this room version (see `getCreators`).
 * @example isCreator('@alice:hs', createEvent, '11') // true when alice sent the create event
 */
export function isCreator(userId: string, create: Pdu | undefined | null, roomVersion: RoomVersion | string): boolean {
  return getCreators(create, roomVersion).includes(userId);
}

/**
 * A user's power level. v12+: creators have `Infinity`. With a power levels event: `users[userId]`,
 * else `users_default`, else 0. Without one: 100 for the creator (v1–v11), 0 for everyone else.
 * @example getPowerLevel('@bob:hs', { powerLevels: { users: { '@bob:hs': 50 } } }, '10') // 50
 */
export function getPowerLevel(userId: string, input: PowerLevelInput, roomVersion: RoomVersion | string): number {
  const rv = resolveRoomVersion(roomVersion);
  const create = createOf(input);
  if (rv.privilegedCreators && isCreator(userId, create, rv)) return Infinity;
  const content = contentOf(input);
  if (content !== undefined) return mapLevel(content, 'users', userId, rv) ?? levelAt(content, 'users_default', 0, rv);
  if (!rv.privilegedCreators && isCreator(userId, create, rv)) return 100;
  return 0;
}

/**
 * `users_default` (0 when unspecified).
 * @example getUsersDefault({ powerLevels: { users_default: 10 } }, '10') // 10
 */
export function getUsersDefault(input: PowerLevelInput, roomVersion: RoomVersion | string): number {
  return levelAt(contentOf(input), 'users_default', 0, resolveRoomVersion(roomVersion));
}

/**
 * `events_default` (0 when unspecified or without a power levels event).
 * @example getEventsDefault({}, '10') // 0
 */
export function getEventsDefault(input: PowerLevelInput, roomVersion: RoomVersion | string): number {
  return levelAt(contentOf(input), 'events_default', 0, resolveRoomVersion(roomVersion));
}

/**
 * `state_default` (50 when unspecified or without a power levels event).
 * @example getStateDefault({}, '10') // 50
 */
export function getStateDefault(input: PowerLevelInput, roomVersion: RoomVersion | string): number {
  return levelAt(contentOf(input), 'state_default', 50, resolveRoomVersion(roomVersion));
}

/**
 * The *required power level* of an event type: `events[type]`, else `state_default` for state
 * events and `events_default` for the others.
 * @example getRequiredLevel('m.room.name', true, { powerLevels: { events: { 'm.room.name': 75 } } }, '10') // 75
 */
export function getRequiredLevel(
  eventType: string, isState: boolean, input: PowerLevelInput, roomVersion: RoomVersion | string,
): number {
  const rv = resolveRoomVersion(roomVersion);
  const content = contentOf(input);
  const explicit = mapLevel(content, 'events', eventType, rv);
  if (explicit !== undefined) return explicit;
  return isState ? levelAt(content, 'state_default', 50, rv) : levelAt(content, 'events_default', 0, rv);
}

/**
 * The *invite*, *kick*, *ban* or *redact level* (invite defaults to 0, the others to 50).
 * @example getNamedLevel('kick', {}, '10') // 50
 */
export function getNamedLevel(name: NamedLevel, input: PowerLevelInput, roomVersion: RoomVersion | string): number {
  return levelAt(contentOf(input), name, NAMED_LEVEL_DEFAULTS[name], resolveRoomVersion(roomVersion));
}

/**
 * The level a notification key needs (`notifications.room` defaults to 50, other keys too).
 * @example getNotificationLevel('room', { powerLevels: { notifications: { room: 20 } } }, '10') // 20
 */
export function getNotificationLevel(key: string, input: PowerLevelInput, roomVersion: RoomVersion | string): number {
  return mapLevel(contentOf(input), 'notifications', key, resolveRoomVersion(roomVersion)) ?? 50;
}
