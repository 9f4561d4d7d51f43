/** User directory (spec §"User directory"): POST /user_directory/search. */
import { clientRoute, type Route } from '../http/route.js';
import { jsonObject } from '../http/body.js';
import { MatrixError } from '../http/errors.js';
import { searchUserDirectory } from '../rooms/user-directory.js';
import type { Services } from '../services.js';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 1000;

export function userDirectoryRoutes(s: Services): Route[] {
  /** POST /_matrix/client/v3/user_directory/search */
  return clientRoute('POST', '/user_directory/search', 'user', async (ctx) => {
    const body = jsonObject(ctx.body);
    if (body.search_term === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', 'Missing search_term');
    if (typeof body.search_term !== 'string') throw new MatrixError(400, 'M_BAD_JSON', 'search_term must be a string');
    if (body.limit !== undefined && (!Number.isSafeInteger(body.limit) || (body.limit as number) < 0)) {
      throw new MatrixError(400, 'M_INVALID_PARAM', 'limit must be a non-negative integer');
    }
    const limit = Math.min((body.limit as number | undefined) ?? DEFAULT_LIMIT, MAX_LIMIT);
    return searchUserDirectory(s.store, ctx.principal!.userId, body.search_term, limit);
  });
}
