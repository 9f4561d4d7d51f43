/** Reading a room's history and members: /messages, /context, /members, /joined_members. */
import { clientRoute, type Route } from '../http/route.js';
import { MatrixError } from '../http/errors.js';
import { roomAccess } from '../rooms/access.js';
import { toClientEvents } from '../rooms/client-event.js';
import { visibilityFilter } from '../rooms/visibility.js';
import { eventPositionToken, parseEventPosition } from '../sync/sync-token.js';
import type { StoredEvent } from '../storage/room-types.js';
import type { Services } from '../services.js';
import { parseRoomEventFilter } from './filter-param.js';
import { limitParam } from './query-params.js';
import { IGNORED_USER_LIST, ignoredUsers } from '../account-data/ignored-users.js';


export function roomReadRoutes(s: Services): Route[] {
  /** Visible, filtered events walking from `from` in `dir`, at most `limit`, stopping at `to`. */
  async function walk(roomId: string, userId: string, from: number, dir: 'f' | 'b', limit: number, to: number | null, accept: (e: StoredEvent) => boolean) {
    const visible = await visibilityFilter(s.store, s.reader, roomId, userId);
    const out: StoredEvent[] = [];
    let cursor = dir === 'b' ? from + 1 : from;
    let exhausted = false;
    while (out.length < limit) {
      const bound = dir === 'b' ? (to ?? 0) : (to === null ? Number.MAX_SAFE_INTEGER : to + 1);
      const batch = await s.reader.roomEvents({ roomId, from: cursor, to: bound, dir, limit: Math.max(limit * 2, 20) });
      if (batch.length === 0) { exhausted = true; break; }
      for (const e of batch) {
        cursor = e.streamOrdering;
        if (!e.rejected && visible(e) && accept(e)) out.push(e);
        if (out.length >= limit) break;
      }
    }
    return { events: out, cursor, exhausted };
  }

  return [
    /** GET /_matrix/client/v3/rooms/{roomId}/messages */
    ...clientRoute('GET', '/rooms/{roomId}/messages', 'user', async (ctx) => {
      const roomId = ctx.params.roomId!;
      const me = ctx.principal!.userId;
      const access = await roomAccess(s.rooms, s.reader, roomId, me);
      const dir = ctx.query.get('dir') ?? 'b';
      if (dir !== 'b' && dir !== 'f') throw new MatrixError(400, 'M_INVALID_PARAM', 'dir must be b or f');
      const filter = parseRoomEventFilter(ctx.query.get('filter'));
      const ignored = ignoredUsers(await s.store.accountData.get(me, null, IGNORED_USER_LIST));
      const accept = (e: StoredEvent) => (typeof e.pdu.state_key === 'string' || !ignored.has(e.pdu.sender)) && filter.accept(e);
      const limit = limitParam(ctx, 10);
      let cap = s.rooms.position();
      if (access.membership !== 'join' && !access.worldReadable && access.membershipEventId) {
        cap = (await s.reader.getEvent(access.membershipEventId))?.streamOrdering ?? cap;
      }
      const fromRaw = ctx.query.get('from');
      const from = fromRaw === null ? (dir === 'b' ? cap : 0) : Math.min(parseEventPosition(fromRaw), cap);
      const toRaw = ctx.query.get('to');
      const to = toRaw === null ? null : parseEventPosition(toRaw);
      const { events, cursor, exhausted } = await walk(roomId, me, from, dir, limit, dir === 'f' ? Math.min(to ?? cap, cap) : to, accept);
      const rv = (await s.rooms.roomState(roomId))!.rv;
      const chunk = await toClientEvents(events, rv, { now: s.now(), viewer: ctx.principal }, s.reader.getEvents);
      const end = dir === 'b' ? cursor - 1 : cursor;
      const body: Record<string, unknown> = { chunk, start: fromRaw ?? eventPositionToken(from) };
      if (!exhausted && events.length > 0) body.end = eventPositionToken(end);
      if (filter.lazyLoadMembers) {
        const senders = new Set(events.map((e) => e.pdu.sender));
        const room = (await s.rooms.roomState(roomId))!;
        const ids = [...senders].map((u) => room.state.get(`m.room.member\u0000${u}`)).filter((x): x is string => !!x);
        const members = await s.reader.getEvents(ids);
        body.state = await toClientEvents([...members.values()], rv, { now: s.now() }, s.reader.getEvents);
      }
      return body;
    }),
    /** GET /_matrix/client/v3/rooms/{roomId}/context/{eventId} */
    ...clientRoute('GET', '/rooms/{roomId}/context/{eventId}', 'user', async (ctx) => {
      const roomId = ctx.params.roomId!;
      const me = ctx.principal!.userId;
      await roomAccess(s.rooms, s.reader, roomId, me);
      const target = await s.reader.getEvent(ctx.params.eventId!);
      const visible = await visibilityFilter(s.store, s.reader, roomId, me);
      if (!target || target.pdu.room_id !== roomId || !visible(target)) throw new MatrixError(404, 'M_NOT_FOUND', 'Event not found.');
      const limit = limitParam(ctx, 10);
      const filter = parseRoomEventFilter(ctx.query.get('filter'));
      const before = await walk(roomId, me, target.streamOrdering - 1, 'b', Math.floor(limit / 2), null, filter.accept);
      const after = await walk(roomId, me, target.streamOrdering, 'f', Math.ceil(limit / 2), s.rooms.position(), filter.accept);
      const room = (await s.rooms.roomState(roomId))!;
      const opts = { now: s.now(), viewer: ctx.principal };
      const stateIds = target.stateGroup != null ? await s.reader.stateOfGroup(target.stateGroup) : room.state;
      const state = await s.reader.getEvents([...stateIds.values()]);
      return {
        event: (await toClientEvents([target], room.rv, opts, s.reader.getEvents))[0],
        events_before: await toClientEvents(before.events, room.rv, opts, s.reader.getEvents),
        events_after: await toClientEvents(after.events, room.rv, opts, s.reader.getEvents),
        start: eventPositionToken(before.cursor - 1),
        end: eventPositionToken(after.events.at(-1)?.streamOrdering ?? target.streamOrdering),
        state: await toClientEvents([...state.values()], room.rv, opts, s.reader.getEvents),
      };
    }),
    /** GET /_matrix/client/v3/rooms/{roomId}/members */
    ...clientRoute('GET', '/rooms/{roomId}/members', 'user', async (ctx) => {
      const roomId = ctx.params.roomId!;
      const access = await roomAccess(s.rooms, s.reader, roomId, ctx.principal!.userId);
      const room = (await s.rooms.roomState(roomId))!;
      let state: ReadonlyMap<string, string> = room.state;
      const at = ctx.query.get('at');
      if (at !== null || (access.membership !== 'join' && !access.worldReadable && access.membershipEventId)) {
        const pos = at !== null ? parseEventPosition(at) : (await s.reader.getEvent(access.membershipEventId!))!.streamOrdering;
        const [e] = await s.store.rooms.roomEvents({ roomId, from: pos + 1, to: 0, dir: 'b', limit: 1 });
        state = e?.stateGroup != null ? await s.reader.stateOfGroup(e.stateGroup) : new Map();
      }
      const want = ctx.query.get('membership');
      const notWant = ctx.query.get('not_membership');
      const ids = [...state].filter(([k]) => k.startsWith('m.room.member\u0000')).map(([, id]) => id);
      const events = [...(await s.reader.getEvents(ids)).values()].filter((e) => {
        const m = e.pdu.content.membership;
        return (want === null || m === want) && (notWant === null || m !== notWant);
      });
      return { chunk: await toClientEvents(events, room.rv, { now: s.now(), viewer: ctx.principal }, s.reader.getEvents) };
    }),
    /** GET /_matrix/client/v3/rooms/{roomId}/joined_members */
    ...clientRoute('GET', '/rooms/{roomId}/joined_members', 'user', async (ctx) => {
      const roomId = ctx.params.roomId!;
      const access = await roomAccess(s.rooms, s.reader, roomId, ctx.principal!.userId, false);
      void access;
      const room = (await s.rooms.roomState(roomId))!;
      const ids = [...room.state].filter(([k]) => k.startsWith('m.room.member\u0000')).map(([, id]) => id);
      const joined: Record<string, { display_name?: string; avatar_url?: string }> = {};
      for (const e of (await s.reader.getEvents(ids)).values()) {
        if (e.pdu.content.membership !== 'join') continue;
        const c = e.pdu.content as { displayname?: unknown; avatar_url?: unknown };
        joined[e.pdu.state_key!] = {
          ...(typeof c.displayname === 'string' ? { display_name: c.displayname } : {}),
          ...(typeof c.avatar_url === 'string' ? { avatar_url: c.avatar_url } : {}),
        };
      }
      return { joined };
    }),
  ];
}
