/** Reporting content (spec §"Reporting content"): POST /rooms/{roomId}/report/{eventId}, /rooms/{roomId}/report and /users/{userId}/report. */
import { clientRoute, type Route } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import { stateMapKey } from '../events/state-map.js';
import type { NewReport } from '../storage/report-types.js';
import type { Services } from '../services.js';

/** `reason`: a string, or absent when optional (400 M_MISSING_PARAM / M_BAD_JSON otherwise). */
function reasonOf(body: Record<string, unknown>, required: boolean): string | null {
  if (body.reason === undefined || body.reason === null) {
    if (required) throw new MatrixError(400, 'M_MISSING_PARAM', 'Missing reason');
    return null;
  }
  if (typeof body.reason !== 'string') throw new MatrixError(400, 'M_BAD_JSON', 'reason must be a string');
  return body.reason;
}

export function reportRoutes(s: Services): Route[] {
  const add = (r: Omit<NewReport, 'receivedTs'>) => s.store.reports.add({ ...r, receivedTs: s.now() });

  return [
    /** POST /_matrix/client/v3/rooms/{roomId}/report/{eventId} */
    ...clientRoute('POST', '/rooms/{roomId}/report/{eventId}', 'user', async (ctx) => {
      const reason = reasonOf(jsonObject(ctx.body, true), false);
      const { roomId, eventId } = ctx.params as { roomId: string; eventId: string };
      const me = ctx.principal!.userId;
      const notFound = new MatrixError(404, 'M_NOT_FOUND', 'The event was not found or you are not joined to the room.');
      // The reporter must be joined to the room, and the event must be in it (spec v1.8).
      const memberId = (await s.rooms.roomState(roomId))?.state.get(stateMapKey('m.room.member', me));
      if (!memberId || (await s.reader.getEvent(memberId))?.pdu.content.membership !== 'join') throw notFound;
      const event = await s.reader.getEvent(eventId);
      if (!event || event.pdu.room_id !== roomId || event.rejected) throw notFound;
      await add({ kind: 'event', roomId, eventId, targetUserId: event.pdu.sender, reporter: me, reason });
      return {};
    }),
    /** POST /_matrix/client/v3/rooms/{roomId}/report */
    ...clientRoute('POST', '/rooms/{roomId}/report', 'user', async (ctx) => {
      const reason = reasonOf(jsonObject(ctx.body), true);
      const roomId = ctx.params.roomId!;
      if (!(await s.store.rooms.getRoom(roomId))) throw new MatrixError(404, 'M_NOT_FOUND', 'The room was not found.');
      await add({ kind: 'room', roomId, eventId: null, targetUserId: null, reporter: ctx.principal!.userId, reason });
      return {};
    }),
    /** POST /_matrix/client/v3/users/{userId}/report */
    ...clientRoute('POST', '/users/{userId}/report', 'user', async (ctx) => {
      const reason = reasonOf(jsonObject(ctx.body), true);
      const target = ctx.params.userId!;
      // Local users must exist; a remote user cannot be checked without federation and is taken on trust.
      const local = target.endsWith(`:${s.config.serverName}`);
      if (!/^@[^:]+:.+$/.test(target) || (local && !(await s.store.accounts.getUser(target)))) throw new MatrixError(404, 'M_NOT_FOUND', 'The user was not found.');
      await add({ kind: 'user', roomId: null, eventId: null, targetUserId: target, reporter: ctx.principal!.userId, reason });
      return {};
    }),
  ];
}
