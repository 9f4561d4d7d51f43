/** The per-user data endpoints in one list for the route table: account data, tags, filters and push rules. */
import type { Route } from '../http/route.js';
import type { Services } from '../services.js';
import { accountDataRoutes } from './account-data.js';
import { filterRoutes } from './filters.js';
import { pushRuleRoutes } from './push-rules.js';
import { tagRoutes } from './tags.js';

export function userDataRoutes(s: Services): Route[] {
  return [...accountDataRoutes(s), ...tagRoutes(s), ...filterRoutes(s), ...pushRuleRoutes(s)];
}
