/** Sending and reading single events: PUT send/{eventType}/{txnId}, PUT redact/{eventId}/{txnId}, GET event/{eventId}. */
import { clientRoute, type Route } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import { stateMapKey } from '../events/state-map.js';
import { getPowerLevel, getNamedLevel } from '../events/auth-power-levels.js';
import { authEventMap } from '../events/auth-events-selection.js';
import { roomAccess } from '../rooms/access.js';
import { toClientEvents } from '../rooms/client-event.js';
import { visibilityFilter } from '../rooms/visibility.js';
import type { Services } from '../services.js';

export function sendRoutes(s: Services): Route[] {
  return [
    /** PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId} */
    ...clientRoute('PUT', '/rooms/{roomId}/send/{eventType}/{txnId}', 'user', async (ctx) => {
      const content = jsonObject(ctx.body);
      const p = ctx.principal!;
      const r = await s.rooms.send({
        roomId: ctx.params.roomId!, sender: p.userId, type: ctx.params.eventType!, content,
        txn: { deviceId: p.deviceId, txnId: ctx.params.txnId! },
      });
      return { event_id: r.eventId };
    }),
    /** PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId} */
    ...clientRoute('PUT', '/rooms/{roomId}/redact/{eventId}/{txnId}', 'user', async (ctx) => {
      const body = jsonObject(ctx.body, true);
      const p = ctx.principal!;
      const roomId = ctx.params.roomId!;
      const targetId = ctx.params.eventId!;
      const room = await s.rooms.roomState(roomId);
      if (!room) throw new MatrixError(403, 'M_FORBIDDEN', 'You are not a member of this room');
      const target = await s.reader.getEvent(targetId);
      // Redacting someone else's event needs the redact power level (spec: "Redactions").
      if (target && target.pdu.room_id === roomId && target.pdu.sender !== p.userId) {
        const plId = room.state.get(stateMapKey('m.room.power_levels', ''));
        const createId = room.state.get(stateMapKey('m.room.create', ''));
        const evs = await s.reader.getEvents([plId, createId].filter((x): x is string => !!x));
        const auth = authEventMap([...evs.values()].map((e) => e.pdu));
        if (getPowerLevel(p.userId, auth, room.rv) < getNamedLevel('redact', auth, room.rv)) {
          throw new MatrixError(403, 'M_FORBIDDEN', 'You cannot redact other users\' events');
        }
      }
      const content: Record<string, unknown> = typeof body.reason === 'string' ? { reason: body.reason } : {};
      if (room.rv.redactsInContent) content.redacts = targetId;
      const r = await s.rooms.send({
        roomId, sender: p.userId, type: 'm.room.redaction', content, redacts: targetId,
        txn: { deviceId: p.deviceId, txnId: `redact:${ctx.params.txnId!}` },
      });
      if (target && target.pdu.room_id === roomId && !target.redactedBy) {
        await s.store.rooms.setRedactedBy(targetId, r.eventId);
        s.reader.forget(targetId);
      }
      return { event_id: r.eventId };
    }),
    /** GET /_matrix/client/v3/rooms/{roomId}/event/{eventId} */
    ...clientRoute('GET', '/rooms/{roomId}/event/{eventId}', 'user', async (ctx) => {
      const roomId = ctx.params.roomId!;
      await roomAccess(s.rooms, s.reader, roomId, ctx.principal!.userId);
      const e = await s.reader.getEvent(ctx.params.eventId!);
      if (!e || e.pdu.room_id !== roomId || e.rejected) throw new MatrixError(404, 'M_NOT_FOUND', 'Event not found.');
      const visible = await visibilityFilter(s.store, s.reader, roomId, ctx.principal!.userId);
      if (!visible(e)) throw new MatrixError(404, 'M_NOT_FOUND', 'Event not found.');
      const rv = (await s.rooms.roomState(roomId))!.rv;
      return (await toClientEvents([e], rv, { now: s.now(), viewer: ctx.principal }, s.reader.getEvents))[0];
    }),
  ];
}
