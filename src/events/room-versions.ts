/** The room version table (1–12): which format, redaction, auth-rule and state-resolution variant each version uses. */

export type RoomVersionId = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12';

export interface RoomVersion {
  id: RoomVersionId;
  /** v1: `$random:server` ids carried in the event; v3: standard base64 reference hash; v4: URL-safe base64. */
  eventIdFormat: 'v1' | 'v3' | 'v4';
  /** v1/v2 reference events as `[id, {sha256}]` pairs; v3+ as bare ids. */
  referencesAsPairs: boolean;
  /** 'v1' for room v1, 'v2' for v2–v11, 'v2.1' for v12 (MSC4297). */
  stateRes: 'v1' | 'v2' | 'v2.1';
  /** v5+: a signing key must be valid at the event's origin_server_ts. */
  enforceKeyValidity: boolean;
  /** v1–v5: m.room.aliases has its own auth rule; v6+ it is an ordinary state event. */
  specialCaseAliasesAuth: boolean;
  /** v6+: integers outside ±(2^53−1) and floats make an event invalid. */
  strictCanonicalJson: boolean;
  /** v6+: the `notifications` keys of m.room.power_levels are checked by the auth rules. */
  limitNotificationsPowerLevels: boolean;
  /** v1–v5 redaction keeps m.room.aliases `aliases`; v6+ does not. */
  redactionKeepsAliases: boolean;
  /** v7+: the `knock` join rule and membership. */
  knock: boolean;
  /** v8+: the `restricted` join rule (and `allow` kept by redaction). */
  restrictedJoins: boolean;
  /** v9+: redaction keeps `join_authorised_via_users_server` of m.room.member. */
  redactionKeepsAuthorisingUser: boolean;
  /** v10+: the `knock_restricted` join rule. */
  knockRestricted: boolean;
  /** v10+: power level values must be integers (not strings). */
  integerPowerLevels: boolean;
  /** v11+: the room creator is the create event's sender, `creator` is gone (MSC2175). */
  implicitRoomCreator: boolean;
  /** v11+: the redaction algorithm of MSC2176 and MSC3989 (no `origin`, more keys kept). */
  v11Redaction: boolean;
  /** v11+: `redacts` lives in content (MSC2174). */
  redactsInContent: boolean;
  /** v12+: creators (sender and `additional_creators`) have infinite power (MSC4289). */
  privilegedCreators: boolean;
  /** v12+: the room id is `!` + the create event's reference hash; create events carry no room_id (MSC4291). */
  roomIdFromCreateEvent: boolean;
}

const base: Omit<RoomVersion, 'id'> = {
  eventIdFormat: 'v1',
  referencesAsPairs: true,
  stateRes: 'v1',
  enforceKeyValidity: false,
  specialCaseAliasesAuth: true,
  strictCanonicalJson: false,
  limitNotificationsPowerLevels: false,
  redactionKeepsAliases: true,
  knock: false,
  restrictedJoins: false,
  redactionKeepsAuthorisingUser: false,
  knockRestricted: false,
  integerPowerLevels: false,
  implicitRoomCreator: false,
  v11Redaction: false,
  redactsInContent: false,
  privilegedCreators: false,
  roomIdFromCreateEvent: false,
};

const v1: RoomVersion = { ...base, id: '1' };
const v2: RoomVersion = { ...v1, id: '2', stateRes: 'v2' };
const v3: RoomVersion = { ...v2, id: '3', eventIdFormat: 'v3', referencesAsPairs: false };
const v4: RoomVersion = { ...v3, id: '4', eventIdFormat: 'v4' };
const v5: RoomVersion = { ...v4, id: '5', enforceKeyValidity: true };
const v6: RoomVersion = {
  ...v5, id: '6', specialCaseAliasesAuth: false, strictCanonicalJson: true,
  limitNotificationsPowerLevels: true, redactionKeepsAliases: false,
};
const v7: RoomVersion = { ...v6, id: '7', knock: true };
const v8: RoomVersion = { ...v7, id: '8', restrictedJoins: true };
const v9: RoomVersion = { ...v8, id: '9', redactionKeepsAuthorisingUser: true };
const v10: RoomVersion = { ...v9, id: '10', knockRestricted: true, integerPowerLevels: true };
const v11: RoomVersion = { ...v10, id: '11', implicitRoomCreator: true, v11Redaction: true, redactsInContent: true };
const v12: RoomVersion = { ...v11, id: '12', stateRes: 'v2.1', privilegedCreators: true, roomIdFromCreateEvent: true };

/**
 * Every room version this server knows, by id.
 * @example ROOM_VERSIONS['11'].redactsInContent // true
 */
export const ROOM_VERSIONS: Readonly<Record<RoomVersionId, RoomVersion>> = Object.freeze({
  '1': v1, '2': v2, '3': v3, '4': v4, '5': v5, '6': v6, '7': v7, '8': v8, '9': v9, '10': v10, '11': v11, '12': v12,
});

/**
 * The version new rooms get unless asked otherwise.
 * @example getRoomVersion(DEFAULT_ROOM_VERSION)!.id // '10'
 */
export const DEFAULT_ROOM_VERSION: RoomVersionId = '10';

/**
 * Looks up a room version by id.
 * @example getRoomVersion('10').knockRestricted // true
 */
export function getRoomVersion(id: string): RoomVersion | undefined {
  return Object.prototype.hasOwnProperty.call(ROOM_VERSIONS, id) ? ROOM_VERSIONS[id as RoomVersionId] : undefined;
}

/**
 * Accepts a room version object or id and returns the version object; throws on an unknown id.
 * Used by every src/events function that takes a `roomVersion` argument.
 * @example resolveRoomVersion('11').v11Redaction // true
 */
export function resolveRoomVersion(version: RoomVersion | string): RoomVersion {
  if (typeof version !== 'string') return version;
  const rv = getRoomVersion(version);
  if (rv === undefined) throw new RangeError(`unknown room version ${JSON.stringify(version)}`);
  return rv;
}
