/** Room state endpoints: GET /rooms/{roomId}/state and GET/PUT /rooms/{roomId}/state/{eventType}/{stateKey}. */
import { clientRoute, type Route, type RequestContext } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import { stateMapKey } from '../events/state-map.js';
import { roomAccess } from '../rooms/access.js';
import { toClientEvents } from '../rooms/client-event.js';
import { effectiveContent } from '../rooms/room-power.js';
import type { Services } from '../services.js';

export function roomStateRoutes(s: Services): Route[] {
  /** The state the user may see: current state if joined, else the state when they left. */
  async function visibleState(ctx: RequestContext): Promise<{ state: ReadonlyMap<string, string>; rv: NonNullable<Awaited<ReturnType<Services['rooms']['roomState']>>>['rv'] }> {
    const roomId = ctx.params.roomId!;
    const access = await roomAccess(s.rooms, s.reader, roomId, ctx.principal!.userId);
    const room = (await s.rooms.roomState(roomId))!;
    if (access.membership === 'join' || access.worldReadable || !access.membershipEventId) return room;
    const leave = await s.reader.getEvent(access.membershipEventId);
    return { rv: room.rv, state: leave?.stateGroup != null ? await s.reader.stateOfGroup(leave.stateGroup) : new Map() };
  }

  async function getOne(ctx: RequestContext) {
    const { state, rv } = await visibleState(ctx);
    const id = state.get(stateMapKey(ctx.params.eventType!, ctx.params.stateKey ?? ''));
    const e = id ? await s.reader.getEvent(id) : undefined;
    if (!e) throw new MatrixError(404, 'M_NOT_FOUND', 'Event not found.');
    if (ctx.query.get('format') === 'event') {
      const [ev] = await toClientEvents([e], rv, { now: s.now(), viewer: ctx.principal }, s.reader.getEvents);
      return ev;
    }
    // A redacted state event reads as what redaction left of it.
    return effectiveContent(e, rv);
  }

  async function put(ctx: RequestContext) {
    const content = jsonObject(ctx.body);
    const r = await s.rooms.send({
      roomId: ctx.params.roomId!, sender: ctx.principal!.userId, type: ctx.params.eventType!, stateKey: ctx.params.stateKey ?? '', content,
    });
    return { event_id: r.eventId };
  }

  return [
    /** GET /_matrix/client/v3/rooms/{roomId}/state */
    ...clientRoute('GET', '/rooms/{roomId}/state', 'user', async (ctx) => {
      const { state, rv } = await visibleState(ctx);
      const events = await s.reader.getEvents([...state.values()]);
      return toClientEvents([...events.values()], rv, { now: s.now(), viewer: ctx.principal }, s.reader.getEvents);
    }),
    /** GET /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey} */
    ...clientRoute('GET', '/rooms/{roomId}/state/{eventType}/{stateKey}', 'user', getOne),
    ...clientRoute('GET', '/rooms/{roomId}/state/{eventType}', 'user', getOne),
    ...clientRoute('GET', '/rooms/{roomId}/state/{eventType}/', 'user', getOne),
    /** PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey} */
    ...clientRoute('PUT', '/rooms/{roomId}/state/{eventType}/{stateKey}', 'user', put),
    ...clientRoute('PUT', '/rooms/{roomId}/state/{eventType}', 'user', put),
    ...clientRoute('PUT', '/rooms/{roomId}/state/{eventType}/', 'user', put),
  ];
}
