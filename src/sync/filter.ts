/** Filters (spec: "Filtering", the Filter/RoomFilter/RoomEventFilter/EventFilter schemas): validation, normalisation and pure matching. */
import { MatrixError, badJson, invalidParam } from '../http/errors.js';
import { lookupPath, splitDottedPath } from '../push/dotted-path.js';

/** EventFilter, normalised: absent allow-lists stay undefined ("all included"); deny-lists default to []. */
export interface EventFilter {
  /** "The maximum number of events to return"; undefined: the endpoint's default (see limitOf). */
  limit?: number;
  types?: string[];
  notTypes: string[];
  senders?: string[];
  notSenders: string[];
}

/** RoomEventFilter, normalised. For /sync, lazy loading is read from `room.state`, thread counts from `room.timeline` (as Synapse). */
export interface RoomEventFilter extends EventFilter {
  rooms?: string[];
  notRooms: string[];
  /** true: only events whose content has a string `url`; false: only events without; undefined: no check. */
  containsUrl?: boolean;
  lazyLoadMembers: boolean;
  /** Only meaningful with lazyLoadMembers. */
  includeRedundantMembers: boolean;
  unreadThreadNotifications: boolean;
}

/** RoomFilter, normalised: `rooms`/`not_rooms` apply before the four inner filters. */
export interface RoomFilter {
  rooms?: string[];
  notRooms: string[];
  includeLeave: boolean;
  timeline: RoomEventFilter;
  state: RoomEventFilter;
  ephemeral: RoomEventFilter;
  accountData: RoomEventFilter;
}

/** A whole sync filter, normalised. */
export interface Filter {
  /** Dot-separated paths to keep in each event (applyEventFields); undefined keeps everything. */
  eventFields?: string[];
  eventFormat: 'client' | 'federation';
  presence: EventFilter;
  accountData: EventFilter;
  room: RoomFilter;
}

/** What matching reads from an event, account data entry or EDU. */
export interface FilterableEvent {
  type?: string;
  sender?: string;
  room_id?: string;
  content?: unknown;
}

type FieldKind = 'bool' | 'strings' | 'userIds' | 'roomIds' | 'limit';

const EVENT_FILTER_FIELDS: Record<string, FieldKind> = { limit: 'limit', types: 'strings', not_types: 'strings', senders: 'userIds', not_senders: 'userIds' };
const ROOM_EVENT_FILTER_FIELDS: Record<string, FieldKind> = {
  ...EVENT_FILTER_FIELDS, rooms: 'roomIds', not_rooms: 'roomIds', contains_url: 'bool',
  lazy_load_members: 'bool', include_redundant_members: 'bool', unread_thread_notifications: 'bool',
};
const ROOM_FILTER_FIELDS: Record<string, FieldKind> = { rooms: 'roomIds', not_rooms: 'roomIds', include_leave: 'bool' };
const ROOM_INNER = ['timeline', 'state', 'ephemeral', 'account_data'] as const;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks the known fields of one filter object; unknown fields are allowed "for forward compatibility" (as Synapse). */
function checkFields(obj: Record<string, unknown>, fields: Record<string, FieldKind>, at: string): void {
  for (const [name, kind] of Object.entries(fields)) {
    const v = obj[name];
    if (v === undefined) continue;
    const path = `${at}${name}`;
    if (kind === 'bool') {
      if (typeof v !== 'boolean') throw badJson(`${path} must be a boolean`);
    } else if (kind === 'limit') {
      if (typeof v !== 'number') throw badJson(`${path} must be a number`);
      // EventFilter.limit: "must be an integer greater than 0".
      if (!Number.isSafeInteger(v) || v < 1) throw invalidParam(`${path} must be an integer greater than 0`);
    } else {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw badJson(`${path} must be an array of strings`);
      // The schemas' patterns: user ids "^@", room ids "^!".
      const sigil = kind === 'userIds' ? '@' : kind === 'roomIds' ? '!' : undefined;
      const bad = sigil && (v as string[]).find((x) => !x.startsWith(sigil) || x.length < 2);
      if (bad) throw invalidParam(`${path} contains ${JSON.stringify(bad)}, which is not a valid ${kind === 'userIds' ? 'user' : 'room'} ID`);
    }
  }
}

function checkObject(v: unknown, fields: Record<string, FieldKind>, at: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isObject(v)) throw badJson(`${at.slice(0, -1)} must be an object`);
  checkFields(v, fields, at);
  return v;
}

/**
 * Validates a filter against the spec's Filter schema: 400 M_BAD_JSON for wrong JSON types, 400
 * M_INVALID_PARAM for well-typed but invalid values (limit < 1, ids without their sigil, unknown event_format).
 */
export function validateFilter(json: unknown): Record<string, unknown> {
  if (!isObject(json)) throw badJson('The filter must be a JSON object');
  if (json.event_fields !== undefined && (!Array.isArray(json.event_fields) || !json.event_fields.every((f) => typeof f === 'string'))) {
    throw badJson('event_fields must be an array of strings');
  }
  if (json.event_format !== undefined) {
    if (typeof json.event_format !== 'string') throw badJson('event_format must be a string');
    if (json.event_format !== 'client' && json.event_format !== 'federation') throw invalidParam("event_format must be 'client' or 'federation'");
  }
  checkObject(json.presence, EVENT_FILTER_FIELDS, 'presence.');
  checkObject(json.account_data, EVENT_FILTER_FIELDS, 'account_data.');
  const room = checkObject(json.room, ROOM_FILTER_FIELDS, 'room.');
  for (const inner of ROOM_INNER) checkObject(room[inner], ROOM_EVENT_FILTER_FIELDS, `room.${inner}.`);
  return json;
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? [...(v as string[])] : undefined);

function toEventFilter(o: Record<string, unknown>): EventFilter {
  const f: EventFilter = { notTypes: strings(o.not_types) ?? [], notSenders: strings(o.not_senders) ?? [] };
  if (typeof o.limit === 'number') f.limit = o.limit;
  if (o.types !== undefined) f.types = strings(o.types);
  if (o.senders !== undefined) f.senders = strings(o.senders);
  return f;
}

function toRoomEventFilter(v: unknown): RoomEventFilter {
  const o = isObject(v) ? v : {};
  const f: RoomEventFilter = {
    ...toEventFilter(o), notRooms: strings(o.not_rooms) ?? [],
    lazyLoadMembers: o.lazy_load_members === true, includeRedundantMembers: o.include_redundant_members === true,
    unreadThreadNotifications: o.unread_thread_notifications === true,
  };
  if (o.rooms !== undefined) f.rooms = strings(o.rooms);
  if (typeof o.contains_url === 'boolean') f.containsUrl = o.contains_url;
  return f;
}

/**
 * Validates (see validateFilter) and normalises a filter definition.
 * @example parseFilter({ room: { timeline: { limit: 5 } } }).room.timeline.limit // 5
 */
export function parseFilter(json: unknown): Filter {
  const o = validateFilter(json);
  const room = isObject(o.room) ? o.room : {};
  const filter: Filter = {
    eventFormat: o.event_format === 'federation' ? 'federation' : 'client',
    presence: toEventFilter(isObject(o.presence) ? o.presence : {}),
    accountData: toEventFilter(isObject(o.account_data) ? o.account_data : {}),
    room: {
      notRooms: strings(room.not_rooms) ?? [], includeLeave: room.include_leave === true,
      timeline: toRoomEventFilter(room.timeline), state: toRoomEventFilter(room.state),
      ephemeral: toRoomEventFilter(room.ephemeral), accountData: toRoomEventFilter(room.account_data),
    },
  };
  if (room.rooms !== undefined) filter.room.rooms = strings(room.rooms);
  if (o.event_fields !== undefined) filter.eventFields = strings(o.event_fields);
  return filter;
}

/** The filter of a request without one: everything included. */
export function defaultFilter(): Filter {
  return parseFilter({});
}

/** Validates and normalises a RoomEventFilter on its own (e.g. the `filter` query parameter of /messages). */
export function parseRoomEventFilter(json: unknown): RoomEventFilter {
  if (!isObject(json)) throw badJson('The filter must be a JSON object');
  checkFields(json, ROOM_EVENT_FILTER_FIELDS, '');
  return toRoomEventFilter(json);
}

/** Parses a query parameter holding JSON: 400 M_NOT_JSON when it is not JSON. */
function parseJsonParam(param: string): unknown {
  try {
    return JSON.parse(param);
  } catch {
    throw new MatrixError(400, 'M_NOT_JSON', 'Invalid filter JSON');
  }
}

/**
 * The filter of /sync's `filter` parameter: absent = default; starting with `{` = inline JSON (400
 * M_NOT_JSON if unparsable); otherwise a filter id looked up with `loadStored` (400 M_INVALID_PARAM
 * "No such filter" when unknown, as Synapse).
 * @example await resolveFilterParam(ctx.query.get('filter'), (id) => s.store.filters.get(userId, id))
 */
export async function resolveFilterParam(param: string | null | undefined, loadStored: (filterId: string) => Promise<unknown>): Promise<Filter> {
  if (param === null || param === undefined || param === '') return defaultFilter();
  if (param.startsWith('{')) return parseFilter(parseJsonParam(param));
  const stored = await loadStored(param);
  if (stored === undefined) throw invalidParam('No such filter');
  return parseFilter(stored);
}

/** The RoomEventFilter of /messages' (or /context's) `filter` parameter: absent = include everything. */
export function parseRoomEventFilterParam(param: string | null | undefined): RoomEventFilter {
  return parseRoomEventFilter(param === null || param === undefined || param === '' ? {} : parseJsonParam(param));
}

/**
 * Whether `value` matches an event type pattern where `*` matches any sequence of characters (case-sensitive).
 * @example typeMatches('m.room.*', 'm.room.member') // true
 */
export function typeMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const at = value.indexOf(part, pos);
    if (at === -1 || at + part.length > end) return false;
    pos = at + part.length;
  }
  return true;
}

/** Whether a room passes `rooms` / `not_rooms` ("A matching room will be excluded even if it is listed in the rooms filter"). */
export function roomAllowed(f: { rooms?: readonly string[]; notRooms: readonly string[] }, roomId: string): boolean {
  if (f.notRooms.includes(roomId)) return false;
  return f.rooms === undefined || f.rooms.includes(roomId);
}

/**
 * Whether an event passes an EventFilter or RoomEventFilter: types/not_types (with `*`), senders/not_senders,
 * and for RoomEventFilters rooms/not_rooms (on `roomId`, else the event's room_id) and contains_url.
 * @example matchesEventFilter(parseRoomEventFilter({ not_types: ['m.room.member'] }), { type: 'm.room.member' }) // false
 */
export function matchesEventFilter(f: EventFilter | RoomEventFilter, event: FilterableEvent, roomId?: string): boolean {
  const type = event.type ?? '';
  if (f.notTypes.some((p) => typeMatches(p, type))) return false;
  if (f.types !== undefined && !f.types.some((p) => typeMatches(p, type))) return false;
  const sender = event.sender ?? '';
  if (f.notSenders.includes(sender)) return false;
  if (f.senders !== undefined && !f.senders.includes(sender)) return false;
  if ('notRooms' in f) {
    const room = roomId ?? event.room_id;
    if (room !== undefined ? !roomAllowed(f, room) : f.rooms !== undefined) return false;
    if (f.containsUrl !== undefined) {
      const url = isObject(event.content) ? event.content.url : undefined;
      if (f.containsUrl !== (typeof url === 'string')) return false;
    }
  }
  return true;
}

/** True when a filter can let nothing through (empty allow-list, or `*` in a deny-list), so the work can be skipped. */
export function blocksEverything(f: EventFilter | RoomEventFilter): boolean {
  if (f.types?.length === 0 || f.notTypes.includes('*') || f.senders?.length === 0) return true;
  return 'notRooms' in f && (f.rooms?.length === 0 || f.notRooms.includes('*'));
}

/** The number of events to return: the filter's limit, else `fallback`, at most `max`. */
export function limitOf(f: EventFilter, fallback: number, max: number): number {
  return Math.min(f.limit ?? fallback, max);
}

/**
 * Keeps only the `event_fields` of an event (a new object; nested paths keep their parents), or the event
 * itself when `fields` is undefined. "A server may include more fields than were requested."
 * @example applyEventFields({ type: 't', content: { body: 'b', x: 1 } }, ['content.body']) // { content: { body: 'b' } }
 */
export function applyEventFields<T extends Record<string, unknown>>(event: T, fields: readonly string[] | undefined): Partial<T> {
  if (fields === undefined) return event;
  const out: Record<string, unknown> = {};
  const define = (o: Record<string, unknown>, key: string, value: unknown) =>
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  for (const field of fields) {
    const path = splitDottedPath(field);
    const value = lookupPath(event, path);
    if (value === undefined) continue;
    let dst = out;
    for (const key of path.slice(0, -1)) {
      if (!isObject(dst[key])) define(dst, key, {});
      dst = dst[key] as Record<string, unknown>;
    }
    define(dst, path[path.length - 1]!, structuredClone(value));
  }
  return out as Partial<T>;
}
