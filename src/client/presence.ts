/** Presence (spec §"Presence"): GET and PUT /presence/{userId}/status. */
import { clientRoute, type Route } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError, forbidden } from '../http/errors.js';
import { PRESENCE_STATES, type PresenceState } from '../presence/presence.js';
import type { Services } from '../services.js';

export function presenceRoutes(s: Services): Route[] {
  /** Whether `observer` may see `target`'s presence: themselves, or someone they share a joined room with (as Synapse). */
  async function visible(observer: string, target: string): Promise<boolean> {
    if (observer === target) return true;
    const mine = new Set((await s.store.rooms.roomsForUser(observer)).filter((m) => m.membership === 'join').map((m) => m.roomId));
    return (await s.store.rooms.roomsForUser(target)).some((m) => m.membership === 'join' && mine.has(m.roomId));
  }

  return [
    /** PUT /_matrix/client/v3/presence/{userId}/status */
    ...clientRoute('PUT', '/presence/{userId}/status', 'user', (ctx) => {
      if (ctx.params.userId !== ctx.principal!.userId) throw forbidden('You cannot set the presence state of another user');
      const body = jsonObject(ctx.body);
      if (body.presence === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', 'Missing presence');
      if (!PRESENCE_STATES.includes(body.presence as PresenceState)) throw new MatrixError(400, 'M_INVALID_PARAM', 'presence must be online, unavailable or offline');
      if (body.status_msg !== undefined && body.status_msg !== null && typeof body.status_msg !== 'string') throw new MatrixError(400, 'M_BAD_JSON', 'status_msg must be a string');
      // With presence off this is accepted and ignored (as Synapse).
      s.presence.set(ctx.principal!.userId, body.presence as PresenceState, body.status_msg as string | null | undefined);
      return {};
    }),
    /** GET /_matrix/client/v3/presence/{userId}/status */
    ...clientRoute('GET', '/presence/{userId}/status', 'user', async (ctx) => {
      const target = ctx.params.userId!;
      if (!s.presence.enabled) return { presence: 'offline' };
      const me = ctx.principal!.userId;
      if (target !== me && target.endsWith(`:${s.config.serverName}`) && !(await s.store.accounts.getUser(target))) {
        throw new MatrixError(404, 'M_NOT_FOUND', 'Unknown user');
      }
      if (!(await visible(me, target))) throw forbidden('You are not allowed to see their presence');
      return s.presence.get(target);
    }),
  ];
}
