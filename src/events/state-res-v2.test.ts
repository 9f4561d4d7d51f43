/** Scenario tests of state resolution v2 (rooms v2–v11), after Synapse's tests/state/test_v2.py. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, CHARLIE, EVELYN, buildDag, endStateDelta, eventIdOf, expectedDelta, type FakeEvent } from './test-support/dag.js';
import { resolveState } from './state-res.js';
import { stateMapKey } from './state-map.js';

const join = { membership: 'join' };
const ban = { membership: 'ban' };
const pl = (users: Record<string, number>, extra: Record<string, unknown> = {}) => ({ users, ...extra });
const topic = (id: string, sender: string): FakeEvent => ({ id, sender, type: 'm.room.topic', stateKey: '', content: { topic: id } });

/** Builds the DAG in `roomVersion` and asserts the END state against the expected nodes (Synapse's do_check). */
function check(roomVersion: string, nodes: FakeEvent[], edges: string[][], expected: string[]): void {
  const dag = buildDag(roomVersion, nodes, edges);
  assert.deepEqual(endStateDelta(dag, expected), expectedDelta(dag, expected));
}

for (const version of ['2', '6', '10', '11']) {
  describe(`state res v2 §Algorithm, room v${version}`, () => {
    it('steps 1–2: a ban races a power level change; the ban, authorised by the older power levels, survives', () => {
      check(version, [
        { id: 'PA', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        { id: 'MA', sender: ALICE, type: 'm.room.member', stateKey: ALICE, content: join },
        { id: 'MB', sender: ALICE, type: 'm.room.member', stateKey: BOB, content: ban },
        { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
      ], [['END', 'MB', 'MA', 'PA', 'START'], ['END', 'PB', 'PA']], ['PA', 'MA', 'MB']);
    });

    it('steps 1–4: join rules flip public -> invite while a join races; the join is not admitted', () => {
      check(version, [
        { id: 'JR', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'invite' } },
        { id: 'ME', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: join },
      ], [['END', 'JR', 'START'], ['END', 'ME', 'START']], ['JR']);
    });

    it('step 1 reverse topological power ordering: "offtopic" power levels, Charlie demoting himself wins', () => {
      check(version, [
        { id: 'PA', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 }) },
        { id: 'PC', sender: CHARLIE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50, [CHARLIE]: 0 }) },
      ], [['END', 'PC', 'PB', 'PA', 'START'], ['END', 'PA']], ['PC']);
    });

    it('steps 3–4: a topic from a demoted sender loses to the topic of the winning power levels', () => {
      check(version, [
        topic('T1', ALICE),
        { id: 'PA1', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        topic('T2', ALICE),
        { id: 'PA2', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 0 }) },
        { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        topic('T3', BOB),
      ], [['END', 'PA2', 'T2', 'PA1', 'T1', 'START'], ['END', 'T3', 'PB', 'PA1']], ['PA2', 'T2']);
    });

    it('steps 2–5: topic reset after a power loss; Bob\'s topic is dropped once he is banned', () => {
      check(version, [
        topic('T1', ALICE),
        { id: 'PA', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        topic('T2', BOB),
        { id: 'MB', sender: ALICE, type: 'm.room.member', stateKey: BOB, content: ban },
      ], [['END', 'MB', 'T2', 'PA', 'T1', 'START'], ['END', 'T1']], ['T1', 'MB', 'PA']);
    });

    it('steps 3–4: a later topic on the winning mainline is kept over a message merge', () => {
      check(version, [
        topic('T1', ALICE),
        { id: 'PA1', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        topic('T2', ALICE),
        { id: 'PA2', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 0 }) },
        { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        topic('T3', BOB),
        { id: 'MZ1', sender: '@zara:example.com', type: 'm.room.message', content: {} },
        topic('T4', ALICE),
      ], [['END', 'T4', 'MZ1', 'PA2', 'T2', 'PA1', 'T1', 'START'], ['END', 'MZ1', 'T3', 'PB', 'PA1']], ['T4', 'PA2']);
    });

    it('§Mainline ordering: the topic citing the newer mainline power levels wins, not the latest one', () => {
      check(version, [
        topic('T1', ALICE),
        { id: 'PA1', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        topic('T2', ALICE),
        { id: 'PA2', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }, { events: { 'm.room.power_levels': 100 } }) },
        { id: 'PB', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: pl({ [ALICE]: 100, [BOB]: 50 }) },
        topic('T3', BOB),
        topic('T4', ALICE),
      ], [['END', 'T3', 'PA2', 'T2', 'PA1', 'T1', 'START'], ['END', 'T4', 'PB', 'PA1']], ['T3', 'PA2']);
    });
  });
}

describe('state res v2 §Unconflicted state map and conflicted state set', () => {
  const dag = buildDag('10', [
    { id: 'MB2', sender: BOB, type: 'm.room.member', stateKey: BOB, content: { membership: 'join', displayname: 'B' } },
    { id: 'MC2', sender: CHARLIE, type: 'm.room.member', stateKey: CHARLIE, content: { membership: 'join', displayname: 'C' } },
  ], [['END', 'MB2', 'START'], ['END', 'MC2', 'START']]);
  const bob = dag.stateAfter.get('MB2')!;
  const charlie = dag.stateAfter.get('MC2')!;

  it('keys changed on one side only are conflicted yet resolve to the change (it passes auth)', () => {
    const out = resolveState('10', [bob, charlie], { getEvent: dag.getEvent });
    assert.equal(out.get(stateMapKey('m.room.member', BOB)), eventIdOf('MB2'));
    assert.equal(out.get(stateMapKey('m.room.member', CHARLIE)), eventIdOf('MC2'));
    assert.equal(out.size, bob.size);
  });

  it('a key missing from one state set is conflicted: it is re-authorised, not copied (§Auth difference)', () => {
    const withoutBob = new Map(charlie);
    withoutBob.delete(stateMapKey('m.room.member', BOB));
    // Charlie forges Bob's join: same auth events as Bob's MB2, but a sender who may not join for Bob.
    const forged = { ...dag.events.get(eventIdOf('MB2'))!, event_id: '$forged:example.com', sender: CHARLIE };
    const getEvent = (id: string) => (id === forged.event_id ? forged : dag.getEvent(id));
    const other = new Map(bob);
    other.set(stateMapKey('m.room.member', BOB), forged.event_id);
    // The forged event fails auth; Bob's own first join (IMB) is in only one auth chain, so it is
    // in the auth difference, replayed, and allowed.
    const out = resolveState('10', [other, withoutBob], { getEvent });
    assert.equal(out.get(stateMapKey('m.room.member', BOB)), eventIdOf('IMB'));
    const forgedOnly = resolveState('10', [other, withoutBob], { getEvent, checkAuth: (ev) => ({ allowed: ev.event_id !== forged.event_id && ev.event_id !== eventIdOf('IMB') }) });
    assert.equal(forgedOnly.has(stateMapKey('m.room.member', BOB)), false);
  });

  it('§Rejected events: an event flagged as rejected by its auth chain never enters the resolved state', () => {
    const bobKey = stateMapKey('m.room.member', BOB);
    assert.equal(resolveState('10', [bob, charlie], { getEvent: dag.getEvent }).get(bobKey), eventIdOf('MB2'));
    const isRejected = (id: string) => id === eventIdOf('MB2');
    assert.equal(resolveState('10', [bob, charlie], { getEvent: dag.getEvent, isRejected }).get(bobKey), eventIdOf('IMB'));
  });

  it('one state set resolves to itself; no state set to the empty state', () => {
    assert.deepEqual(resolveState('10', [bob], { getEvent: dag.getEvent }), bob);
    assert.deepEqual(resolveState('10', [], { getEvent: dag.getEvent }), new Map());
  });

  it('conflicted events unknown to getEvent are skipped, as Synapse does', () => {
    const other = new Map(bob);
    other.set(stateMapKey('m.room.topic', ''), '$unknown:example.com');
    const out = resolveState('10', [other, bob], { getEvent: dag.getEvent });
    assert.equal(out.has(stateMapKey('m.room.topic', '')), false);
    assert.equal(out.get(stateMapKey('m.room.member', BOB)), eventIdOf('MB2'));
  });
});
