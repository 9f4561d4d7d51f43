/** Auth chains of the event graph: auth event ids, auth chains, the auth difference and the v2.1 conflicted state subgraph. */
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import type { IdentifiedPdu, Pdu } from './types.js';

/** Looks an event up by id; `undefined` when it is not known (it is then skipped). */
export type GetEvent = (id: string) => IdentifiedPdu | undefined;

/**
 * The ids of an event's auth events. Reference pairs (rooms v1/v2) are reduced to their ids.
 * In rooms whose id is the create event's hash (v12, MSC4291) the create event is an implicit
 * auth event of every other event: `$` + the room id without its `!` sigil is appended, as Synapse does.
 * @example authEventIds({ auth_events: [['$a:hs', {}]] } as Pdu) // ['$a:hs']
 */
export function authEventIds(event: Pdu, roomVersion?: RoomVersion | string): string[] {
  const ids: string[] = [];
  for (const ref of event.auth_events ?? []) {
    const id = typeof ref === 'string' ? ref : Array.isArray(ref) ? ref[0] : undefined;
    if (typeof id === 'string') ids.push(id);
  }
  if (roomVersion !== undefined && resolveRoomVersion(roomVersion).roomIdFromCreateEvent) {
    const create = implicitCreateEventId(event);
    if (create !== undefined && !ids.includes(create)) ids.push(create);
  }
  return ids;
}

/** v12: the create event id implied by a non-create event's room id, if any. */
function implicitCreateEventId(event: Pdu): string | undefined {
  if (event.type === 'm.room.create' && event.state_key === '') return undefined;
  const roomId = event.room_id;
  return typeof roomId === 'string' && roomId.startsWith('!') ? `$${roomId.slice(1)}` : undefined;
}

/** Memoised `authEventIds` for one resolution run. */
export type AuthIdsOf = (id: string) => readonly string[];

/**
 * A memoised auth-event-id lookup over `getEvent`: unknown events have no auth events.
 * @example const ids = authIdsLookup(getEvent, '12'); ids('$member')
 */
export function authIdsLookup(getEvent: GetEvent, roomVersion?: RoomVersion | string): AuthIdsOf {
  const rv = roomVersion === undefined ? undefined : resolveRoomVersion(roomVersion);
  const cache = new Map<string, readonly string[]>();
  return (id) => {
    let ids = cache.get(id);
    if (ids === undefined) {
      const ev = getEvent(id);
      ids = ev === undefined ? [] : authEventIds(ev, rv);
      cache.set(id, ids);
    }
    return ids;
  };
}

/**
 * Walks `auth_events` edges from `seeds` (breadth first), never entering `stop`; returns every
 * event reached, seeds included unless they are in `stop`.
 */
function closure(seeds: Iterable<string>, authIds: AuthIdsOf, stop?: ReadonlySet<string>): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const id of seeds) {
    if (!seen.has(id) && !stop?.has(id)) { seen.add(id); queue.push(id); }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const a of authIds(queue[i]!)) {
      if (!seen.has(a) && !stop?.has(a)) { seen.add(a); queue.push(a); }
    }
  }
  return seen;
}

/**
 * The auth chain of a set of events (v2 state res "Auth chain"): every event reachable through
 * `auth_events` links, recursively. The given events are not included unless one is an auth
 * ancestor of another. Unknown events are kept as ids but not walked further.
 * @example authChain(['$topic'], (id) => events.get(id), '10') // Set {'$create', '$pl', '$alice'}
 */
export function authChain(eventIds: Iterable<string>, getEvent: GetEvent, roomVersion?: RoomVersion | string): Set<string> {
  const authIds = authIdsLookup(getEvent, roomVersion);
  const firstHop: string[] = [];
  for (const id of eventIds) firstHop.push(...authIds(id));
  return closure(firstHop, authIds);
}

/**
 * The auth difference of state sets (v2 state res "Auth difference"): ∪Cᵢ − ∩Cᵢ where Cᵢ is the
 * full auth chain of state set i. As in Synapse, Cᵢ also contains the state events of set i
 * themselves (so the difference never holds an event that every set has in state or in its chain).
 * @example authDifference([stateA, stateB], (id) => events.get(id), '10') // Set {'$pl2'}
 */
export function authDifference(
  stateSets: ReadonlyArray<ReadonlyMap<string, string>>,
  getEvent: GetEvent,
  roomVersion?: RoomVersion | string,
): Set<string> {
  return authDifferenceWith(stateSets, authIdsLookup(getEvent, roomVersion));
}

/**
 * `authDifference` over a shared memoised auth id lookup (used by the resolver).
 * @example authDifferenceWith([stateA, stateB], authIdsLookup(getEvent, '10'))
 */
export function authDifferenceWith(stateSets: ReadonlyArray<ReadonlyMap<string, string>>, authIds: AuthIdsOf): Set<string> {
  const n = stateSets.length;
  const diff = new Set<string>();
  if (n < 2) return diff;
  // Events in every state set: their chains are in every Cᵢ, so walk them once and stop there.
  const seenIn = new Map<string, number>();
  const count = new Map<string, number>();
  stateSets.forEach((set, i) => {
    for (const id of set.values()) {
      if (seenIn.get(id) === i) continue;
      seenIn.set(id, i);
      count.set(id, (count.get(id) ?? 0) + 1);
    }
  });
  const common: string[] = [];
  for (const [id, c] of count) if (c === n) common.push(id);
  const inAll = closure(common, authIds);
  // Cᵢ = inAll ∪ Rᵢ; the difference is the events found in some but not all Rᵢ.
  const reached = new Map<string, number>();
  for (const set of stateSets) {
    const own: string[] = [];
    for (const id of set.values()) if (!inAll.has(id)) own.push(id);
    for (const id of closure(own, authIds, inAll)) reached.set(id, (reached.get(id) ?? 0) + 1);
  }
  for (const [id, c] of reached) if (c < n) diff.add(id);
  return diff;
}

/**
 * The conflicted state subgraph of state res v2.1 (room v12, MSC4297): every event on an
 * `auth_events` path between two events of the conflicted state set, endpoints included.
 * @example conflictedSubgraph(['$pl3', '$member'], (id) => events.get(id), '12') // Set {'$pl3', '$member', '$pl2'}
 */
export function conflictedSubgraph(conflicted: Iterable<string>, getEvent: GetEvent, roomVersion?: RoomVersion | string): Set<string> {
  return conflictedSubgraphWith(conflicted, authIdsLookup(getEvent, roomVersion));
}

/**
 * `conflictedSubgraph` over a shared memoised auth id lookup (used by the resolver).
 * @example conflictedSubgraphWith(['$pl3', '$member'], authIdsLookup(getEvent, '12'))
 */
export function conflictedSubgraphWith(conflicted: Iterable<string>, authIds: AuthIdsOf): Set<string> {
  const targets = new Set(conflicted);
  // reaches.get(x): some conflicted event is a strict auth ancestor of x. Iterative post-order DFS.
  const reaches = new Map<string, boolean>();
  const out = new Set(targets);
  for (const root of targets) {
    if (reaches.has(root)) continue;
    const stack: Array<{ id: string; next: number; hit: boolean }> = [{ id: root, next: 0, hit: false }];
    reaches.set(root, false); // in progress: a cycle contributes nothing
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const parents = authIds(top.id);
      if (top.next < parents.length) {
        const a = parents[top.next++]!;
        if (targets.has(a)) top.hit = true;
        const known = reaches.get(a);
        if (known === undefined) { reaches.set(a, false); stack.push({ id: a, next: 0, hit: false }); }
        else if (known) top.hit = true;
        continue;
      }
      stack.pop();
      reaches.set(top.id, top.hit);
      if (top.hit) out.add(top.id);
      if (top.hit && stack.length > 0) stack[stack.length - 1]!.hit = true;
    }
  }
  return out;
}
