/** Typing, receipts and read markers: PUT typing/{userId}, POST receipt/{receiptType}/{eventId}, POST read_markers. */
import { clientRoute, type Route } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import { roomAccess } from '../rooms/access.js';
import type { Services } from '../services.js';

const RECEIPT_TYPES = new Set(['m.read', 'm.read.private', 'm.fully_read']);

export function ephemeralRoutes(s: Services, setFullyRead: (userId: string, roomId: string, eventId: string) => Promise<void>): Route[] {
  async function requireJoined(roomId: string, userId: string) {
    const a = await roomAccess(s.rooms, s.reader, roomId, userId, false);
    if (a.membership !== 'join') throw new MatrixError(403, 'M_FORBIDDEN', 'You are not in this room');
  }
  async function requireEvent(roomId: string, eventId: string) {
    const e = await s.reader.getEvent(eventId);
    if (!e || e.pdu.room_id !== roomId) throw new MatrixError(404, 'M_NOT_FOUND', 'Event not found');
  }
  async function receipt(userId: string, roomId: string, type: string, eventId: string, threadId: string) {
    if (type === 'm.fully_read') return setFullyRead(userId, roomId, eventId);
    await s.receipts.put(roomId, userId, type, eventId, threadId);
  }
  return [
    /** PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId} */
    ...clientRoute('PUT', '/rooms/{roomId}/typing/{userId}', 'user', async (ctx) => {
      const body = jsonObject(ctx.body);
      if (ctx.params.userId !== ctx.principal!.userId) throw new MatrixError(403, 'M_FORBIDDEN', 'You cannot set the typing state of another user');
      if (typeof body.typing !== 'boolean') throw new MatrixError(400, 'M_BAD_JSON', 'typing must be a boolean');
      if (body.timeout !== undefined && (typeof body.timeout !== 'number' || body.timeout < 0)) throw new MatrixError(400, 'M_BAD_JSON', 'timeout must be a number of milliseconds');
      await requireJoined(ctx.params.roomId!, ctx.principal!.userId);
      s.typing.set(ctx.params.roomId!, ctx.principal!.userId, body.typing, (body.timeout as number | undefined) ?? 30_000);
      return {};
    }),
    /** POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId} */
    ...clientRoute('POST', '/rooms/{roomId}/receipt/{receiptType}/{eventId}', 'user', async (ctx) => {
      const body = jsonObject(ctx.body, true);
      const type = ctx.params.receiptType!;
      if (!RECEIPT_TYPES.has(type)) throw new MatrixError(400, 'M_INVALID_PARAM', `Receipt type ${type} is not supported`);
      if (body.thread_id !== undefined && (typeof body.thread_id !== 'string' || body.thread_id === '')) throw new MatrixError(400, 'M_INVALID_PARAM', 'thread_id must be a non-empty string');
      if (type === 'm.fully_read' && body.thread_id !== undefined) throw new MatrixError(400, 'M_INVALID_PARAM', 'm.fully_read cannot be threaded');
      await requireJoined(ctx.params.roomId!, ctx.principal!.userId);
      await requireEvent(ctx.params.roomId!, ctx.params.eventId!);
      await receipt(ctx.principal!.userId, ctx.params.roomId!, type, ctx.params.eventId!, (body.thread_id as string | undefined) ?? '');
      return {};
    }),
    /** POST /_matrix/client/v3/rooms/{roomId}/read_markers */
    ...clientRoute('POST', '/rooms/{roomId}/read_markers', 'user', async (ctx) => {
      const body = jsonObject(ctx.body);
      await requireJoined(ctx.params.roomId!, ctx.principal!.userId);
      for (const type of ['m.fully_read', 'm.read', 'm.read.private']) {
        const id = body[type];
        if (id === undefined) continue;
        if (typeof id !== 'string') throw new MatrixError(400, 'M_BAD_JSON', `${type} must be an event id`);
        await requireEvent(ctx.params.roomId!, id);
        await receipt(ctx.principal!.userId, ctx.params.roomId!, type, id, '');
      }
      return {};
    }),
  ];
}
