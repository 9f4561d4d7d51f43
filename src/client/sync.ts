/** GET /sync: parses since, timeout, filter, full_state and set_presence, and hands the request to the sync engine. */
import { clientRoute, type Route } from '../http/route.js';
import { MatrixError } from '../http/errors.js';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from '../sync/sync-options.js';
import type { Services } from '../services.js';

/** Longest long-poll we hold a request for. */
const MAX_TIMEOUT_MS = 5 * 60_000;

export interface SyncFilterResolver {
  /** Turns the `filter` parameter (an id or inline JSON) into sync options. */
  (userId: string, filterParam: string | null): Promise<Partial<SyncOptions>>;
}

export function syncRoutes(s: Services, resolveFilter: SyncFilterResolver): Route[] {
  /** GET /_matrix/client/v3/sync */
  return clientRoute('GET', '/sync', 'user', async (ctx) => {
    const p = ctx.principal!;
    const timeoutRaw = ctx.query.get('timeout');
    if (timeoutRaw !== null && !/^\d+$/.test(timeoutRaw)) throw new MatrixError(400, 'M_INVALID_PARAM', 'timeout must be a non-negative integer');
    const fullState = ctx.query.get('full_state');
    if (fullState !== null && fullState !== 'true' && fullState !== 'false') throw new MatrixError(400, 'M_INVALID_PARAM', 'full_state must be true or false');
    const setPresence = ctx.query.get('set_presence');
    if (setPresence !== null && !['online', 'offline', 'unavailable'].includes(setPresence)) throw new MatrixError(400, 'M_INVALID_PARAM', 'set_presence must be online, offline or unavailable');
    const opts: SyncOptions = { ...DEFAULT_SYNC_OPTIONS, ...(await resolveFilter(p.userId, ctx.query.get('filter'))), fullState: fullState === 'true' };
    // set_presence (default online) marks the user active, as Synapse does; 'offline' leaves presence alone.
    const current = s.presence.get(p.userId) as { presence?: string } | undefined;
    if ((setPresence ?? 'online') === 'online' && current?.presence !== 'online') s.presence.set(p.userId, 'online');
    else if (setPresence === 'unavailable' && current?.presence !== 'unavailable') s.presence.set(p.userId, 'unavailable');
    else if (setPresence !== 'offline') s.presence.bumpActive(p.userId);
    const abort = new AbortController();
    ctx.onClose?.(() => abort.abort());
    return s.sync.sync({
      userId: p.userId, deviceId: p.deviceId, since: ctx.query.get('since') ?? undefined,
      timeoutMs: Math.min(Number(timeoutRaw ?? 0), MAX_TIMEOUT_MS), opts, signal: abort.signal,
    });
  }, ['v3', 'r0']).map((r) => ({ ...r, rateLimited: false }));
}
