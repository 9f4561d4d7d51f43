/** The published room directory: each published room's summary chunk, the search filter, and keyset pagination tokens. */
import { MatrixError } from '../http/errors.js';
import { stateMapKey } from '../events/state-map.js';
import type { EventReader } from './event-reader.js';
import type { Store } from '../storage/types.js';
import type { RoomService } from './room-service.js';
import { effectiveContent } from './room-power.js';

/** One entry of `chunk` (the spec's PublishedRoomsChunk). */
export interface PublicRoomChunk {
  room_id: string;
  num_joined_members: number;
  world_readable: boolean;
  guest_can_join: boolean;
  name?: string;
  topic?: string;
  canonical_alias?: string;
  avatar_url?: string;
  join_rule?: string;
  room_type?: string;
}

export interface PublicRoomsQuery {
  /** At most this many rooms; undefined: all. */
  limit?: number;
  since?: string;
  searchTerm?: string;
  /** Room types to keep; `null` in the list keeps rooms without a type. */
  roomTypes?: ReadonlyArray<string | null>;
  /** A third-party network: no application service networks exist here, so it matches no room. */
  thirdPartyInstanceId?: string;
}

export interface PublicRoomsPage {
  chunk: PublicRoomChunk[];
  next_batch?: string;
  prev_batch?: string;
  total_room_count_estimate: number;
}

/** Join rules under which a published room is listed (as Synapse: rooms a visitor can join or ask to join), unless world-readable. */
const LISTED_JOIN_RULES = new Set(['public', 'knock', 'knock_restricted']);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The plain-text topic: `topic`, else the text/plain entry of `m.topic` (spec: omitted without a text/plain one). */
function topicOf(content: Record<string, unknown> | undefined): string | undefined {
  if (!content) return undefined;
  if (typeof content.topic === 'string') return content.topic;
  const rich = (content['m.topic'] as { 'm.text'?: unknown } | undefined)?.['m.text'];
  if (!Array.isArray(rich)) return undefined;
  const plain = rich.find((t) => typeof t?.body === 'string' && (t.mimetype === undefined || t.mimetype === 'text/plain'));
  return plain?.body;
}

/** The state events a chunk is made of (all with state key ''). */
export const CHUNK_STATE_TYPES = [
  'm.room.create', 'm.room.name', 'm.room.topic', 'm.room.avatar', 'm.room.canonical_alias', 'm.room.join_rules',
  'm.room.history_visibility', 'm.room.guest_access',
] as const;

/** The chunk of one room from the content of its CHUNK_STATE_TYPES events and its joined member count. */
export function roomChunk(roomId: string, c: (type: (typeof CHUNK_STATE_TYPES)[number]) => Record<string, unknown> | undefined, joined: number): PublicRoomChunk {
  const out: PublicRoomChunk = {
    room_id: roomId,
    num_joined_members: joined,
    world_readable: c('m.room.history_visibility')?.history_visibility === 'world_readable',
    guest_can_join: c('m.room.guest_access')?.guest_access === 'can_join',
  };
  const name = str(c('m.room.name')?.name);
  const topic = topicOf(c('m.room.topic'));
  const alias = str(c('m.room.canonical_alias')?.alias);
  const avatar = str(c('m.room.avatar')?.url);
  const joinRule = str(c('m.room.join_rules')?.join_rule);
  const roomType = str(c('m.room.create')?.type);
  if (name) out.name = name;
  if (topic) out.topic = topic;
  if (alias) out.canonical_alias = alias;
  if (avatar) out.avatar_url = avatar;
  if (joinRule) out.join_rule = joinRule;
  if (roomType) out.room_type = roomType;
  return out;
}

/** Rooms sort by joined members (largest first), then room id; a token is the sort key of a boundary room. */
type SortKey = [members: number, roomId: string];
const compare = (a: SortKey, b: SortKey) => (b[0] - a[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
const keyOf = (r: PublicRoomChunk): SortKey => [r.num_joined_members, r.room_id];

function encodeToken(dir: 'n' | 'p', key: SortKey): string {
  return dir + Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeToken(token: string): { dir: 'n' | 'p'; key: SortKey } {
  const dir = token[0];
  try {
    const key = JSON.parse(Buffer.from(token.slice(1), 'base64url').toString('utf8')) as unknown;
    if ((dir === 'n' || dir === 'p') && Array.isArray(key) && key.length === 2 && Number.isInteger(key[0]) && typeof key[1] === 'string') {
      return { dir, key: key as SortKey };
    }
  } catch { /* falls through */ }
  throw new MatrixError(400, 'M_INVALID_PARAM', 'Invalid since token');
}

function matches(r: PublicRoomChunk, q: PublicRoomsQuery): boolean {
  if (q.roomTypes && !q.roomTypes.includes(r.room_type ?? null)) return false;
  if (q.searchTerm) {
    const term = q.searchTerm.toLowerCase();
    if (![r.name, r.topic, r.canonical_alias].some((s) => s?.toLowerCase().includes(term))) return false;
  }
  return true;
}

/** One published room's chunk: the few state events it needs (cached reads) and the joined count from current state. */
async function chunkOf(deps: PublicRoomsDeps, roomId: string): Promise<PublicRoomChunk | undefined> {
  const room = await deps.rooms.roomState(roomId);
  if (!room) return undefined;
  const ids = new Map(CHUNK_STATE_TYPES.map((t) => [t, room.state.get(stateMapKey(t, ''))]));
  const events = await deps.reader.getEvents([...ids.values()].filter((x): x is string => x !== undefined));
  const joined = (await deps.store.rooms.membersOfRoom(roomId)).filter((m) => m.membership === 'join').length;
  return roomChunk(roomId, (t) => {
    const e = events.get(ids.get(t) ?? '');
    // A redacted event counts as what redaction leaves of it (join_rule and history_visibility survive).
    return e && effectiveContent(e, room.rv);
  }, joined);
}

export interface PublicRoomsDeps {
  store: Store;
  rooms: RoomService;
  reader: EventReader;
}

/** GET and POST /publicRooms for this server: the published, listable rooms, filtered and paginated. */
export async function listPublicRooms(deps: PublicRoomsDeps, q: PublicRoomsQuery): Promise<PublicRoomsPage> {
  const all: PublicRoomChunk[] = [];
  for (const roomId of await deps.store.rooms.listPublicRooms()) {
    const r = await chunkOf(deps, roomId);
    if (r && (r.world_readable || LISTED_JOIN_RULES.has(r.join_rule ?? 'public'))) all.push(r);
  }
  const rooms = q.thirdPartyInstanceId !== undefined ? [] : all.filter((r) => matches(r, q)).sort((a, b) => compare(keyOf(a), keyOf(b)));
  const limit = q.limit ?? rooms.length;
  let start = 0;
  let end = rooms.length;
  if (q.since !== undefined) {
    const { dir, key } = decodeToken(q.since);
    if (dir === 'n') start = rooms.findIndex((r) => compare(keyOf(r), key) > 0);
    else end = rooms.findIndex((r) => compare(keyOf(r), key) >= 0);
    if (start === -1) start = rooms.length;
    if (end === -1) end = rooms.length;
  }
  const backwards = q.since?.startsWith('p') ?? false;
  if (backwards) start = Math.max(0, end - limit);
  else end = Math.min(end, start + limit);
  const chunk = rooms.slice(start, end);
  const page: PublicRoomsPage = { chunk, total_room_count_estimate: all.length };
  if (end < rooms.length && chunk.length > 0) page.next_batch = encodeToken('n', keyOf(chunk.at(-1)!));
  if (start > 0 && chunk.length > 0) page.prev_batch = encodeToken('p', keyOf(chunk[0]!));
  return page;
}
