/** One room's /sync section: timeline (limited, prev_batch), state before the timeline, and the membership-specific parts. */
import { stateMapKey } from '../events/state-map.js';
import type { RoomVersion } from '../events/room-versions.js';
import type { StoredEvent } from '../storage/room-types.js';
import type { Store } from '../storage/types.js';
import type { EventReader } from '../rooms/event-reader.js';
import { toClientEvents, toClientEvent, type ClientEvent } from '../rooms/client-event.js';
import { visibilityFilter } from '../rooms/visibility.js';
import { eventPositionToken } from './sync-token.js';
import type { SyncOptions } from './sync-options.js';

export interface RoomSyncContext {
  store: Store;
  reader: EventReader;
  now: number;
  viewer: { userId: string; deviceId: string };
  opts: SyncOptions;
  /** The history-visibility filter of a room for the viewer, when the caller keeps them (see sync-service.ts). */
  visibility?: (roomId: string) => Promise<(e: StoredEvent) => boolean>;
}

export interface TimelineSection {
  timeline: { events: ClientEvent[]; limited: boolean; prev_batch: string };
  state: { events: ClientEvent[] };
  /** Senders in the timeline, for lazy-loaded members. */
  senders: Set<string>;
}

/** Types shown as stripped state with an invite or knock (spec: "Stripped state"). */
const STRIPPED_TYPES = ['m.room.create', 'm.room.join_rules', 'm.room.name', 'm.room.avatar', 'm.room.canonical_alias', 'm.room.encryption', 'm.room.topic'];

/**
 * Builds the timeline of events in (since, upto] (or the last ones, initially) and the state at its start.
 * `since` null means the client has nothing of this room: the state is complete.
 */
export async function timelineSection(ctx: RoomSyncContext, roomId: string, rv: RoomVersion, since: number | null, upto: number): Promise<TimelineSection> {
  const { store, reader, opts } = ctx;
  const visible = await (ctx.visibility?.(roomId) ?? visibilityFilter(store, reader, roomId, ctx.viewer.userId));
  const limit = Math.max(1, opts.timelineLimit);
  const picked: StoredEvent[] = [];
  let limited = false;
  let cursor = upto + 1;
  const floor = since ?? 0;
  // Walk back from `upto`, keeping visible events that pass the filter, until the limit or `since`.
  while (picked.length <= limit) {
    const batch = await reader.roomEvents({ roomId, from: cursor, to: floor, dir: 'b', limit: limit * 2 + 1 });
    if (batch.length === 0) break;
    for (const e of batch) {
      cursor = e.streamOrdering;
      if (e.rejected || !visible(e) || !opts.timelineEventAllowed(e.pdu)) continue;
      picked.push(e);
      if (picked.length > limit) break;
    }
    if (batch.length < limit * 2 + 1) break;
  }
  if (picked.length > limit) { picked.length = limit; limited = true; }
  picked.reverse();
  const first = picked[0];
  const startPos = first ? first.streamOrdering - 1 : upto;
  const timelineKeys = new Set(picked.filter((e) => typeof e.pdu.state_key === 'string').map((e) => stateMapKey(e.pdu.type, e.pdu.state_key!)));
  const senders = new Set(picked.map((e) => e.pdu.sender));
  senders.add(ctx.viewer.userId);

  // State at the start of the timeline: the state after the event just before it. The first timeline event's own
  // group differs from that only in that event's key, which is in the timeline and left out below anyway.
  let stateIds: ReadonlyMap<string, string> = new Map();
  let group = first?.stateGroup ?? null;
  if (group === null) group = (await reader.roomEvents({ roomId, from: startPos + 1, to: 0, dir: 'b', limit: 1 }))[0]?.stateGroup ?? null;
  if (group !== null) stateIds = await reader.stateOfGroup(group);
  const wanted: string[] = [];
  for (const [key, id] of stateIds) {
    if (timelineKeys.has(key)) continue;
    const isMember = key.startsWith('m.room.member\u0000');
    if (isMember && opts.lazyLoadMembers && !senders.has(key.slice('m.room.member\u0000'.length))) continue;
    wanted.push(id);
  }
  const loaded = await reader.getEvents(wanted);
  let stateEvents = wanted.map((id) => loaded.get(id)).filter((e): e is StoredEvent => e !== undefined && opts.stateEventAllowed(e.pdu));
  // Incremental and not limited: the timeline carries every change, so no state is needed beyond what changed before it.
  if (since !== null && !opts.fullState) stateEvents = stateEvents.filter((e) => e.streamOrdering > since);
  const serial = { now: ctx.now, viewer: ctx.viewer, withRoomId: false };
  const get = (ids: string[]) => reader.getEvents(ids);
  return {
    timeline: { events: await toClientEvents(picked, rv, serial, get), limited, prev_batch: eventPositionToken(startPos) },
    state: { events: await toClientEvents(stateEvents, rv, serial, get) },
    senders,
  };
}

/** Stripped state for an invite or knock: a few descriptive state events and the membership event itself. */
export async function strippedState(ctx: RoomSyncContext, state: ReadonlyMap<string, string>, rv: RoomVersion, membershipEventId: string): Promise<Array<Record<string, unknown>>> {
  const ids = STRIPPED_TYPES.map((t) => state.get(stateMapKey(t, ''))).filter((x): x is string => x !== undefined);
  const events = await ctx.reader.getEvents([...ids, membershipEventId]);
  const out: Array<Record<string, unknown>> = [];
  for (const id of ids) {
    const e = events.get(id);
    if (e) out.push({ type: e.pdu.type, state_key: e.pdu.state_key, content: e.pdu.content, sender: e.pdu.sender });
  }
  const m = events.get(membershipEventId);
  if (m) {
    const inviter = state.get(stateMapKey('m.room.member', m.pdu.sender));
    if (inviter && inviter !== membershipEventId) {
      const ie = await ctx.reader.getEvent(inviter);
      if (ie) out.push({ type: ie.pdu.type, state_key: ie.pdu.state_key, content: ie.pdu.content, sender: ie.pdu.sender });
    }
    const full = toClientEvent(m, rv, { now: ctx.now, withRoomId: false });
    out.push({ ...full, state_key: m.pdu.state_key });
  }
  return out;
}
