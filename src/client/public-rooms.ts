/** The published room directory listing (spec §"Published room directory"): GET and POST /publicRooms for this server's rooms. */
import { clientRoute, type Route, type RequestContext } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import { isValidServerName } from '../events/auth-common.js';
import { listPublicRooms, type PublicRoomsQuery } from '../rooms/public-rooms.js';
import type { Services } from '../services.js';

const badJson = (msg: string) => new MatrixError(400, 'M_BAD_JSON', msg);

/** A limit of 0 means no limit (as Synapse). */
const limitOf = (n: number | undefined) => (n === undefined || n === 0 ? undefined : n);

/** POST /publicRooms's body as a query (400 M_BAD_JSON for wrong types). */
function parseBody(body: Record<string, unknown>): PublicRoomsQuery {
  const q: PublicRoomsQuery = {};
  if (body.limit !== undefined) {
    if (!Number.isSafeInteger(body.limit) || (body.limit as number) < 0) throw badJson('limit must be a non-negative integer');
    q.limit = limitOf(body.limit as number);
  }
  if (body.since !== undefined) {
    if (typeof body.since !== 'string') throw badJson('since must be a string');
    q.since = body.since;
  }
  if (body.filter !== undefined && body.filter !== null) {
    if (typeof body.filter !== 'object' || Array.isArray(body.filter)) throw badJson('filter must be an object');
    const f = body.filter as Record<string, unknown>;
    if (f.generic_search_term !== undefined && f.generic_search_term !== null) {
      if (typeof f.generic_search_term !== 'string') throw badJson('generic_search_term must be a string');
      q.searchTerm = f.generic_search_term.trim();
    }
    if (f.room_types !== undefined && f.room_types !== null) {
      if (!Array.isArray(f.room_types) || !f.room_types.every((t) => t === null || typeof t === 'string')) throw badJson('room_types must be a list of strings or null');
      q.roomTypes = f.room_types as Array<string | null>;
    }
  }
  if (body.include_all_networks !== undefined && typeof body.include_all_networks !== 'boolean') throw badJson('include_all_networks must be a boolean');
  if (body.third_party_instance_id !== undefined) {
    if (typeof body.third_party_instance_id !== 'string') throw badJson('third_party_instance_id must be a string');
    if (body.include_all_networks === true) throw new MatrixError(400, 'M_INVALID_PARAM', "Can't use include_all_networks with an explicit network");
    q.thirdPartyInstanceId = body.third_party_instance_id;
  }
  return q;
}

export function publicRoomsRoutes(s: Services): Route[] {
  /** Only this server's directory can be listed: other servers would need federation (404 M_UNKNOWN, see README). */
  function checkServer(ctx: RequestContext): void {
    const server = ctx.query.get('server');
    if (server === null || server === s.config.serverName) return;
    if (!isValidServerName(server)) throw new MatrixError(400, 'M_INVALID_PARAM', `Invalid server name: ${server}`);
    throw new MatrixError(404, 'M_UNKNOWN', `Cannot list the rooms of ${server}: federation is not available`);
  }
  const deps = { store: s.store, rooms: s.rooms, reader: s.reader };

  return [
    /** GET /_matrix/client/v3/publicRooms */
    ...clientRoute('GET', '/publicRooms', 'optional', async (ctx) => {
      checkServer(ctx);
      const rawLimit = ctx.query.get('limit');
      if (rawLimit !== null && !/^\d+$/.test(rawLimit)) throw new MatrixError(400, 'M_INVALID_PARAM', 'limit must be a non-negative integer');
      return listPublicRooms(deps, { limit: limitOf(rawLimit === null ? undefined : Number(rawLimit)), since: ctx.query.get('since') ?? undefined });
    }),
    /** POST /_matrix/client/v3/publicRooms */
    ...clientRoute('POST', '/publicRooms', 'user', async (ctx) => {
      checkServer(ctx);
      return listPublicRooms(deps, parseBody(jsonObject(ctx.body, true)));
    }),
  ];
}
