/** Cached reads of events and of the state at a state group, shared by the room service, sync and the client API. */
import type { RoomEventsQuery, RoomStore, StoredEvent } from '../storage/room-types.js';
import { stateMapKey } from '../events/state-map.js';
import { Lru } from './lru.js';
import { createRecentEvents } from './recent-events.js';

export type StateIds = ReadonlyMap<string, string>;

/** User ids of a room's joined and invited members. */
export interface RoomMembers { joined: string[]; invited: string[] }

/** Past this many deltas a state group is stored whole, so reading any state costs a bounded number of queries. */
export const MAX_STATE_CHAIN = 64;

export function createEventReader(rooms: RoomStore, opts: { events?: number; freshEvents?: number; stateEntries?: number } = {}) {
  const events = new Lru<string, StoredEvent>(opts.events ?? 1500);
  // Freshly committed non-state events (readings, messages) go to their own small cache: they are read once or
  // twice within moments (sync, the next event's prev_events), and a stream of them would otherwise push out the
  // state events every sync and every auth check reads again and again.
  const fresh = new Lru<string, StoredEvent>(opts.freshEvents ?? 1024);
  // Bounded by state entries, not groups: one group of a 10,000-member room weighs as much as 400 small ones.
  const groups = new Lru<number, StateIds>(opts.stateEntries ?? 50_000, (m) => m.size + 1);
  const recent = createRecentEvents();
  // A room's state map is replaced whenever its state changes (prepare-event.ts), so keying by the map is exact.
  const members = new WeakMap<StateIds, Promise<RoomMembers>>();

  async function getEvents(ids: readonly string[]): Promise<Map<string, StoredEvent>> {
    const out = new Map<string, StoredEvent>();
    const missing: string[] = [];
    for (const id of ids) {
      const e = events.get(id) ?? fresh.get(id);
      if (e) out.set(id, e);
      else missing.push(id);
    }
    if (missing.length) {
      for (const [id, e] of await rooms.getEvents(missing)) {
        events.set(id, e);
        out.set(id, e);
      }
    }
    return out;
  }

  /** The full state (key -> event id) of a state group, walking its delta chain. */
  async function stateOfGroup(id: number): Promise<StateIds> {
    const cached = groups.get(id);
    if (cached) return cached;
    const chain: Array<{ delta: Array<{ type: string; stateKey: string; eventId: string }> }> = [];
    let base: StateIds = new Map();
    for (let g: number | null = id; g !== null;) {
      const hit = groups.get(g);
      if (hit) { base = hit; break; }
      const row = await rooms.getStateGroup(g);
      if (!row) break;
      chain.push(row);
      g = row.prevGroup;
    }
    const state = new Map(base);
    for (let i = chain.length - 1; i >= 0; i--) for (const s of chain[i]!.delta) state.set(stateMapKey(s.type, s.stateKey), s.eventId);
    groups.set(id, state);
    return state;
  }

  return {
    getEvents,
    async getEvent(id: string): Promise<StoredEvent | undefined> {
      return (await getEvents([id])).get(id);
    },
    stateOfGroup,
    /**
     * Remembers a freshly committed event and its state group, so the next read costs nothing. The writer calls it
     * for every event it commits, in stream order, after `startRecent`.
     */
    remember(e: StoredEvent, state?: StateIds): void {
      if (typeof e.pdu.state_key === 'string') events.set(e.pdu.event_id, e);
      else fresh.set(e.pdu.event_id, e);
      if (state && e.stateGroup !== null) groups.set(e.stateGroup, state);
      recent.add(e.pdu.room_id, e.streamOrdering, e.pdu.event_id);
    },
    /** The writer's committed position at start: from here on every committed event passes through `remember`. */
    startRecent(position: number): void {
      recent.start(position);
    },
    /** RoomStore.roomEvents, from memory when the range is recent (see recent-events.ts), else from the store. */
    async roomEvents(q: RoomEventsQuery): Promise<StoredEvent[]> {
      const hit = recent.range(q.roomId, q.from, q.to, q.dir, q.limit);
      if (!hit) return rooms.roomEvents(q);
      const loaded = await getEvents(hit.map((h) => h.id));
      const out: StoredEvent[] = [];
      for (const h of hit) { const e = loaded.get(h.id); if (e) out.push(e); }
      return out;
    },
    /** RoomStore.roomsChangedBetween, from memory when `since` is recent. */
    async roomsChangedBetween(roomIds: readonly string[], since: number, until: number): Promise<Set<string>> {
      return recent.changedBetween(roomIds, since, until) ?? rooms.roomsChangedBetween(roomIds, since, until);
    },
    /**
     * Joined and invited members of a room at its current `state` map, read from the store once per state change
     * however many syncs and unread counts ask.
     */
    members(roomId: string, state: StateIds): Promise<RoomMembers> {
      let known = members.get(state);
      if (!known) {
        known = rooms.membersOfRoom(roomId).then((ms) => ({
          joined: ms.filter((m) => m.membership === 'join').map((m) => m.userId),
          invited: ms.filter((m) => m.membership === 'invite').map((m) => m.userId),
        }));
        members.set(state, known);
        known.catch(() => members.delete(state));
      }
      return known;
    },
    forget(id: string): void {
      events.delete(id);
      fresh.delete(id);
    },
  };
}

export type EventReader = ReturnType<typeof createEventReader>;
