/** Cached reads of events and of the state at a state group, shared by the room service, sync and the client API. */
import type { RoomStore, StoredEvent } from '../storage/room-types.js';
import { stateMapKey } from '../events/state-map.js';
import { Lru } from './lru.js';

export type StateIds = ReadonlyMap<string, string>;

/** Past this many deltas a state group is stored whole, so reading any state costs a bounded number of queries. */
export const MAX_STATE_CHAIN = 64;

export function createEventReader(rooms: RoomStore, opts: { events?: number; stateEntries?: number } = {}) {
  const events = new Lru<string, StoredEvent>(opts.events ?? 1500);
  // Bounded by state entries, not groups: one group of a 10,000-member room weighs as much as 400 small ones.
  const groups = new Lru<number, StateIds>(opts.stateEntries ?? 50_000, (m) => m.size + 1);

  async function getEvents(ids: readonly string[]): Promise<Map<string, StoredEvent>> {
    const out = new Map<string, StoredEvent>();
    const missing: string[] = [];
    for (const id of ids) {
      const e = events.get(id);
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
    /** Remembers a freshly persisted event and state group, so the next read costs nothing. */
    remember(e: StoredEvent, state?: StateIds): void {
      events.set(e.pdu.event_id, e);
      if (state && e.stateGroup !== null) groups.set(e.stateGroup, state);
    },
    forget(id: string): void {
      events.delete(id);
    },
  };
}

export type EventReader = ReturnType<typeof createEventReader>;
