/** Scenario tests of the room v1 state resolution algorithm (rooms/v1 §State resolution). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ALICE, BOB, CHARLIE, EVELYN, buildDag, endStateDelta, eventIdOf, expectedDelta, type FakeEvent } from './test-support/dag.js';
import { separateV1 } from './state-res-v1.js';
import { stateMapKey } from './state-map.js';

const pl = (users: Record<string, number>): Record<string, unknown> => ({ users });
const topic = (id: string, sender: string): FakeEvent => ({ id, sender, type: 'm.room.topic', stateKey: '', content: { topic: id } });
const msg = (id: string, sender: string): FakeEvent => ({ id, sender, type: 'm.room.message', content: { body: id } });
const P50: FakeEvent = { id: 'P50', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) };

function check(nodes: FakeEvent[], edges: string[][], expected: string[]): void {
  const dag = buildDag('1', nodes, edges);
  assert.deepEqual(endStateDelta(dag, expected), expectedDelta(dag, expected));
}

describe('state res v1 (rooms/v1 §State resolution)', () => {
  it('conflicts: a key present in only some states is not a conflict; different event ids are', () => {
    const a = new Map([['k1', '$a'], ['k2', '$b']]);
    const b = new Map([['k1', '$a'], ['k2', '$c'], ['k3', '$d']]);
    const { unconflicted, conflicted } = separateV1([a, b]);
    assert.deepEqual(unconflicted, new Map([['k1', '$a'], ['k3', '$d']]));
    assert.deepEqual(conflicted, new Map([['k2', new Set(['$b', '$c'])]]));
  });

  it('other events: the highest depth wins when it passes auth', () => {
    // T2 (Bob, depth 12) is deeper than T1 (Alice, depth 11); Bob has 50, enough for a topic.
    check([P50, topic('T1', ALICE), topic('T2', BOB), msg('X1', BOB), msg('X2', BOB)],
      [['END', 'T1', 'P50', 'START'], ['END', 'T2', 'X2', 'X1', 'P50']], ['P50', 'T2']);
  });

  it('power levels first: the deeper topic fails against the resolved power levels, the older one wins', () => {
    // PA (depth 10) demotes Bob; the power levels are resolved before the topics, so T2 (depth 12) is not allowed.
    check([P50, { id: 'PA', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 0 }) },
      topic('T1', ALICE), topic('T2', BOB), msg('X1', BOB), msg('X2', BOB)],
    [['END', 'T1', 'PA', 'P50', 'START'], ['END', 'T2', 'X2', 'X1', 'P50']], ['PA', 'T1']);
  });

  it('power levels by ascending depth: the first is taken, a later one that fails auth stops the pass', () => {
    // PA (depth 10) demotes Bob, PB (depth 12) is Bob's: checked against PA it is not allowed.
    check([P50, { id: 'PA', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 0 }) },
      { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 }) },
      msg('X1', BOB), msg('X2', BOB)],
    [['END', 'PA', 'P50', 'START'], ['END', 'PB', 'X2', 'X1', 'P50']], ['PA']);
  });

  it('power levels by ascending depth: the pass stops at the first failure, a deeper allowed one is not reached', () => {
    // PA (depth 10) demotes Bob; PB (Bob, depth 11) fails against it; PC (Alice, depth 12) would pass but is never checked.
    check([P50, { id: 'PA', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 0 }) },
      { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 }) },
      { id: 'PC', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50, [CHARLIE]: 0 }) },
      msg('X1', BOB), msg('Y1', ALICE), msg('Y2', ALICE)],
    [['END', 'PA', 'P50', 'START'], ['END', 'PB', 'X1', 'P50'], ['END', 'PC', 'Y2', 'Y1', 'P50']], ['PA']);
  });

  it('power levels by ascending depth: a later allowed one replaces the earlier', () => {
    // PB (depth 10, Bob) then PA (depth 12, Alice): both are allowed in turn, the deeper wins.
    check([P50, { id: 'PA', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 0 }) },
      { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 }) },
      msg('X1', ALICE), msg('X2', ALICE)],
    [['END', 'PB', 'P50', 'START'], ['END', 'PA', 'X2', 'X1', 'P50']], ['PA']);
  });

  it('other events at equal depth: the lowest sha1(event_id) wins', () => {
    const dag = buildDag('1', [topic('TA', ALICE), topic('TB', ALICE)], [['END', 'TA', 'START'], ['END', 'TB', 'START']]);
    const [a, b] = [eventIdOf('TA'), eventIdOf('TB')];
    const sha = (id: string) => createHash('sha1').update(id).digest('hex');
    const want = sha(a) < sha(b) ? a : b;
    assert.equal(dag.stateAfter.get('END')!.get(stateMapKey('m.room.topic', '')), want);
  });

  it('memberships are resolved after the join rules, against them', () => {
    // Evelyn joined; on one fork she leaves and Alice makes the room invite-only, on the other she
    // updates her join (deeper). Checked against the resolved invite join rule, the rejoin stops the pass.
    check([
      { id: 'ME0', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { membership: 'join' } },
      { id: 'LE', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { membership: 'leave' } },
      { id: 'JR', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'invite' } },
      msg('X1', BOB),
      { id: 'ME1', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { membership: 'join', displayname: 'Eve' } },
    ], [['END', 'JR', 'LE', 'ME0', 'START'], ['END', 'ME1', 'X1', 'ME0']], ['JR', 'LE']);
  });

  it('the join rules pass comes before the members pass: a rejoin is checked against the resolved public rule', () => {
    // The room went invite-only; one fork makes it public again while Evelyn leaves, the other has her
    // rejoin (deeper). Only with the resolved public rule in R is leave -> join allowed.
    check([
      { id: 'ME0', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { membership: 'join' } },
      { id: 'JRI', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'invite' } },
      { id: 'LE', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { membership: 'leave' } },
      { id: 'JRP', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'public' } },
      msg('X1', BOB),
      { id: 'ME1', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { membership: 'join', displayname: 'Eve' } },
    ], [['END', 'JRP', 'LE', 'JRI', 'ME0', 'START'], ['END', 'ME1', 'X1', 'JRI']], ['JRP', 'ME1']);
  });

  it('a key set on one side only is not a conflict: unlike v2, a racing join survives a join rules flip', () => {
    const nodes: FakeEvent[] = [
      { id: 'JR', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'invite' } },
      { id: 'ME', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { membership: 'join' } },
    ];
    const edges = [['END', 'JR', 'START'], ['END', 'ME', 'START']];
    check(nodes, edges, ['JR', 'ME']);
    const v2 = buildDag('2', nodes, edges);
    assert.equal(v2.stateAfter.get('END')!.has(stateMapKey('m.room.member', EVELYN)), false);
  });
});
