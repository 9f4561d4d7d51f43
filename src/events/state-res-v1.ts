/** State resolution v1 (room v1): power levels, then join rules, then members, then the rest, by depth and sha1(event_id). */
import { createHash } from 'node:crypto';
import type { ResolutionContext } from './state-res-types.js';
import { parseStateMapKey, stateMapKey } from './state-map.js';
import type { IdentifiedPdu, Pdu } from './types.js';

const POWER_LEVELS_KEY = stateMapKey('m.room.power_levels', '');

/**
 * Splits state sets the v1 way: a conflict is a key for which two sets hold different events; a
 * key present in only some sets is not a conflict.
 * @example separateV1([new Map([['k', '$a']]), new Map()]).unconflicted // Map { 'k' => '$a' }
 */
export function separateV1(stateSets: ReadonlyArray<ReadonlyMap<string, string>>): {
  unconflicted: Map<string, string>;
  conflicted: Map<string, Set<string>>;
} {
  const unconflicted = new Map(stateSets[0]);
  const conflicted = new Map<string, Set<string>>();
  for (const set of stateSets.slice(1)) {
    for (const [key, id] of set) {
      const ids = conflicted.get(key);
      if (ids !== undefined) { ids.add(id); continue; }
      const current = unconflicted.get(key);
      if (current === undefined) unconflicted.set(key, id);
      else if (current !== id) { conflicted.set(key, new Set([current, id])); unconflicted.delete(key); }
    }
  }
  return { unconflicted, conflicted };
}

/** Events sorted by descending depth, then ascending sha1(event_id) as lowercase hex. */
function orderedEvents(events: readonly IdentifiedPdu[]): IdentifiedPdu[] {
  const keyed = events.map((ev) => ({ ev, depth: Number(ev.depth) || 0, sha: createHash('sha1').update(ev.event_id, 'utf8').digest('hex') }));
  keyed.sort((a, b) => (b.depth - a.depth) || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
  return keyed.map((k) => k.ev);
}

function keyOf(ev: Pdu): string {
  return stateMapKey(ev.type, ev.state_key ?? '');
}

/**
 * Resolves one conflicted auth key (power levels, a join rule, a membership): sorted by ascending
 * depth then descending sha1(event_id), the first event is taken, then each next one as long as
 * the auth rules allow it in the state built so far.
 */
function resolveAuthEvents(events: readonly IdentifiedPdu[], authEvents: ReadonlyMap<string, Pdu>, ctx: ResolutionContext): IdentifiedPdu {
  const ascending = orderedEvents(events).reverse();
  const state = new Map<string, Pdu>();
  for (const ev of events) {
    for (const { type, stateKey } of ctx.authTypes(ev, ctx.rv)) {
      const key = stateMapKey(type, stateKey);
      const aev = authEvents.get(key);
      if (aev !== undefined) state.set(key, aev);
    }
  }
  // "Add the first event in the list to R."
  let prev = ascending[0]!;
  for (const ev of ascending.slice(1)) {
    state.set(keyOf(prev), prev);
    // "If it would not be allowed, stop" and keep the last allowed event.
    if (!ctx.checkAuth(ev, state, ctx.rv).allowed) return prev;
    prev = ev;
  }
  return prev;
}

/** Resolves any other conflicted key: the highest depth, lowest sha1(event_id) event the auth rules allow; else the last one. */
function resolveNormalEvents(events: readonly IdentifiedPdu[], authEvents: ReadonlyMap<string, Pdu>, ctx: ResolutionContext): IdentifiedPdu {
  const ordered = orderedEvents(events);
  for (const ev of ordered) if (ctx.checkAuth(ev, authEvents, ctx.rv).allowed) return ev;
  return ordered[ordered.length - 1]!;
}

/**
 * Resolves state sets with the room v1 algorithm (as Synapse's v1 resolver does). Use `resolveState`, which builds the context.
 * @example resolveStateV1([stateA, stateB], ctx).get(stateMapKey('m.room.topic', ''))
 */
export function resolveStateV1(stateSets: ReadonlyArray<ReadonlyMap<string, string>>, ctx: ResolutionContext): Map<string, string> {
  if (stateSets.length === 0) return new Map();
  if (stateSets.length === 1) return new Map(stateSets[0]);
  // Start by setting R to the union of the states to be resolved, excluding any conflicting events.
  const { unconflicted: resolved, conflicted: conflictedIds } = separateV1(stateSets);

  // Known conflicted events; a key left with one known event is not a conflict any more.
  const conflicted = new Map<string, IdentifiedPdu[]>();
  for (const [key, ids] of conflictedIds) {
    const events: IdentifiedPdu[] = [];
    for (const id of ids) { const ev = ctx.getEvent(id); if (ev !== undefined) events.push(ev); }
    if (events.length > 1) conflicted.set(key, events);
    else if (events.length === 1) resolved.set(key, events[0]!.event_id);
  }

  // The auth events of the conflicted events, taken from the unconflicted state only.
  const authEvents = new Map<string, Pdu>();
  for (const ids of conflictedIds.values()) {
    for (const id of ids) {
      const ev = ctx.getEvent(id);
      if (ev === undefined) continue;
      for (const { type, stateKey } of ctx.authTypes(ev, ctx.rv)) {
        const key = stateMapKey(type, stateKey);
        if (authEvents.has(key)) continue;
        const aev = resolved.has(key) && !conflictedIds.has(key) ? ctx.getEvent(resolved.get(key)!) : undefined;
        if (aev !== undefined) authEvents.set(key, aev);
      }
    }
  }

  const picked = new Map<string, IdentifiedPdu>();
  // First we resolve conflicts between m.room.power_levels events.
  const pls = conflicted.get(POWER_LEVELS_KEY);
  if (pls !== undefined) picked.set(POWER_LEVELS_KEY, resolveAuthEvents(pls, authEvents, ctx));
  // Repeat the above process for m.room.join_rules, then for m.room.member; each pass sees the previous ones.
  for (const type of ['m.room.join_rules', 'm.room.member']) {
    for (const [key, ev] of picked) authEvents.set(key, ev);
    const round: Array<[string, IdentifiedPdu]> = [];
    for (const [key, events] of conflicted) {
      if (parseStateMapKey(key).type === type) round.push([key, resolveAuthEvents(events, authEvents, ctx)]);
    }
    for (const [key, ev] of round) picked.set(key, ev);
  }
  for (const [key, ev] of picked) authEvents.set(key, ev);
  // No other events affect the authorisation rules: pick the highest depth, lowest sha1(event_id) allowed event.
  for (const [key, events] of conflicted) {
    if (!picked.has(key)) picked.set(key, resolveNormalEvents(events, authEvents, ctx));
  }
  for (const [key, ev] of picked) resolved.set(key, ev.event_id);
  return resolved;
}
