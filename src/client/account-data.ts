/** Client Config (spec: "Client Config"): GET/PUT of global and per-room account data, refusing server-managed types. */
import { MatrixError, notFound } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import { clientRoute, type RequestContext, type Route } from '../http/route.js';
import type { Services } from '../services.js';
import { writeAccountData } from '../account-data/write.js';
import { PUSH_RULES_TYPE, getPushRulesContent } from '../push/push-rules.js';
import { requireRoomId, requireSelf } from './user-data-checks.js';

/**
 * "Servers MUST reject setting account data for event types that the server manages by using a 405
 * error response. Currently, this only includes m.fully_read and m.push_rules." (errcode M_BAD_JSON)
 */
export const SERVER_MANAGED_TYPES: ReadonlySet<string> = new Set(['m.fully_read', PUSH_RULES_TYPE]);

function refuseServerManaged(type: string): void {
  if (!SERVER_MANAGED_TYPES.has(type)) return;
  const use = type === PUSH_RULES_TYPE ? 'Use /pushrules' : 'Use /rooms/{roomId}/read_markers';
  throw new MatrixError(405, 'M_BAD_JSON', `Cannot set ${type} through this API. ${use}`);
}

export function accountDataRoutes(s: Services): Route[] {
  /** PUT /_matrix/client/v3/user/{userId}/account_data/{type} */
  const putGlobal = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'add account data');
    refuseServerManaged(ctx.params.type!);
    await writeAccountData(s, userId, null, ctx.params.type!, jsonObject(ctx.body));
    return {};
  };

  /** GET /_matrix/client/v3/user/{userId}/account_data/{type} */
  const getGlobal = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'get account data');
    const type = ctx.params.type!;
    // "Servers must allow clients to read the above event types as normal": the push rules are merged with the defaults.
    if (type === PUSH_RULES_TYPE) return getPushRulesContent(s, userId);
    const content = await s.store.accountData.get(userId, null, type);
    if (content === undefined) throw notFound('Account data not found.');
    return content;
  };

  /** PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type} */
  const putRoom = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'add account data');
    const roomId = requireRoomId(ctx);
    refuseServerManaged(ctx.params.type!);
    await writeAccountData(s, userId, roomId, ctx.params.type!, jsonObject(ctx.body));
    return {};
  };

  /** GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type} */
  const getRoom = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'get account data');
    const roomId = requireRoomId(ctx);
    const content = await s.store.accountData.get(userId, roomId, ctx.params.type!);
    if (content === undefined) throw notFound('Room account data not found.');
    return content;
  };

  return [
    ...clientRoute('PUT', '/user/{userId}/account_data/{type}', 'user', putGlobal),
    ...clientRoute('GET', '/user/{userId}/account_data/{type}', 'user', getGlobal),
    ...clientRoute('PUT', '/user/{userId}/rooms/{roomId}/account_data/{type}', 'user', putRoom),
    ...clientRoute('GET', '/user/{userId}/rooms/{roomId}/account_data/{type}', 'user', getRoom),
  ];
}
