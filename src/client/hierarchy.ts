/** GET /_matrix/client/v1/rooms/{roomId}/hierarchy: a space's rooms, walked breadth-first through m.space.child (spec "Spaces"). */
import { clientRoute, type Route } from '../http/route.js';
import { MatrixError } from '../http/errors.js';
import { stateMapKey } from '../events/state-map.js';
import { roomChunk, CHUNK_STATE_TYPES } from '../rooms/public-rooms.js';
import { effectiveContent } from '../rooms/room-power.js';
import type { Services } from '../services.js';
import { intParam } from './query-params.js';

const MAX_ROOMS = 50;


export function hierarchyRoutes(s: Services): Route[] {
  /** Whether the user may see a room's summary: a member, or a room anyone may join, knock on or read. */
  async function peekable(roomId: string, userId: string): Promise<{ state: ReadonlyMap<string, string> } | undefined> {
    const room = await s.rooms.roomState(roomId);
    if (!room) return undefined;
    const ids = [stateMapKey('m.room.member', userId), stateMapKey('m.room.join_rules', ''), stateMapKey('m.room.history_visibility', '')]
      .map((k) => room.state.get(k)).filter((x): x is string => !!x);
    const evs = await s.reader.getEvents(ids);
    const get = (k: string) => { const id = room.state.get(k); return id ? evs.get(id)?.pdu.content : undefined; };
    const membership = get(stateMapKey('m.room.member', userId))?.membership;
    const joinRule = get(stateMapKey('m.room.join_rules', ''))?.join_rule;
    const hv = get(stateMapKey('m.room.history_visibility', ''))?.history_visibility;
    const ok = membership === 'join' || membership === 'invite' || hv === 'world_readable'
      || joinRule === 'public' || joinRule === 'knock' || joinRule === 'knock_restricted' || joinRule === 'restricted';
    return ok ? room : undefined;
  }

  /** GET /_matrix/client/v1/rooms/{roomId}/hierarchy */
  return clientRoute('GET', '/rooms/{roomId}/hierarchy', 'user', async (ctx) => {
    const me = ctx.principal!.userId;
    const suggestedOnly = ctx.query.get('suggested_only') === 'true';
    const limit = Math.min(intParam(ctx, 'limit') ?? MAX_ROOMS, MAX_ROOMS) || MAX_ROOMS;
    const maxDepth = intParam(ctx, 'max_depth') ?? Number.MAX_SAFE_INTEGER;
    const from = ctx.query.get('from');
    const skip = from === null ? 0 : Number(/^h(\d+)$/.exec(from)?.[1] ?? NaN);
    if (Number.isNaN(skip)) throw new MatrixError(400, 'M_INVALID_PARAM', 'Unknown pagination token');
    const root = ctx.params.roomId!;
    if (!(await peekable(root, me))) throw new MatrixError(403, 'M_FORBIDDEN', 'You cannot view this room');
    const rooms: unknown[] = [];
    const seen = new Set<string>([root]);
    const queue: Array<{ roomId: string; depth: number }> = [{ roomId: root, depth: 0 }];
    let index = 0;
    while (queue.length && rooms.length < limit) {
      const { roomId, depth } = queue.shift()!;
      const room = await peekable(roomId, me);
      if (!room) continue;
      const childIds = [...room.state].filter(([k]) => k.startsWith('m.space.child\u0000')).map(([, id]) => id);
      const chunkIds = CHUNK_STATE_TYPES.map((t) => room.state.get(stateMapKey(t, ''))).filter((x): x is string => !!x);
      const evs = await s.reader.getEvents([...childIds, ...chunkIds]);
      const rv = (await s.rooms.roomState(roomId))!.rv;
      const children = childIds.map((id) => evs.get(id)).filter((e) => e && Array.isArray(e.pdu.content.via) && (e.pdu.content.via as unknown[]).length > 0)
        .filter((e) => !suggestedOnly || e!.pdu.content.suggested === true);
      const joined = (await s.store.rooms.membersOfRoom(roomId)).filter((m) => m.membership === 'join').length;
      const content = (t: (typeof CHUNK_STATE_TYPES)[number]) => { const id = room.state.get(stateMapKey(t, '')); const e = id ? evs.get(id) : undefined; return e ? effectiveContent(e, rv) : undefined; };
      if (index++ >= skip) {
        rooms.push({
          ...roomChunk(roomId, content, joined),
          children_state: children.map((e) => ({ type: e!.pdu.type, state_key: e!.pdu.state_key, content: e!.pdu.content, sender: e!.pdu.sender, origin_server_ts: e!.pdu.origin_server_ts })),
        });
      }
      if (depth < maxDepth) for (const e of children) if (!seen.has(e!.pdu.state_key!)) { seen.add(e!.pdu.state_key!); queue.push({ roomId: e!.pdu.state_key!, depth: depth + 1 }); }
    }
    return { rooms, ...(queue.length ? { next_batch: `h${index}` } : {}) };
  }, ['v1']);
}
