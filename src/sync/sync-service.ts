/** GET /sync's engine: which rooms changed since a token, each room's section, ephemeral and per-user data, and the long-poll. */
import { stateMapKey } from '../events/state-map.js';
import type { Store } from '../storage/types.js';
import type { EventReader } from '../rooms/event-reader.js';
import type { RoomService } from '../rooms/room-service.js';
import type { Typing } from '../rooms/typing.js';
import type { Receipts } from '../rooms/receipts.js';
import type { Notifier } from './notifier.js';
import { formatToken, parseToken, type SyncPosition } from './sync-token.js';
import type { SyncOptions } from './sync-options.js';
import { strippedState, timelineSection, type RoomSyncContext } from './sync-room.js';
import { roomExtras, type SyncExtras } from './sync-extras.js';
import { IGNORED_USER_LIST, ignoredUsers } from '../account-data/ignored-users.js';
import type { Presence } from '../presence/presence.js';
import { visibilityFilter } from '../rooms/visibility.js';
import type { StoredEvent } from '../storage/room-types.js';

export interface SyncDeps {
  store: Store;
  reader: EventReader;
  rooms: RoomService;
  typing: Typing;
  receipts: Receipts;
  notifier: Notifier;
  now: () => number;
  extras: SyncExtras;
  presence?: Presence;
}

export interface SyncRequest {
  userId: string;
  deviceId: string;
  since?: string;
  timeoutMs: number;
  opts: SyncOptions;
  signal?: AbortSignal;
  /** Users the syncing user ignores (m.ignored_user_list). */
  ignored?: ReadonlySet<string>;
}

type Json = Record<string, unknown>;

export function createSyncService(deps: SyncDeps) {
  const { store, reader, rooms } = deps;

  async function position(): Promise<SyncPosition> {
    return {
      events: rooms.position(), receipts: deps.receipts.position(), accountData: await deps.extras.accountDataPosition(),
      typing: deps.typing.serial(), toDevice: deps.extras.toDevicePosition(), presence: deps.presence?.currentStreamId() ?? 0,
      deviceLists: deps.extras.deviceListPosition?.() ?? 0,
    };
  }

  async function build(req: SyncRequest, since: SyncPosition | null, upto: SyncPosition): Promise<{ body: Json; empty: boolean; roomIds: Set<string> }> {
    const ctx: RoomSyncContext = {
      store, reader, now: deps.now(), viewer: { userId: req.userId, deviceId: req.deviceId }, opts: req.opts,
      visibility: (roomId) => visibilityOf(roomId, req.userId),
    };
    const memberships = (await store.rooms.roomsForUser(req.userId)).filter((m) => req.opts.roomAllowed(m.roomId));
    const forgotten = await store.rooms.forgottenRooms(req.userId);
    const events = await reader.getEvents(memberships.map((m) => m.eventId));
    const join: Json = {}, invite: Json = {}, leave: Json = {}, knock: Json = {};
    const joinedIds = memberships.filter((m) => m.membership === 'join').map((m) => m.roomId);
    const changed = since ? await reader.roomsChangedBetween(memberships.map((m) => m.roomId), since.events, upto.events) : null;
    const receipts = await deps.receipts.edus(joinedIds, since?.receipts ?? 0, req.userId);
    const accountDataRooms = since ? await deps.extras.roomsWithAccountData(req.userId, since.accountData, upto.accountData) : null;
    let empty = true;
    for (const m of memberships) {
      const mEvent = events.get(m.eventId);
      if (!mEvent || mEvent.streamOrdering > upto.events) continue;
      const room = await rooms.roomState(m.roomId);
      if (!room) continue;
      const newMembership = since === null || mEvent.streamOrdering > since.events;
      if (m.membership === 'join') {
        // Cheap checks first: most rooms of an incremental sync have nothing new.
        const touched = newMembership || req.opts.fullState || changed!.has(m.roomId) || receipts.has(m.roomId)
          || deps.typing.changedSince(m.roomId, since!.typing) || accountDataRooms!.has(m.roomId);
        if (!touched) continue;
        const extras = await roomExtras(deps, req, m.roomId, since, upto, receipts.get(m.roomId), accountDataRooms?.has(m.roomId) ?? true);
        if (!newMembership && !changed!.has(m.roomId) && !req.opts.fullState && extras.empty) continue;
        const section = await timelineSection(ctx, m.roomId, room.rv, newMembership ? null : since!.events, upto.events);
        const summary = await roomSummary(m.roomId, room.state, req.userId);
        join[m.roomId] = { ...section, senders: undefined, summary, ...extras.body };
        if (section.timeline.events.length || section.state.events.length || !extras.empty || newMembership) empty = false;
      } else if (m.membership === 'invite' && newMembership && !req.ignored?.has(mEvent.pdu.sender)) {
        invite[m.roomId] = { invite_state: { events: await strippedState(ctx, room.state, room.rv, m.eventId) } };
        empty = false;
      } else if (m.membership === 'knock' && newMembership) {
        knock[m.roomId] = { knock_state: { events: await strippedState(ctx, room.state, room.rv, m.eventId) } };
        empty = false;
      } else if ((m.membership === 'leave' || m.membership === 'ban') && since !== null && newMembership && !forgotten.has(m.roomId)) {
        const section = await timelineSection(ctx, m.roomId, room.rv, since.events, mEvent.streamOrdering);
        leave[m.roomId] = { timeline: section.timeline, state: section.state, account_data: { events: [] } };
        empty = false;
      } else if ((m.membership === 'leave' || m.membership === 'ban') && since === null && req.opts.includeLeave && !forgotten.has(m.roomId)) {
        const section = await timelineSection(ctx, m.roomId, room.rv, null, mEvent.streamOrdering);
        leave[m.roomId] = { timeline: section.timeline, state: section.state, account_data: { events: [] } };
      }
    }
    const user = await deps.extras.userSections(req, since, upto, joinedIds);
    if (!user.empty) empty = false;
    const presence = await presenceEvents(req, since, joinedIds);
    if (presence.length) { user.body.presence = { events: presence }; empty = false; }
    const body: Json = {
      next_batch: formatToken(user.toDeviceUpto === undefined ? upto : { ...upto, toDevice: user.toDeviceUpto }),
      rooms: { join, invite, leave, knock },
      ...user.body,
    };
    return { body, empty, roomIds: new Set(memberships.map((m) => m.roomId)) };
  }

  /** m.presence events of users sharing a joined room with the syncing user, changed since the token. */
  async function presenceEvents(req: SyncRequest, since: SyncPosition | null, joinedIds: string[]): Promise<Json[]> {
    if (!deps.presence || !req.opts.presenceAllowed('m.presence')) return [];
    if (since && deps.presence.currentStreamId() <= since.presence) return [];
    const users = new Set<string>([req.userId]);
    for (const roomId of joinedIds) for (const m of await store.rooms.membersOfRoom(roomId)) if (m.membership === 'join') users.add(m.userId);
    return deps.presence.changesSince(users, since?.presence ?? 0)
      .filter((c) => !req.ignored?.has(c.userId))
      .map((c) => ({ type: 'm.presence', sender: c.userId, content: c.content as unknown as Json }));
  }

  /** History-visibility filters per room state and viewer: they change only with state (membership, visibility). */
  const filters = new WeakMap<ReadonlyMap<string, string>, Map<string, Promise<(e: StoredEvent) => boolean>>>();

  async function visibilityOf(roomId: string, userId: string): Promise<(e: StoredEvent) => boolean> {
    const room = await rooms.roomState(roomId);
    if (!room) return visibilityFilter(store, reader, roomId, userId);
    let byUser = filters.get(room.state);
    if (!byUser) filters.set(room.state, (byUser = new Map()));
    let filter = byUser.get(userId);
    if (!filter) {
      filter = visibilityFilter(store, reader, roomId, userId);
      byUser.set(userId, filter);
      filter.catch(() => byUser!.delete(userId));
    }
    return filter;
  }

  /** m.heroes and member counts (spec: room summary; needed for lazy-loaded members). */
  async function roomSummary(roomId: string, state: ReadonlyMap<string, string>, userId: string): Promise<Json> {
    const { joined, invited } = await reader.members(roomId, state);
    const hasName = state.has(stateMapKey('m.room.name', '')) || state.has(stateMapKey('m.room.canonical_alias', ''));
    const heroes = hasName ? [] : [...joined, ...invited].filter((u) => u !== userId).sort().slice(0, 5);
    return { 'm.heroes': heroes, 'm.joined_member_count': joined.length, 'm.invited_member_count': invited.length };
  }

  return {
    position,
    /** Answers one /sync request, long-polling up to `timeoutMs` when a `since` token has nothing new. */
    async sync(req: SyncRequest): Promise<Json> {
      const since = req.since ? parseToken(req.since) : null;
      // Ignoring Users: events and invites from ignored users are left out of timelines (state is kept).
      const ignored = ignoredUsers(await store.accountData.get(req.userId, null, IGNORED_USER_LIST));
      if (ignored.size) {
        const base = req.opts;
        req = { ...req, opts: { ...base, timelineEventAllowed: (e) => (typeof e.state_key === 'string' || !ignored.has(e.sender)) && base.timelineEventAllowed(e) }, ignored };
      }
      const deadline = Date.now() + req.timeoutMs;
      for (;;) {
        const seq = deps.notifier.sequence();
        const upto = await position();
        const result = await build(req, since, upto);
        const remaining = deadline - Date.now();
        if (!since || !result.empty || remaining <= 0 || req.signal?.aborted) return result.body;
        await deps.notifier.wait(req.userId, result.roomIds, remaining, seq, req.signal);
      }
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
