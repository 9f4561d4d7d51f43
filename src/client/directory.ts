/** Room directory (spec §"Room aliases" and §"Published room directory" visibility): aliases, local alias lists and directory visibility. */
import { clientRoute, type Route, type RequestContext } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import { createRoomDirectory, type DirectoryCaller } from '../rooms/room-directory.js';
import type { Services } from '../services.js';

const callerOf = (ctx: RequestContext): DirectoryCaller => ({ userId: ctx.principal!.userId, admin: ctx.principal!.admin });

export function directoryRoutes(s: Services): Route[] {
  const directory = createRoomDirectory({ rooms: s.rooms, reader: s.reader, store: s.store, serverName: s.config.serverName, log: s.log });
  return [
    /** GET /_matrix/client/v3/directory/room/{roomAlias} */
    ...clientRoute('GET', '/directory/room/{roomAlias}', 'optional', (ctx) => directory.resolve(ctx.params.roomAlias!)),
    /** PUT /_matrix/client/v3/directory/room/{roomAlias} */
    ...clientRoute('PUT', '/directory/room/{roomAlias}', 'user', async (ctx) => {
      const body = jsonObject(ctx.body);
      if (body.room_id === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', 'Missing room_id');
      if (typeof body.room_id !== 'string' || !body.room_id.startsWith('!')) throw new MatrixError(400, 'M_INVALID_PARAM', 'room_id must be a room id');
      await directory.create(ctx.params.roomAlias!, body.room_id, callerOf(ctx));
      return {};
    }),
    /** DELETE /_matrix/client/v3/directory/room/{roomAlias} */
    ...clientRoute('DELETE', '/directory/room/{roomAlias}', 'user', async (ctx) => {
      await directory.remove(ctx.params.roomAlias!, callerOf(ctx));
      return {};
    }),
    /** GET /_matrix/client/v3/rooms/{roomId}/aliases */
    ...clientRoute('GET', '/rooms/{roomId}/aliases', 'user', async (ctx) => ({ aliases: await directory.localAliases(ctx.params.roomId!, callerOf(ctx)) })),
    /** GET /_matrix/client/v3/directory/list/room/{roomId} */
    ...clientRoute('GET', '/directory/list/room/{roomId}', 'optional', async (ctx) => ({ visibility: await directory.visibility(ctx.params.roomId!) })),
    /** PUT /_matrix/client/v3/directory/list/room/{roomId} */
    ...clientRoute('PUT', '/directory/list/room/{roomId}', 'user', async (ctx) => {
      const body = jsonObject(ctx.body, true);
      const visibility = body.visibility ?? 'public';
      if (visibility !== 'public' && visibility !== 'private') throw new MatrixError(400, 'M_INVALID_PARAM', 'visibility must be public or private');
      await directory.setVisibility(ctx.params.roomId!, visibility, callerOf(ctx));
      return {};
    }),
  ];
}
