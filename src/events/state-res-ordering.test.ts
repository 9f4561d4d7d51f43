/** Unit tests of the v2 orderings (reverse topological power ordering, mainline ordering) and of the auth chain helpers. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authChain, authDifference, authEventIds, authIdsLookup, conflictedSubgraph } from './auth-chain.js';
import { lexicographicalTopologicalSort, mainlineSort, reverseTopologicalPowerSort, compareIds } from './state-res-ordering.js';
import { resolveRoomVersion } from './room-versions.js';
import type { ResolutionContext } from './state-res-types.js';
import type { IdentifiedPdu } from './types.js';

const ADMIN = '@admin:hs';
const MOD = '@mod:hs';

function ev(id: string, type: string, stateKey: string, sender: string, auth: string[], ts = 0, content: Record<string, unknown> = {}): IdentifiedPdu {
  return { event_id: id, room_id: '!r:hs', type, state_key: stateKey, sender, content, auth_events: auth, prev_events: [], depth: 1, origin_server_ts: ts };
}

function context(events: IdentifiedPdu[], version = '10'): ResolutionContext {
  const map = new Map(events.map((e) => [e.event_id, e]));
  const getEvent = (id: string) => map.get(id);
  return {
    rv: resolveRoomVersion(version), getEvent, authIds: authIdsLookup(getEvent, version),
    isRejected: () => false, checkAuth: () => ({ allowed: true }), authTypes: () => [],
  };
}

const create = ev('$create', 'm.room.create', '', ADMIN, []);
const pl0 = ev('$pl0', 'm.room.power_levels', '', ADMIN, ['$create'], 1, { users: { [ADMIN]: 100, [MOD]: 50 } });

describe('state res v2 §Reverse topological power ordering', () => {
  it("Kahn's algorithm takes the smallest ready vertex (Synapse's lexicographical example)", () => {
    const graph = new Map<string, Set<string>>([
      ['l', new Set(['o'])], ['m', new Set(['n', 'o'])], ['n', new Set(['o'])], ['o', new Set()], ['p', new Set(['o'])],
    ]);
    assert.deepEqual(lexicographicalTopologicalSort(graph, compareIds), ['o', 'l', 'n', 'm', 'p']);
  });

  it('1. greater sender power first; 2. then smaller origin_server_ts; 3. then smaller event_id', () => {
    const x = ev('$x', 'm.room.join_rules', '', ADMIN, ['$create', '$pl0'], 30);
    const y = ev('$y', 'm.room.join_rules', '', MOD, ['$create', '$pl0'], 10);
    const z = ev('$z', 'm.room.join_rules', '', MOD, ['$create', '$pl0'], 10);
    const w = ev('$w', 'm.room.join_rules', '', MOD, ['$create', '$pl0'], 20);
    const ctx = context([create, pl0, x, y, z, w]);
    const full = new Set(['$x', '$y', '$z', '$w']);
    assert.deepEqual(reverseTopologicalPowerSort(['$w', '$z', '$y', '$x'], full, ctx), ['$x', '$y', '$z', '$w']);
  });

  it('auth events within the full conflicted set come before the events citing them', () => {
    const z = ev('$z', 'm.room.power_levels', '', MOD, ['$create', '$pl0'], 10);
    const x = ev('$x', 'm.room.join_rules', '', ADMIN, ['$create', '$z'], 5);
    const y = ev('$y', 'm.room.join_rules', '', MOD, ['$create', '$pl0'], 10);
    const ctx = context([create, pl0, x, y, z]);
    assert.deepEqual(reverseTopologicalPowerSort(['$x', '$y'], new Set(['$x', '$y', '$z']), ctx), ['$y', '$z', '$x']);
  });
});

describe('state res v2 §Mainline ordering', () => {
  const pl1 = ev('$pl1', 'm.room.power_levels', '', ADMIN, ['$create', '$pl0'], 2);
  const pl2 = ev('$pl2', 'm.room.power_levels', '', ADMIN, ['$create', '$pl1'], 3);
  const side = ev('$side', 'm.room.power_levels', '', ADMIN, ['$create', '$pl1'], 4); // not on the mainline of $pl2
  const a = ev('$a', 'm.room.topic', '', ADMIN, ['$create', '$pl2'], 1);
  const b = ev('$b', 'm.room.topic', '', ADMIN, ['$create', '$pl0'], 9);
  const c = ev('$c', 'm.room.topic', '', ADMIN, ['$create'], 9);
  const d = ev('$d', 'm.room.topic', '', ADMIN, ['$create', '$side'], 5);
  const e = ev('$e', 'm.room.topic', '', ADMIN, ['$create', '$side'], 5);
  const ctx = context([create, pl0, pl1, pl2, side, a, b, c, d, e]);

  it('greater mainline position first (∞ for no power levels), then origin_server_ts, then event_id', () => {
    assert.deepEqual(mainlineSort(['$a', '$e', '$b', '$d', '$c'], '$pl2', ctx), ['$c', '$b', '$d', '$e', '$a']);
  });

  it('without resolved power levels every position is ∞: timestamps then ids decide', () => {
    assert.deepEqual(mainlineSort(['$a', '$e', '$b', '$d', '$c'], undefined, ctx), ['$a', '$d', '$e', '$b', '$c']);
  });
});

describe('state res v2 §Auth chain and §Auth difference', () => {
  const A = ev('$A', 'm.room.member', '', ADMIN, []);
  const B = ev('$B', 'm.room.member', '', ADMIN, ['$A']);
  const C = ev('$C', 'm.room.member', '', ADMIN, ['$B']);
  const map = new Map([A, B, C].map((x) => [x.event_id, x]));
  const getEvent = (id: string) => map.get(id);

  it('the auth chain holds every event reachable through auth_events, not the start events themselves', () => {
    assert.deepEqual(authChain(['$C'], getEvent), new Set(['$B', '$A']));
    assert.deepEqual(authChain(['$C', '$B'], getEvent), new Set(['$B', '$A']));
  });

  it("∪Cᵢ − ∩Cᵢ, each Cᵢ holding the state events of set i too (Synapse's {A,B} vs {C} example)", () => {
    const diff = authDifference([new Map([['a', '$A'], ['b', '$B']]), new Map([['c', '$C']])], getEvent);
    assert.deepEqual(diff, new Set(['$C']));
    assert.deepEqual(authDifference([new Map([['a', '$A']]), new Map([['c', '$C']])], getEvent), new Set(['$B', '$C']));
    assert.deepEqual(authDifference([new Map([['c', '$C']]), new Map([['c', '$C']])], getEvent), new Set());
  });

  it('v2.1 conflicted state subgraph: the whole path between two conflicted events, nothing past them', () => {
    // E -> D -> C -> B -> A; B and E are conflicted: {B, C, D, E}, never A.
    const chain = ['A', 'B', 'C', 'D', 'E'].map((n, i, all) => ev(`$${n}`, 'm.room.member', n, ADMIN, i === 0 ? [] : [`$${all[i - 1]}`]));
    const chainMap = new Map(chain.map((x) => [x.event_id, x]));
    const got = conflictedSubgraph(['$B', '$E'], (id) => chainMap.get(id));
    assert.deepEqual([...got].sort(), ['$B', '$C', '$D', '$E']);
    assert.deepEqual([...conflictedSubgraph(['$D'], (id) => chainMap.get(id))], ['$D']);
  });

  it('auth event ids: v1/v2 reference pairs are reduced to ids; v12 adds the implicit create event', () => {
    const pairs = { ...A, auth_events: [['$x:hs', { sha256: 'abc' }]] as Array<[string, Record<string, string>]> };
    assert.deepEqual(authEventIds(pairs, '1'), ['$x:hs']);
    const v12 = { ...A, room_id: '!hash', auth_events: ['$pl'] };
    assert.deepEqual(authEventIds(v12, '12'), ['$pl', '$hash']);
    assert.deepEqual(authEventIds(v12, '11'), ['$pl']);
    assert.deepEqual(authEventIds({ ...v12, type: 'm.room.create', state_key: '', auth_events: [] }, '12'), []);
  });
});
