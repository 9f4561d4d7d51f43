/** Test support for the auth rules: builds a room's events with explicit event ids and the auth maps to check them against. */
import assert from 'node:assert/strict';
import { checkAuth, pickAuthEvents, ruleNumber, type AuthResult, type CheckAuthOptions, type RuleKey } from '../auth-rules.js';
import { domainOf } from '../auth-common.js';
import { resolveRoomVersion, type RoomVersion } from '../room-versions.js';
import { stateMapKey } from '../state-map.js';
import type { IdentifiedPdu, Pdu } from '../types.js';

export const ALICE = '@alice:a.example';
export const BOB = '@bob:a.example';
export const CAROL = '@carol:b.example';
export const DAVE = '@dave:b.example';
export const EVE = '@eve:c.example';

/** Every room version, and one representative per auth rule family. */
export const ALL_VERSIONS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;

/** What one event is made of; ids of other events are given as event ids. */
export interface EventSpec {
  type: string;
  sender: string;
  stateKey?: string;
  content?: Record<string, unknown>;
  /** Defaults to the latest applied event. */
  prevEvents?: string[];
  /** Defaults to the auth events selection over the current state. */
  authEvents?: string[];
  /** Top-level fields to merge in (e.g. `redacts`, `signatures`). */
  extra?: Record<string, unknown>;
}

/** A room under construction; `state` is the current state, updated by `apply`. */
export interface TestRoom {
  rv: RoomVersion;
  roomId: string;
  create: IdentifiedPdu;
  state: Map<string, IdentifiedPdu>;
  /** Every applied event by id. */
  events: Map<string, IdentifiedPdu>;
  /** The applied events an event cites in auth_events, in order. */
  authList(event: Pdu): IdentifiedPdu[];
  /** Builds an event on top of the current state without applying it. */
  build(spec: EventSpec): IdentifiedPdu;
  /** Puts an event into the current state (no auth check) and makes it the latest event. */
  apply(event: IdentifiedPdu): IdentifiedPdu;
  /** Builds and applies an event, without an auth check (to set up a state). */
  force(spec: EventSpec): IdentifiedPdu;
  /** Builds an event, checks it and applies it; throws when the auth rules reject it. */
  add(spec: EventSpec): IdentifiedPdu;
  /** Forces a membership: `sender` defaults to the user. */
  member(user: string, membership: string, more?: { sender?: string; content?: Record<string, unknown> }): IdentifiedPdu;
  /** The auth events of an event from the current state (the create event included in v12). */
  authFor(event: Pdu): Map<string, Pdu>;
  /** `checkAuth` against `authFor(event)`. */
  check(event: Pdu, options?: CheckAuthOptions): AuthResult;
}

export interface RoomOptions {
  creator?: string;
  /** Merged into the create event's content. */
  createContent?: Record<string, unknown>;
}

/** Starts a room with only its m.room.create event. */
export function createRoom(version: RoomVersion | string, options: RoomOptions = {}): TestRoom {
  const rv = resolveRoomVersion(version);
  const creator = options.creator ?? ALICE;
  let counter = 0;
  let latest: string | undefined;
  const ref = (id: string): string | [string, Record<string, string>] => (rv.referencesAsPairs ? [id, { sha256: 'AAAA' }] : id);
  const newId = (sender: string): string => (rv.eventIdFormat === 'v1' ? `$e${++counter}:${domainOf(sender)}` : `$e${++counter}`);

  const createContent: Record<string, unknown> = { room_version: rv.id, ...(rv.implicitRoomCreator ? {} : { creator }), ...options.createContent };
  const createId = newId(creator);
  const roomId = rv.roomIdFromCreateEvent ? `!${createId.slice(1)}` : `!room:${domainOf(creator)}`;
  const create: IdentifiedPdu = {
    event_id: createId, sender: creator, type: 'm.room.create', state_key: '', content: createContent,
    prev_events: [], auth_events: [], depth: 1, origin_server_ts: 1000, signatures: { [domainOf(creator)]: { 'ed25519:1': 'sig' } },
  };
  if (!rv.roomIdFromCreateEvent) create.room_id = roomId;

  const state = new Map<string, IdentifiedPdu>();
  const events = new Map<string, IdentifiedPdu>();
  const room: TestRoom = {
    rv, roomId, create, state, events,
    authList(ev) {
      return ev.auth_events.map((r) => events.get(typeof r === 'string' ? r : r[0])).filter((e) => e !== undefined);
    },
    build(spec) {
      const id = newId(spec.sender);
      const ev: IdentifiedPdu = {
        event_id: id, room_id: roomId, sender: spec.sender, type: spec.type, content: spec.content ?? {},
        prev_events: (spec.prevEvents ?? (latest === undefined ? [] : [latest])).map(ref),
        auth_events: [], depth: counter, origin_server_ts: 1000 + counter,
        signatures: { [domainOf(spec.sender)]: { 'ed25519:1': 'sig' } },
        ...spec.extra,
      };
      if (spec.stateKey !== undefined) ev.state_key = spec.stateKey;
      const authIds = spec.authEvents ?? [...pickAuthEvents(ev, state, rv).values()]
        .filter((a) => !(rv.roomIdFromCreateEvent && a.type === 'm.room.create'))
        .map((a) => a.event_id as string);
      ev.auth_events = authIds.map(ref);
      return ev;
    },
    apply(ev) {
      if (typeof ev.state_key === 'string') state.set(stateMapKey(ev.type, ev.state_key), ev);
      latest = ev.event_id;
      events.set(ev.event_id, ev);
      return ev;
    },
    force(spec) {
      return room.apply(room.build(spec));
    },
    add(spec) {
      const ev = room.build(spec);
      const r = room.check(ev);
      if (!r.allowed) throw new Error(`setup event rejected: ${r.reason}`);
      return room.apply(ev);
    },
    member(user, membership, more = {}) {
      return room.force({
        type: 'm.room.member', sender: more.sender ?? user, stateKey: user, content: { membership, ...more.content },
      });
    },
    authFor(ev) {
      return pickAuthEvents(ev, state, rv);
    },
    check(ev, options) {
      return checkAuth(ev, room.authFor(ev), rv, options);
    },
  };
  room.apply(create);
  return room;
}

export interface StandardRoomOptions extends RoomOptions {
  /** The join rule; `null` for no m.room.join_rules event. Default 'invite'. */
  joinRule?: string | null;
  /** Merged over the default power levels; `null` for no m.room.power_levels event. */
  powerLevels?: Record<string, unknown> | null;
  /** Memberships to force after the set-up, in order (each sent by the user). */
  members?: Record<string, string>;
}

/**
 * The default power levels of a test room: the creator at 100 (not listed in v12, where creators
 * are infinite), ban/kick/redact 50, invite 0, state_default 50, events_default 0.
 */
export function defaultPowerLevels(rv: RoomVersion, creator: string): Record<string, unknown> {
  return {
    users: rv.privilegedCreators ? {} : { [creator]: 100 },
    users_default: 0, events_default: 0, state_default: 50, ban: 50, kick: 50, redact: 50, invite: 0, events: {},
  };
}

/** A room with the creator joined, power levels, a join rule and the given memberships, all forced. */
export function standardRoom(version: RoomVersion | string, options: StandardRoomOptions = {}): TestRoom {
  const room = createRoom(version, options);
  const creator = room.create.sender;
  room.member(creator, 'join');
  if (options.powerLevels !== null) {
    const content = { ...defaultPowerLevels(room.rv, creator), ...options.powerLevels };
    room.force({ type: 'm.room.power_levels', sender: creator, stateKey: '', content });
  }
  if (options.joinRule !== null) {
    room.force({ type: 'm.room.join_rules', sender: creator, stateKey: '', content: { join_rule: options.joinRule ?? 'invite' } });
  }
  for (const [user, membership] of Object.entries(options.members ?? {})) room.member(user, membership);
  return room;
}

/**
 * Asserts the outcome of a check and the rule that decided it, e.g. `expectRule(room, r, false, 'join.banned')`
 * passes only when the rejection cites that rule's number in the room's version.
 */
export function expectRule(on: TestRoom | RoomVersion | string, result: AuthResult, allowed: boolean, key: RuleKey): void {
  const rv = typeof on === 'string' ? resolveRoomVersion(on) : 'rv' in on ? on.rv : on;
  const rule = `v${rv.id} auth §${ruleNumber(rv, key)}`;
  assert.equal(result.allowed, allowed, `expected ${allowed ? 'allowed' : 'rejected'} by ${rule}, got ${JSON.stringify(result)}`);
  assert.equal(result.rule, rule, `expected the decision of ${rule}, got ${JSON.stringify(result)}`);
  if (!allowed) assert.ok(result.reason?.startsWith(`${rule}: `), `reason should name ${rule}: ${result.reason}`);
}

/** The number of a rule in a room version, for test names. */
export function sec(version: RoomVersion | string, key: RuleKey): string {
  return ruleNumber(resolveRoomVersion(version), key);
}

/** The versions whose flags match, e.g. `versionsWhere((rv) => rv.knock)`. */
export function versionsWhere(pred: (rv: RoomVersion) => boolean): string[] {
  return ALL_VERSIONS.filter((v) => pred(resolveRoomVersion(v)));
}
