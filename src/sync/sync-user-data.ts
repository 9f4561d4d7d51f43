/** The per-user parts of /sync from account data, push rules and unread counts; and a sync filter turned into SyncOptions. */
import type { Store } from '../storage/types.js';
import { getPushRulesContent, PUSH_RULES_TYPE } from '../push/push-rules.js';
import { matchesEventFilter, resolveFilterParam, roomAllowed, limitOf, type Filter } from './filter.js';
import type { SyncExtras } from './sync-extras.js';
import type { SyncOptions } from './sync-options.js';
import type { UnreadCounter } from './unread.js';
import type { E2eSync } from '../e2e/e2e-sync.js';

const MAX_TIMELINE_LIMIT = 100;

/** SyncExtras backed by the account data store (global and per room), push rules, the unread counter and, when given, the e2e sections. */
export function createUserDataSyncExtras(deps: { store: Store; unread: UnreadCounter; e2e?: E2eSync }): SyncExtras {
  const { store } = deps;
  return {
    accountDataPosition: () => store.accountData.currentStreamId(),
    toDevicePosition: () => deps.e2e?.toDevicePosition() ?? 0,
    deviceListPosition: () => deps.e2e?.deviceListPosition() ?? 0,
    async roomsWithAccountData(userId, since, upto) {
      if (upto <= since) return new Set();
      return new Set(Object.keys((await store.accountData.changesSince(userId, since, upto)).rooms));
    },
    async roomAccountData(userId, roomId, since) {
      if (since === null) return store.accountData.listForRoom(userId, roomId);
      return (await store.accountData.changesSince(userId, since)).rooms[roomId] ?? [];
    },
    async userSections(req, since, upto) {
      let global: Array<{ type: string; content: unknown }>;
      if (since === null) {
        global = (await store.accountData.listGlobal(req.userId)).filter((e) => e.type !== PUSH_RULES_TYPE);
        // Like Synapse, an initial sync always carries the effective push rules, defaults included.
        global.push({ type: PUSH_RULES_TYPE, content: await getPushRulesContent({ store }, req.userId) });
      } else {
        global = (await store.accountData.changesSince(req.userId, since.accountData, upto.accountData)).global;
      }
      global = global.filter((e) => req.opts.accountDataAllowed(e.type));
      const e2e = deps.e2e ? await deps.e2e.sections(req.userId, req.deviceId, since, upto) : undefined;
      return {
        body: {
          account_data: { events: global }, presence: { events: [] }, to_device: { events: [] },
          device_lists: { changed: [], left: [] }, device_one_time_keys_count: {}, device_unused_fallback_key_types: [],
          ...e2e?.body,
        },
        empty: since !== null && global.length === 0 && (e2e?.empty ?? true),
        ...(e2e?.toDeviceUpto !== undefined ? { toDeviceUpto: e2e.toDeviceUpto } : {}),
      };
    },
    unreadCounts: (userId, roomId) => deps.unread.counts(userId, roomId),
  };
}

/** Turns a parsed filter into what the sync engine applies. */
export function syncOptionsFromFilter(f: Filter): Partial<SyncOptions> {
  const r = f.room;
  return {
    timelineLimit: limitOf(r.timeline, 10, MAX_TIMELINE_LIMIT),
    lazyLoadMembers: r.state.lazyLoadMembers,
    includeLeave: r.includeLeave,
    roomAllowed: (roomId) => roomAllowed(r, roomId) && roomAllowed(r.timeline, roomId),
    timelineEventAllowed: (e) => matchesEventFilter(r.timeline, e),
    stateEventAllowed: (e) => matchesEventFilter(r.state, e),
    ephemeralAllowed: (type) => matchesEventFilter(r.ephemeral, { type }),
    accountDataAllowed: (type) => matchesEventFilter(f.accountData, { type }),
    presenceAllowed: (type) => matchesEventFilter(f.presence, { type }),
  };
}

/** Resolves /sync's `filter` parameter (a stored filter id or inline JSON). */
export function createSyncFilterResolver(store: Store) {
  return async (userId: string, param: string | null): Promise<Partial<SyncOptions>> => {
    if (param === null || param === '') return {};
    const f = await resolveFilterParam(param, (id) => store.filters.get(userId, id));
    return syncOptionsFromFilter(f);
  };
}
