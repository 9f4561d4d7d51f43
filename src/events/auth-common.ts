/** Lookups shared by the auth rule modules: auth event access, memberships, identifiers and the check options. */
import { Buffer } from 'node:buffer';
import type { RoomVersion } from './room-versions.js';
import { stateMapKey } from './state-map.js';
import type { Pdu } from './types.js';

/** The auth events of a check, keyed by `stateMapKey(type, stateKey)`. */
export type AuthEventMap = ReadonlyMap<string, Pdu>;

/** Optional lookups of `checkAuth`; every one has a pure default. */
export interface CheckAuthOptions {
  /**
   * The events cited by `event.auth_events`, fetched by id (receipt check 4). When given, the rules on
   * `auth_events` (2.1–2.5; 3.1–3.5 in v12) run against this exact list, duplicates included.
   * In v12 a create event in the list that `auth_events` does not cite is ignored (it is implied).
   */
  authEventList?: readonly Pdu[];
  /** Whether an event was rejected (rule 2.3; v12 rules 2 and 3.3). Default: no event is rejected. */
  isRejected?: (eventId: string) => boolean;
  /**
   * Rule 4.2 (v8+): whether `event` is validly signed by `serverName`. The default only checks that a
   * signature of that server is present: verifying it needs the server's keys (receipt check 2).
   */
  isSignedBy?: (event: Pdu, serverName: string) => boolean;
  /**
   * Rule 4.4.1.7: whether `signed` carries a signature of `serverName` under `keyId` made with the
   * base64 ed25519 `publicKey`. Default: ed25519 over canonical JSON via node:crypto.
   */
  verifyThirdPartySignature?: (signed: Record<string, unknown>, serverName: string, keyId: string, publicKey: string) => boolean;
}

/** Everything one check needs, resolved once. */
export interface AuthContext {
  rv: RoomVersion;
  authEvents: AuthEventMap;
  options: CheckAuthOptions;
}

/**
 * A plain JSON object (not null, not an array).
 * @example isObject({}) // true
 */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Own-property test that is safe on any object.
 * @example hasKey({ a: undefined }, 'a') // true
 */
export function hasKey(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * The server name of a user, room or v1 event id: everything after the first `:` ('' when there is none).
 * @example domainOf('@alice:example.org:8448') // 'example.org:8448'
 */
export function domainOf(id: string): string {
  const i = id.indexOf(':');
  return i < 0 ? '' : id.slice(i + 1);
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
const DNS = /^[0-9A-Za-z.-]{1,255}$/;

/**
 * A server name per the appendices grammar: hostname (IPv4, [IPv6] or DNS name) and optional port.
 * @example isValidServerName('matrix.org:8448') // true
 */
export function isValidServerName(name: string): boolean {
  let host = name;
  const m = /^(.*):(\d{1,5})$/.exec(name);
  if (m !== null && !name.endsWith(']')) host = m[1]!;
  return IPV4.test(host) || IPV6.test(host) || DNS.test(host);
}

/**
 * A user id as servers must accept it (historical grammar): `@`, a localpart without `:` or NUL,
 * `:`, a valid server name, at most 255 bytes.
 * @example isValidUserId('@alice:example.org') // true
 */
export function isValidUserId(id: unknown): id is string {
  if (typeof id !== 'string' || !id.startsWith('@')) return false;
  const colon = id.indexOf(':');
  if (colon < 0 || id.slice(0, colon).includes('\u0000')) return false;
  if (Buffer.byteLength(id, 'utf8') > 255) return false;
  return isValidServerName(id.slice(colon + 1));
}

/**
 * The ids of a `prev_events` / `auth_events` list: bare ids (v3+) or `[id, hashes]` pairs (v1/v2).
 * @example referenceIds([['$a:hs', { sha256: 'x' }], '$b']) // ['$a:hs', '$b']
 */
export function referenceIds(refs: unknown): string[] {
  if (!Array.isArray(refs)) return [];
  const ids: string[] = [];
  for (const ref of refs) {
    const id = typeof ref === 'string' ? ref : Array.isArray(ref) ? ref[0] : undefined;
    if (typeof id === 'string') ids.push(id);
  }
  return ids;
}

/**
 * The m.room.create event among the auth events.
 * @example createEventOf(authEvents)?.sender
 */
export function createEventOf(authEvents: AuthEventMap): Pdu | undefined {
  return authEvents.get(stateMapKey('m.room.create', ''));
}

/**
 * The m.room.power_levels event among the auth events.
 * @example powerLevelsEventOf(authEvents)?.content.users
 */
export function powerLevelsEventOf(authEvents: AuthEventMap): Pdu | undefined {
  return authEvents.get(stateMapKey('m.room.power_levels', ''));
}

/**
 * A user's current membership from the auth events (`undefined` when there is no member event).
 * @example membershipOf(authEvents, '@alice:hs') // 'join'
 */
export function membershipOf(authEvents: AuthEventMap, userId: string): string | undefined {
  const ev = authEvents.get(stateMapKey('m.room.member', userId));
  const m = ev?.content?.membership;
  return typeof m === 'string' ? m : undefined;
}

/**
 * The current join rule. Without a join rules event (or a `join_rule` key) it is `invite`, as in Synapse.
 * @example joinRuleOf(new Map()) // 'invite'
 */
export function joinRuleOf(authEvents: AuthEventMap): unknown {
  const ev = authEvents.get(stateMapKey('m.room.join_rules', ''));
  if (ev === undefined || !isObject(ev.content) || !hasKey(ev.content, 'join_rule')) return 'invite';
  return ev.content.join_rule;
}
