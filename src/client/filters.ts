/** Filtering (spec: "Filtering"): uploading and downloading filters for /sync and /messages. */
import { notFound } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import { clientRoute, type RequestContext, type Route } from '../http/route.js';
import type { Services } from '../services.js';
import { validateFilter } from '../sync/filter.js';
import { requireSelf } from './user-data-checks.js';

export function filterRoutes(s: Services): Route[] {
  /** POST /_matrix/client/v3/user/{userId}/filter */
  const create = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'create filters');
    const filter = validateFilter(jsonObject(ctx.body));
    return { filter_id: await s.store.filters.create(userId, filter) };
  };

  /** GET /_matrix/client/v3/user/{userId}/filter/{filterId} */
  const get = async (ctx: RequestContext) => {
    const userId = requireSelf(ctx, 'get filters');
    const filter = await s.store.filters.get(userId, ctx.params.filterId!);
    if (filter === undefined) throw notFound('No such filter');
    return filter;
  };

  return [
    ...clientRoute('POST', '/user/{userId}/filter', 'user', create),
    ...clientRoute('GET', '/user/{userId}/filter/{filterId}', 'user', get),
  ];
}
