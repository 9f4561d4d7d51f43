/** Membership endpoints: join, invite, leave, forget, kick, ban, unban, knock, and GET /joined_rooms. */
import { clientRoute, type Route, type RequestContext } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import type { MembershipAction } from '../rooms/membership.js';
import type { Services } from '../services.js';

function reasonOf(body: Record<string, unknown>): string | undefined {
  if (body.reason === undefined) return undefined;
  if (typeof body.reason !== 'string') throw new MatrixError(400, 'M_BAD_JSON', 'reason must be a string');
  return body.reason;
}

function targetOf(body: Record<string, unknown>): string {
  if (typeof body.user_id !== 'string') throw new MatrixError(400, 'M_MISSING_PARAM', 'Missing user_id');
  if (!/^@[^:]+:.+$/.test(body.user_id)) throw new MatrixError(400, 'M_INVALID_PARAM', 'user_id is not a user id');
  return body.user_id;
}

export function membershipRoutes(s: Services): Route[] {
  const join = async (ctx: RequestContext, roomIdOrAlias: string) => {
    const body = jsonObject(ctx.body, true);
    const roomId = await s.membership.join(roomIdOrAlias, ctx.principal!.userId, reasonOf(body));
    return { room_id: roomId };
  };
  const action = (name: MembershipAction, withTarget: boolean) => async (ctx: RequestContext) => {
    const body = jsonObject(ctx.body, !withTarget);
    const me = ctx.principal!.userId;
    await s.membership.change(name, ctx.params.roomId!, me, withTarget ? targetOf(body) : me, reasonOf(body));
    return {};
  };
  return [
    /** POST /_matrix/client/v3/join/{roomIdOrAlias} */
    ...clientRoute('POST', '/join/{roomIdOrAlias}', 'user', (ctx) => join(ctx, ctx.params.roomIdOrAlias!)),
    /** POST /_matrix/client/v3/rooms/{roomId}/join */
    ...clientRoute('POST', '/rooms/{roomId}/join', 'user', (ctx) => join(ctx, ctx.params.roomId!)),
    /** POST /_matrix/client/v3/rooms/{roomId}/invite */
    ...clientRoute('POST', '/rooms/{roomId}/invite', 'user', action('invite', true)),
    /** POST /_matrix/client/v3/rooms/{roomId}/leave */
    ...clientRoute('POST', '/rooms/{roomId}/leave', 'user', action('leave', false)),
    /** POST /_matrix/client/v3/rooms/{roomId}/kick */
    ...clientRoute('POST', '/rooms/{roomId}/kick', 'user', action('kick', true)),
    /** POST /_matrix/client/v3/rooms/{roomId}/ban */
    ...clientRoute('POST', '/rooms/{roomId}/ban', 'user', action('ban', true)),
    /** POST /_matrix/client/v3/rooms/{roomId}/unban */
    ...clientRoute('POST', '/rooms/{roomId}/unban', 'user', action('unban', true)),
    /** POST /_matrix/client/v3/knock/{roomIdOrAlias} */
    ...clientRoute('POST', '/knock/{roomIdOrAlias}', 'user', async (ctx) => {
      const body = jsonObject(ctx.body, true);
      const roomId = await s.membership.resolveRoom(ctx.params.roomIdOrAlias!);
      await s.membership.change('knock', roomId, ctx.principal!.userId, ctx.principal!.userId, reasonOf(body));
      return { room_id: roomId };
    }),
    /** POST /_matrix/client/v3/rooms/{roomId}/forget */
    ...clientRoute('POST', '/rooms/{roomId}/forget', 'user', async (ctx) => {
      const me = ctx.principal!.userId;
      const m = await s.membership.currentMember(ctx.params.roomId!, me);
      if (m === undefined) throw new MatrixError(404, 'M_NOT_FOUND', 'You were never in this room');
      if (m.membership === 'join' || m.membership === 'invite' || m.membership === 'knock') throw new MatrixError(400, 'M_UNKNOWN', 'User must leave the room before forgetting it');
      await s.store.rooms.setForgotten(me, ctx.params.roomId!, true);
      return {};
    }),
    /** GET /_matrix/client/v3/joined_rooms */
    ...clientRoute('GET', '/joined_rooms', 'user', async (ctx) => ({
      joined_rooms: (await s.store.rooms.roomsForUser(ctx.principal!.userId)).filter((m) => m.membership === 'join').map((m) => m.roomId),
    })),
  ];
}
