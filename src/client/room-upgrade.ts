/** Room upgrades (spec §"Room Upgrades"): POST /rooms/{roomId}/upgrade. */
import { clientRoute, type Route } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import { isValidUserId } from '../events/auth-common.js';
import { createRoomUpgrader } from '../rooms/room-upgrade.js';
import type { Services } from '../services.js';

export function roomUpgradeRoutes(s: Services): Route[] {
  const upgrader = createRoomUpgrader({
    rooms: s.rooms, reader: s.reader, store: s.store, serverName: s.config.serverName, log: s.log, memberContent: s.memberContent,
  });
  /** POST /_matrix/client/v3/rooms/{roomId}/upgrade */
  return clientRoute('POST', '/rooms/{roomId}/upgrade', 'user', async (ctx) => {
    const body = jsonObject(ctx.body);
    if (body.new_version === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', 'Missing new_version');
    if (typeof body.new_version !== 'string') throw new MatrixError(400, 'M_BAD_JSON', 'new_version must be a string');
    const extra = body.additional_creators;
    if (extra !== undefined && (!Array.isArray(extra) || !extra.every(isValidUserId))) {
      throw new MatrixError(400, 'M_BAD_JSON', 'additional_creators must be a list of user ids');
    }
    const replacement = await upgrader.upgrade(ctx.principal!.userId, ctx.params.roomId!, { newVersion: body.new_version, additionalCreators: extra as string[] | undefined });
    return { replacement_room: replacement };
  });
}
