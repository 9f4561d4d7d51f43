/** Query parameters shared by the client API modules: non-negative integers and page limits (400 M_INVALID_PARAM otherwise). */
import { MatrixError } from '../http/errors.js';
import type { RequestContext } from '../http/route.js';

/** A non-negative integer parameter, or undefined when absent. */
export function intParam(ctx: Pick<RequestContext, 'query'>, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw new MatrixError(400, 'M_INVALID_PARAM', `${name} must be a non-negative integer`);
  return Number(raw);
}

/** `limit`, defaulting to `dflt` and capped at `max`. */
export function limitParam(ctx: Pick<RequestContext, 'query'>, dflt: number, max = 1000): number {
  return Math.min(intParam(ctx, 'limit') ?? dflt, max);
}
