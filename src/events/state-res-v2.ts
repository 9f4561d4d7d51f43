/** State resolution v2 (rooms v2–v11) and v2.1 (room v12, MSC4297): the algorithm and its iterative auth checks. */
import { authDifferenceWith, conflictedSubgraphWith } from './auth-chain.js';
import { mainlineSort, reverseTopologicalPowerSort } from './state-res-ordering.js';
import type { ResolutionContext } from './state-res-types.js';
import { stateMapKey } from './state-map.js';
import type { IdentifiedPdu, Pdu } from './types.js';

const POWER_LEVELS_KEY = stateMapKey('m.room.power_levels', '');

/**
 * Splits state sets into the unconflicted state map (a key present in every set with the same
 * event) and the conflicted state set (every other key, with the events the sets hold for it).
 * @example separateV2([new Map([['k', '$a']]), new Map()]).conflicted // Map { 'k' => Set {'$a'} }
 */
export function separateV2(stateSets: ReadonlyArray<ReadonlyMap<string, string>>): {
  unconflicted: Map<string, string>;
  conflicted: Map<string, Set<string>>;
} {
  const unconflicted = new Map<string, string>();
  const conflicted = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const set of stateSets) {
    for (const key of set.keys()) {
      if (seen.has(key)) continue;
      seen.add(key);
      const first = stateSets[0]!.get(key);
      let same = first !== undefined;
      for (let i = 1; same && i < stateSets.length; i++) same = stateSets[i]!.get(key) === first;
      if (same) { unconflicted.set(key, first!); continue; }
      const ids = new Set<string>();
      for (const s of stateSets) { const v = s.get(key); if (v !== undefined) ids.add(v); }
      conflicted.set(key, ids);
    }
  }
  return { unconflicted, conflicted };
}

/**
 * A power event: `m.room.power_levels`, `m.room.join_rules`, or an `m.room.member` leave or ban
 * whose sender is not its state_key. Like Synapse, `m.room.create` counts too (it can only be
 * conflicted in a broken room).
 * @example isPowerEvent({ type: 'm.room.member', state_key: '@b:hs', sender: '@a:hs', content: { membership: 'ban' } } as Pdu) // true
 */
export function isPowerEvent(ev: Pdu): boolean {
  if (ev.state_key === '' && (ev.type === 'm.room.power_levels' || ev.type === 'm.room.join_rules' || ev.type === 'm.room.create')) {
    return true;
  }
  if (ev.type === 'm.room.member' && typeof ev.state_key === 'string') {
    const membership = ev.content?.membership;
    return (membership === 'leave' || membership === 'ban') && ev.sender !== ev.state_key;
  }
  return false;
}

/**
 * The iterative auth checks: apply each event, in order, to the state if the auth rules allow it
 * against that state. A `(type, state_key)` the rules need that the state lacks is taken from the
 * event's own auth events, unless that auth event was rejected.
 * @example iterativeAuthChecks(['$jr', '$topic'], unconflictedState, ctx) // the state with each allowed event applied
 */
export function iterativeAuthChecks(
  eventIds: readonly string[],
  base: ReadonlyMap<string, string>,
  ctx: ResolutionContext,
): Map<string, string> {
  const state = new Map(base);
  for (const id of eventIds) {
    const ev = ctx.getEvent(id);
    if (ev === undefined || typeof ev.state_key !== 'string') continue;
    // Events rejected against their own auth chain never enter state ("Rejected events").
    if (ctx.isRejected(id)) continue;
    const authEvents = new Map<string, Pdu>();
    // Fallback: the event's own auth events, unless rejected.
    for (const aid of ctx.authIds(id)) {
      const aev = ctx.getEvent(aid);
      if (aev !== undefined && typeof aev.state_key === 'string' && !ctx.isRejected(aid)) {
        authEvents.set(stateMapKey(aev.type, aev.state_key), aev);
      }
    }
    // The state being built wins for every key the auth rules select.
    for (const { type, stateKey } of ctx.authTypes(ev, ctx.rv)) {
      const key = stateMapKey(type, stateKey);
      const sid = state.get(key);
      if (sid === undefined || ctx.isRejected(sid)) continue;
      const sev = ctx.getEvent(sid);
      if (sev !== undefined) authEvents.set(key, sev);
    }
    if (ctx.checkAuth(ev, authEvents, ctx.rv).allowed) state.set(stateMapKey(ev.type, ev.state_key), id);
  }
  return state;
}

/**
 * Resolves state sets with state res v2, or v2.1 when `ctx.rv.stateRes` is 'v2.1'.
 * Returns a new map; the inputs are not modified. Use `resolveState`, which builds the context.
 * @example resolveStateV2([stateA, stateB], ctx).get(stateMapKey('m.room.power_levels', ''))
 */
export function resolveStateV2(stateSets: ReadonlyArray<ReadonlyMap<string, string>>, ctx: ResolutionContext): Map<string, string> {
  const v21 = ctx.rv.stateRes === 'v2.1';
  const { unconflicted, conflicted } = separateV2(stateSets);
  if (conflicted.size === 0) return unconflicted;

  // Full conflicted set = conflicted state set ∪ auth difference (∪ conflicted state subgraph in v2.1).
  const conflictedIds = new Set<string>();
  for (const ids of conflicted.values()) for (const id of ids) conflictedIds.add(id);
  const full = new Set(conflictedIds);
  for (const id of authDifferenceWith(stateSets, ctx.authIds)) full.add(id);
  if (v21) for (const id of conflictedSubgraphWith(conflictedIds, ctx.authIds)) full.add(id);
  for (const id of full) if (ctx.getEvent(id) === undefined) full.delete(id); // unknown events are skipped

  // 1. The power events of the full conflicted set and their auth chains within it, in reverse topological power ordering.
  const powerEvents: string[] = [];
  for (const id of full) if (isPowerEvent(ctx.getEvent(id) as IdentifiedPdu)) powerEvents.push(id);
  const sortedPower = reverseTopologicalPowerSort(powerEvents, full, ctx);

  // 2. Iterative auth checks from the unconflicted state map (v2.1: from an empty state map).
  let resolved = iterativeAuthChecks(sortedPower, v21 ? new Map() : unconflicted, ctx);

  // 3. The remaining events, in mainline ordering based on the partially resolved power levels.
  const picked = new Set(sortedPower);
  const leftover: string[] = [];
  for (const id of full) if (!picked.has(id)) leftover.push(id);
  const sortedLeftover = mainlineSort(leftover, resolved.get(POWER_LEVELS_KEY), ctx);

  // 4. Iterative auth checks on the partially resolved state.
  resolved = iterativeAuthChecks(sortedLeftover, resolved, ctx);

  // 5. The unconflicted state map wins over the result.
  for (const [key, id] of unconflicted) resolved.set(key, id);
  return resolved;
}
