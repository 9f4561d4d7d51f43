/** Relations, threads and timestamp lookup (v1 endpoints): /relations, /threads, /timestamp_to_event. */
import { clientRoute, type Route, type RequestContext } from '../http/route.js';
import { MatrixError } from '../http/errors.js';
import { roomAccess } from '../rooms/access.js';
import { toClientEvents } from '../rooms/client-event.js';
import { visibilityFilter } from '../rooms/visibility.js';
import { eventPositionToken, parseEventPosition } from '../sync/sync-token.js';
import type { StoredEvent } from '../storage/room-types.js';
import type { Services } from '../services.js';
import { limitParam } from './query-params.js';

const v1 = ['v1'] as const;


export function relationRoutes(s: Services): Route[] {
  /** Pages a list sorted by stream ordering: dir b walks down from `from`, f walks up. */
  function page(events: StoredEvent[], ctx: RequestContext, dflt: number) {
    const dir = ctx.query.get('dir') ?? 'b';
    if (dir !== 'b' && dir !== 'f') throw new MatrixError(400, 'M_INVALID_PARAM', 'dir must be b or f');
    const limit = limitParam(ctx, dflt);
    const from = ctx.query.get('from');
    const to = ctx.query.get('to');
    const fromPos = from === null ? null : parseEventPosition(from);
    const toPos = to === null ? null : parseEventPosition(to);
    let list = dir === 'b' ? [...events].reverse() : events;
    if (fromPos !== null) list = list.filter((e) => (dir === 'b' ? e.streamOrdering <= fromPos : e.streamOrdering > fromPos));
    if (toPos !== null) list = list.filter((e) => (dir === 'b' ? e.streamOrdering > toPos : e.streamOrdering <= toPos));
    const chunk = list.slice(0, limit);
    const next = list.length > limit ? eventPositionToken(dir === 'b' ? chunk.at(-1)!.streamOrdering - 1 : chunk.at(-1)!.streamOrdering) : undefined;
    return { chunk, next };
  }

  async function relations(ctx: RequestContext) {
    const roomId = ctx.params.roomId!;
    const me = ctx.principal!.userId;
    await roomAccess(s.rooms, s.reader, roomId, me);
    const parent = await s.reader.getEvent(ctx.params.eventId!);
    const visible = await visibilityFilter(s.store, s.reader, roomId, me);
    if (!parent || parent.pdu.room_id !== roomId || !visible(parent)) throw new MatrixError(404, 'M_NOT_FOUND', 'Event not found.');
    let children = await s.store.rooms.relations(roomId, parent.pdu.event_id, ctx.params.relType ?? null);
    if (ctx.query.get('recurse') === 'true') {
      const seen = new Set(children.map((c) => c.pdu.event_id));
      for (let i = 0; i < children.length && i < 1000; i++) {
        for (const c of await s.store.rooms.relations(roomId, children[i]!.pdu.event_id, ctx.params.relType ?? null)) {
          if (!seen.has(c.pdu.event_id)) { seen.add(c.pdu.event_id); children.push(c); }
        }
      }
      children.sort((a, b) => a.streamOrdering - b.streamOrdering);
    }
    const type = ctx.params.eventType;
    children = children.filter((c) => visible(c) && (type === undefined || c.pdu.type === type));
    const { chunk, next } = page(children, ctx, 5);
    const rv = (await s.rooms.roomState(roomId))!.rv;
    return {
      chunk: await toClientEvents(chunk, rv, { now: s.now(), viewer: ctx.principal }, s.reader.getEvents),
      ...(next ? { next_batch: next } : {}),
      ...(ctx.query.get('recurse') === 'true' ? { recursion_depth: 3 } : {}),
    };
  }

  return [
    /** GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId} */
    ...clientRoute('GET', '/rooms/{roomId}/relations/{eventId}', 'user', relations, v1),
    /** GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}/{relType} */
    ...clientRoute('GET', '/rooms/{roomId}/relations/{eventId}/{relType}', 'user', relations, v1),
    /** GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}/{relType}/{eventType} */
    ...clientRoute('GET', '/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}', 'user', relations, v1),
    /** GET /_matrix/client/v1/rooms/{roomId}/threads */
    ...clientRoute('GET', '/rooms/{roomId}/threads', 'user', async (ctx) => {
      const roomId = ctx.params.roomId!;
      const me = ctx.principal!.userId;
      await roomAccess(s.rooms, s.reader, roomId, me);
      const include = ctx.query.get('include') ?? 'all';
      if (include !== 'all' && include !== 'participated') throw new MatrixError(400, 'M_INVALID_PARAM', 'include must be all or participated');
      const visible = await visibilityFilter(s.store, s.reader, roomId, me);
      const roots = await s.reader.getEvents(await s.store.rooms.threadRoots(roomId));
      const entries: Array<{ root: StoredEvent; latest: StoredEvent; count: number; participated: boolean }> = [];
      for (const root of roots.values()) {
        if (!visible(root)) continue;
        const replies = (await s.store.rooms.relations(roomId, root.pdu.event_id, 'm.thread')).filter(visible);
        if (!replies.length) continue;
        const participated = root.pdu.sender === me || replies.some((r) => r.pdu.sender === me);
        if (include === 'participated' && !participated) continue;
        entries.push({ root, latest: replies.at(-1)!, count: replies.length, participated });
      }
      // Most recent activity first; the page token is the latest reply's position.
      entries.sort((a, b) => b.latest.streamOrdering - a.latest.streamOrdering);
      const from = ctx.query.get('from');
      const fromPos = from === null ? null : parseEventPosition(from);
      const list = fromPos === null ? entries : entries.filter((e) => e.latest.streamOrdering <= fromPos);
      const limit = limitParam(ctx, 10);
      const pageItems = list.slice(0, limit);
      const rv = (await s.rooms.roomState(roomId))!.rv;
      const opts = { now: s.now(), viewer: ctx.principal };
      const chunk = [];
      for (const e of pageItems) {
        const [root] = await toClientEvents([e.root], rv, opts, s.reader.getEvents);
        const [latest] = await toClientEvents([e.latest], rv, opts, s.reader.getEvents);
        root!.unsigned = { ...root!.unsigned, 'm.relations': { 'm.thread': { latest_event: latest, count: e.count, current_user_participated: e.participated } } };
        chunk.push(root);
      }
      const next = list.length > limit ? eventPositionToken(pageItems.at(-1)!.latest.streamOrdering - 1) : undefined;
      return { chunk, ...(next ? { next_batch: next } : {}) };
    }, v1),
    /** GET /_matrix/client/v1/rooms/{roomId}/timestamp_to_event */
    ...clientRoute('GET', '/rooms/{roomId}/timestamp_to_event', 'user', async (ctx) => {
      const roomId = ctx.params.roomId!;
      const me = ctx.principal!.userId;
      await roomAccess(s.rooms, s.reader, roomId, me);
      const tsRaw = ctx.query.get('ts');
      const dir = ctx.query.get('dir');
      if (tsRaw === null || !/^\d+$/.test(tsRaw)) throw new MatrixError(400, 'M_MISSING_PARAM', 'ts must be a timestamp in milliseconds');
      if (dir !== 'f' && dir !== 'b') throw new MatrixError(400, 'M_INVALID_PARAM', 'dir must be f or b');
      const e = await s.store.rooms.eventAtTimestamp(roomId, Number(tsRaw), dir);
      const visible = await visibilityFilter(s.store, s.reader, roomId, me);
      if (!e || !visible(e)) throw new MatrixError(404, 'M_NOT_FOUND', `Unable to find event from ${tsRaw} in direction ${dir}`);
      return { event_id: e.pdu.event_id, origin_server_ts: e.pdu.origin_server_ts };
    }, v1),
  ];
}
