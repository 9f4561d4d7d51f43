/** The spec's section numbers of each auth rule per room version (they shift as rules come and go), for reasons and citations. */
import { ROOM_VERSIONS, type RoomVersion } from './room-versions.js';

/** Every named auth rule (see `RuleKey`). */
export const RULE_KEYS = Object.freeze([
  'create.prevEvents', 'create.roomId', 'create.roomVersion', 'create.creator', 'create.additionalCreators', 'create.allow',
  'roomIdFromCreate',
  'authEvents.duplicate', 'authEvents.unexpected', 'authEvents.rejected', 'authEvents.noCreate', 'authEvents.roomId',
  'federate',
  'aliases.stateKey', 'aliases.domain', 'aliases.allow',
  'member.fields', 'member.authorisedSignature', 'member.unknown',
  'join.creator', 'join.notSelf', 'join.banned', 'join.invited', 'join.restrictedMember',
  'join.restrictedAuthoriser', 'join.restrictedAllow', 'join.public', 'join.reject',
  'tpi.banned', 'tpi.signed', 'tpi.fields', 'tpi.mxid', 'tpi.token', 'tpi.sender', 'tpi.signature', 'tpi.reject',
  'invite.senderJoined', 'invite.target', 'invite.level', 'invite.reject',
  'leave.self', 'leave.senderJoined', 'leave.unban', 'leave.kick', 'leave.reject',
  'ban.senderJoined', 'ban.level', 'ban.reject',
  'knock.joinRule', 'knock.notSelf', 'knock.allow', 'knock.reject',
  'senderJoined', 'thirdPartyInviteEvent', 'requiredLevel', 'stateKey',
  'pl.namedIntegers', 'pl.mapIntegers', 'pl.users', 'pl.legacyValues', 'pl.creators',
  'pl.noPrevious', 'pl.namedCurrent', 'pl.namedNew', 'pl.mapCurrent', 'pl.mapNew',
  'pl.usersCurrent', 'pl.usersNew', 'pl.allow',
  'redaction.level', 'redaction.domain', 'redaction.reject',
  'otherwise',
] as const);

/**
 * A named auth rule. Its number depends on the room version: e.g. `join.banned` is 5.2.3 in v1–v5,
 * 4.2.3 in v6–v7, 4.3.3 in v8–v11 and 5.3.3 in v12.
 */
export type RuleKey = (typeof RULE_KEYS)[number];

/** Result of an authorization check. `rule` is the section that decided, `reason` explains a rejection. */
export interface AuthResult {
  allowed: boolean;
  reason?: string;
  rule?: string;
}

/**
 * Rooms v1 and v2 (event ids carrying a server name) keep rule 11 on m.room.redaction; from v3 the
 * redact level is left to the handling of redactions. Synapse keys this on the event format too.
 * @example hasRedactionAuthRule(getRoomVersion('2')!) // true
 */
export function hasRedactionAuthRule(rv: RoomVersion): boolean {
  return rv.eventIdFormat === 'v1';
}

function position(list: readonly string[], name: string): number {
  const i = list.indexOf(name);
  if (i < 0) throw new RangeError(`no such rule ${name}`);
  return i + 1;
}

/** Top-level rule numbers for a room version. */
function topLevel(rv: RoomVersion): Record<string, number> {
  const names = [
    'create', ...(rv.roomIdFromCreateEvent ? ['roomIdFromCreate'] : []), 'authEvents', 'federate',
    ...(rv.specialCaseAliasesAuth ? ['aliases'] : []), 'member', 'senderJoined', 'thirdPartyInviteEvent',
    'requiredLevel', 'stateKey', 'pl', ...(hasRedactionAuthRule(rv) ? ['redaction'] : []), 'otherwise',
  ];
  return Object.fromEntries(names.map((n, i) => [n, i + 1]));
}

function memberNumber(rv: RoomVersion, group: string, name: string): string {
  const member = [
    'fields', ...(rv.restrictedJoins ? ['authorisedSignature'] : []), 'join', 'invite', 'leave', 'ban',
    ...(rv.knock ? ['knock'] : []), 'unknown',
  ];
  if (group === 'member') return String(position(member, name));
  const sub: Record<string, readonly string[]> = {
    join: ['creator', 'notSelf', 'banned', 'invited', ...(rv.restrictedJoins ? ['restricted'] : []), 'public', 'reject'],
    invite: ['tpi', 'senderJoined', 'target', 'level', 'reject'],
    leave: ['self', 'senderJoined', 'unban', 'kick', 'reject'],
    ban: ['senderJoined', 'level', 'reject'],
    knock: ['joinRule', 'notSelf', 'allow', 'reject'],
  };
  if (group === 'tpi') {
    const tpi = ['banned', 'signed', 'fields', 'mxid', 'token', 'sender', 'signature', 'reject'];
    return `${position(member, 'invite')}.1.${position(tpi, name)}`;
  }
  const head = position(member, group);
  if (group === 'join' && name.startsWith('restricted')) {
    const restricted = position(sub.join!, 'restricted');
    const leaf = { restrictedMember: 1, restrictedAuthoriser: 2, restrictedAllow: 3 }[name];
    return `${head}.${restricted}.${leaf}`;
  }
  return `${head}.${position(sub[group]!, name)}`;
}

function powerLevelsNumber(rv: RoomVersion, name: string): string {
  const list = [
    ...(rv.integerPowerLevels ? ['namedIntegers', 'mapIntegers'] : []), 'users',
    ...(rv.privilegedCreators ? ['creators'] : []), 'noPrevious', 'named', 'mapCurrent', 'mapNew',
    'usersCurrent', 'usersNew', 'allow',
  ];
  if (name === 'legacyValues') return String(position(list, 'users'));
  if (name === 'namedCurrent') return `${position(list, 'named')}.1`;
  if (name === 'namedNew') return `${position(list, 'named')}.2`;
  const n = position(list, name);
  return ['mapCurrent', 'mapNew', 'usersCurrent', 'usersNew'].includes(name) ? `${n}.1` : String(n);
}

function computeRuleNumber(rv: RoomVersion, key: RuleKey): string {
  const dot = key.indexOf('.');
  const group = dot < 0 ? key : key.slice(0, dot);
  const name = dot < 0 ? '' : key.slice(dot + 1);
  const top = topLevel(rv);
  const memberGroups = ['member', 'join', 'tpi', 'invite', 'leave', 'ban', 'knock'];
  const head = memberGroups.includes(group) ? 'member' : group;
  if (top[head] === undefined) throw new RangeError(`rule ${key} does not exist in room version ${rv.id}`);
  switch (group) {
    case 'create': {
      const list = [
        'prevEvents', 'roomId', 'roomVersion', ...(rv.implicitRoomCreator ? [] : ['creator']),
        ...(rv.privilegedCreators ? ['additionalCreators'] : []), 'allow',
      ];
      return `${top.create}.${position(list, name)}`;
    }
    case 'authEvents': {
      // v12 drops 2.4 (no create event needed) but keeps printing the room id rule as 3.5.
      const list = ['duplicate', 'unexpected', 'rejected', 'noCreate', 'roomId'];
      return `${top.authEvents}.${position(list, name)}`;
    }
    case 'aliases':
      return `${top.aliases}.${position(['stateKey', 'domain', 'allow'], name)}`;
    case 'member': case 'join': case 'tpi': case 'invite': case 'leave': case 'ban': case 'knock':
      return `${top.member}.${memberNumber(rv, group, name)}`;
    case 'thirdPartyInviteEvent':
      return `${top.thirdPartyInviteEvent}.1`;
    case 'pl':
      return `${top.pl}.${powerLevelsNumber(rv, name)}`;
    case 'redaction':
      return `${top.redaction}.${position(['level', 'domain', 'reject'], name)}`;
    default:
      return String(top[group]);
  }
}

/** The rule citations of the known room versions, computed once: `v10 auth §4.3.3` by version id and rule. */
const CITATIONS: ReadonlyMap<RoomVersion, ReadonlyMap<RuleKey, string>> = new Map(
  Object.values(ROOM_VERSIONS).map((rv) => {
    const table = new Map<RuleKey, string>();
    for (const key of RULE_KEYS) {
      try { table.set(key, `v${rv.id} auth §${computeRuleNumber(rv, key)}`); } catch { /* not in this version */ }
    }
    return [rv, table] as const;
  }),
);

function citation(rv: RoomVersion, key: RuleKey): string {
  return CITATIONS.get(rv)?.get(key) ?? `v${rv.id} auth §${computeRuleNumber(rv, key)}`;
}

/**
 * The spec's number of a rule in a room version, as printed in that version's rule list. Throws for
 * a rule the version does not have.
 * @example ruleNumber(getRoomVersion('8')!, 'join.restrictedAuthoriser') // '4.3.5.2'
 */
export function ruleNumber(rv: RoomVersion, key: RuleKey): string {
  return computeRuleNumber(rv, key);
}

/**
 * An allowing result citing the rule.
 * @example allowBy(getRoomVersion('1')!, 'join.public') // { allowed: true, rule: 'v1 auth §5.2.5' }
 */
export function allowBy(rv: RoomVersion, key: RuleKey): AuthResult {
  return { allowed: true, rule: citation(rv, key) };
}

/**
 * A rejecting result whose reason names the rule, e.g. 'v1 auth §5.2.3: sender is banned'.
 * @example rejectBy(getRoomVersion('1')!, 'join.banned', 'sender is banned').reason // 'v1 auth §5.2.3: sender is banned'
 */
export function rejectBy(rv: RoomVersion, key: RuleKey, text: string): AuthResult {
  const rule = citation(rv, key);
  return { allowed: false, reason: `${rule}: ${text}`, rule };
}
