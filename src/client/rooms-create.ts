/** POST /createRoom. */
import { clientRoute, type Route } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { createRoom, validateCreateRoom } from '../rooms/create-room.js';
import type { Services } from '../services.js';

export function createRoomRoutes(s: Services): Route[] {
  /** POST /_matrix/client/v3/createRoom */
  return clientRoute('POST', '/createRoom', 'user', async (ctx) => {
    const req = validateCreateRoom(jsonObject(ctx.body));
    const { roomId, alias } = await createRoom(
      { rooms: s.rooms, store: s.store, serverName: s.config.serverName, memberContent: s.memberContent },
      ctx.principal!.userId, req,
    );
    return { room_id: roomId, ...(alias ? { room_alias: alias } : {}) };
  });
}
