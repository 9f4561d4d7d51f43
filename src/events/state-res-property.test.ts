/** Property tests: state resolution does not depend on the order of the state sets nor on map insertion order. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ALICE, BOB, CHARLIE, EVELYN, buildDag, type FakeEvent } from './test-support/dag.js';
import { resolveState } from './state-res.js';

const pl = (users: Record<string, number>) => ({ users });
const topic = (id: string, sender: string): FakeEvent => ({ id, sender, type: 'm.room.topic', stateKey: '', content: { topic: id } });

/** A DAG with several forks mixing power level changes, bans, join rules, joins and topics. */
function forkyDag(version: string) {
  const admin: Record<string, number> = version === '12' ? {} : { [ALICE]: 100 };
  const nodes: FakeEvent[] = [
    topic('T1', ALICE),
    { id: 'PA1', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ ...admin, [BOB]: 50 }) },
    topic('T2', ALICE),
    { id: 'PA2', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ ...admin, [BOB]: 0, [CHARLIE]: 50 }) },
    { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ ...admin, [BOB]: 50 }) },
    topic('T3', BOB),
    { id: 'MB', sender: ALICE, type: 'm.room.member', stateKey: BOB, content: { membership: 'ban' } },
    { id: 'JR', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'invite' } },
    { id: 'ME', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { membership: 'join' } },
    topic('T4', CHARLIE),
    { id: 'LC', sender: CHARLIE, type: 'm.room.member', stateKey: CHARLIE, content: { membership: 'leave' } },
  ];
  const edges = [
    ['END', 'T2', 'PA1', 'T1', 'START'],
    ['END', 'T4', 'PA2', 'PA1'],
    ['END', 'T3', 'PB', 'PA1'],
    ['END', 'MB', 'JR', 'T1'],
    ['END', 'ME', 'START'],
    ['END', 'LC', 'T4'],
  ];
  const dag = buildDag(version, nodes, edges);
  const pool = ['T1', 'T2', 'T3', 'T4', 'PA2', 'PB', 'MB', 'JR', 'ME', 'LC', 'END'].map((n) => dag.stateAfter.get(n)!);
  return { dag, pool };
}

/** Re-inserts a map's entries in a pseudo-random order drawn from `seed`. */
function shuffledMap(map: ReadonlyMap<string, string>, seed: number): Map<string, string> {
  const entries = [...map];
  let s = seed >>> 0;
  for (let i = entries.length - 1; i > 0; i--) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = s % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return new Map(entries);
}

for (const version of ['1', '2', '10', '12']) {
  describe(`state res (room v${version}) §Algorithm: resolution is a function of the set of states`, () => {
    const { dag, pool } = forkyDag(version);
    const indices = pool.map((_, i) => i);

    it('gives the same result for every order of the input state sets and every map insertion order', () => {
      fc.assert(fc.property(
        fc.shuffledSubarray(indices, { minLength: 2, maxLength: 4 }),
        fc.array(fc.integer(), { minLength: 4, maxLength: 4 }),
        (picked, seeds) => {
          const canonical = [...picked].sort((a, b) => a - b).map((i) => pool[i]!);
          const expected = resolveState(version, canonical, { getEvent: dag.getEvent });
          const permuted = picked.map((i, k) => shuffledMap(pool[i]!, seeds[k]!));
          const got = resolveState(version, permuted, { getEvent: dag.getEvent });
          assert.deepEqual(got, expected);
          // Map equality above ignores order; the result's entries must also be the same set.
          assert.deepEqual([...got].sort(), [...expected].sort());
        },
      ), { numRuns: 60 });
    });

    it('the pool really has conflicts (the property is not vacuous)', () => {
      const all = resolveState(version, pool, { getEvent: dag.getEvent });
      const differs = pool.some((s) => s.size !== all.size || [...s].some(([k, v]) => all.get(k) !== v));
      assert.equal(differs, true);
    });
  });
}
