/** Scenario tests of state resolution v2.1 (room v12, MSC4297) and of v12 creators (MSC4289) in state res. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, CHARLIE, EVELYN, ZARA, buildDag, eventIdOf, wiredEvent, type WiredEvent } from './test-support/dag.js';
import { conflictedSubgraph, resolveState } from './state-res.js';
import { stateMapKey } from './state-map.js';
import { resolveRoomVersion } from './room-versions.js';
import { senderPowerLevel, CREATOR_POWER_LEVEL } from './state-res-ordering.js';
import { authIdsLookup } from './auth-chain.js';
import type { IdentifiedPdu } from './types.js';

const join = { membership: 'join' };

/** Builds hand-wired events (as Synapse's test_v21 does) and a lookup over them. */
function room(version: string, specs: Array<Omit<WiredEvent, 'ts'>>) {
  const events = new Map<string, IdentifiedPdu>();
  specs.forEach((s, i) => { const ev = wiredEvent(version, { ...s, ts: i + 1 }); events.set(ev.event_id, ev); });
  const state = (pairs: string[]) => new Map(pairs.map((n) => {
    const ev = events.get(eventIdOf(n))!;
    return [stateMapKey(ev.type, ev.state_key!), ev.event_id];
  }));
  return { events, state, getEvent: (id: string) => events.get(id) };
}

/** Synapse test_state_reset_replay_conflicted_subgraph: Eve's rename cites old power levels. */
function replayScenario(version: string, alicePower: Record<string, number>) {
  return room(version, [
    { id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '', content: { room_version: version }, auth: [] },
    { id: 'MA', sender: ALICE, type: 'm.room.member', stateKey: ALICE, content: join, auth: [] },
    { id: 'POWER1', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: { users: { ...alicePower } }, auth: ['MA'] },
    { id: 'JR', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'public' }, auth: ['MA', 'POWER1'] },
    { id: 'MB', sender: BOB, type: 'm.room.member', stateKey: BOB, content: join, auth: ['POWER1', 'JR'] },
    { id: 'MC', sender: CHARLIE, type: 'm.room.member', stateKey: CHARLIE, content: join, auth: ['POWER1', 'JR'] },
    { id: 'POWER2', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: { users: { ...alicePower, [BOB]: 50 } }, auth: ['MA', 'POWER1'] },
    { id: 'POWER3', sender: BOB, type: 'm.room.power_levels', stateKey: '', content: { users: { ...alicePower, [BOB]: 50, [CHARLIE]: 50 } }, auth: ['MB', 'POWER2'] },
    { id: 'ME1', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: join, auth: ['POWER3', 'JR'] },
    // Eve renames herself citing the OLD power levels directly, the new ones only through ME1.
    { id: 'ME2', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: { ...join, displayname: 'Eve' }, auth: ['POWER1', 'JR', 'ME1'] },
    { id: 'MZ', sender: ZARA, type: 'm.room.member', stateKey: ZARA, content: join, auth: ['POWER3', 'JR'] },
  ]);
}

describe('state res v2.1 §Conflicted state subgraph (room v12)', () => {
  it('holds every event on an auth path between two conflicted events, endpoints included', () => {
    const r = replayScenario('12', {});
    const got = conflictedSubgraph(['ME2', 'POWER1', 'POWER3', 'MZ'].map(eventIdOf), r.getEvent, '12');
    const want = ['ME2', 'POWER1', 'POWER3', 'MZ', 'POWER2', 'ME1', 'MB', 'JR'].map(eventIdOf);
    assert.deepEqual([...got].sort(), want.sort());
  });

  it('never reaches back to the create event or to events no conflicted event descends from', () => {
    const r = replayScenario('12', {});
    const got = conflictedSubgraph([eventIdOf('POWER3'), eventIdOf('MZ')], r.getEvent, '12');
    assert.deepEqual([...got].sort(), [eventIdOf('MZ'), eventIdOf('POWER3')].sort());
  });
});

describe('state res v2.1 §Algorithm (room v12)', () => {
  it('replays the conflicted subgraph: a dodgy state citing old power levels cannot reset them', () => {
    const r = replayScenario('12', {});
    const dodgy = r.state(['CREATE', 'MA', 'MB', 'MC', 'ME2', 'POWER1', 'JR']);
    const sensible = r.state(['CREATE', 'MA', 'MB', 'MC', 'MZ', 'POWER3', 'JR']);
    const expected = r.state(['CREATE', 'MA', 'MB', 'MC', 'ME1', 'MZ', 'POWER3', 'JR']);
    assert.deepEqual(resolveState('12', [dodgy, sensible], { getEvent: r.getEvent }), expected);
    assert.deepEqual(resolveState('12', [sensible, dodgy], { getEvent: r.getEvent }), expected);
  });

  it('step 2 starts from an empty state map: conflicted join rules are not reset to missing', () => {
    // Alice made Bob admin, set the room public then invite, then left. A fork cites the old join rules.
    const build = (version: string, users: Record<string, number>) => room(version, [
      { id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '', content: { room_version: version }, auth: [] },
      { id: 'MA1', sender: ALICE, type: 'm.room.member', stateKey: ALICE, content: join, auth: [] },
      { id: 'POWER', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: { users }, auth: ['MA1'] },
      { id: 'JR1', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'public' }, auth: ['MA1', 'POWER'] },
      { id: 'MB', sender: BOB, type: 'm.room.member', stateKey: BOB, content: join, auth: ['POWER', 'JR1'] },
      { id: 'JR2', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'invite' }, auth: ['MA1', 'POWER'] },
      { id: 'MA2', sender: ALICE, type: 'm.room.member', stateKey: ALICE, content: { membership: 'leave' }, auth: ['POWER', 'MA1'] },
    ]);
    const v12 = build('12', { [BOB]: 100 });
    const correct = v12.state(['CREATE', 'MA2', 'MB', 'POWER', 'JR2']);
    const incorrect = v12.state(['CREATE', 'MA2', 'MB', 'POWER', 'JR1']);
    assert.deepEqual(resolveState('12', [correct, incorrect], { getEvent: v12.getEvent }), correct);

    // §Rejected events: a rejected auth event is not used, so without Alice's join neither join rule passes.
    const noAliceJoin = resolveState('12', [correct, incorrect], { getEvent: v12.getEvent, isRejected: (id) => id === eventIdOf('MA1') });
    assert.equal(noAliceJoin.has(stateMapKey('m.room.join_rules', '')), false);

    // The same fork in v11 (iterative auth checks from the unconflicted state, where Alice has left) loses the join rules.
    const v11 = build('11', { [ALICE]: 100, [BOB]: 100 });
    const out11 = resolveState('11', [v11.state(['CREATE', 'MA2', 'MB', 'POWER', 'JR2']), v11.state(['CREATE', 'MA2', 'MB', 'POWER', 'JR1'])], { getEvent: v11.getEvent });
    assert.equal(out11.has(stateMapKey('m.room.join_rules', '')), false);
  });
});

describe('state res v2.1 with v12 creators (MSC4289)', () => {
  /** Charlie (admin) bans Bob while Bob sets the topic; in v12 Bob is an additional creator. */
  const creatorsDag = (version: string) => {
    const v12 = resolveRoomVersion(version).privilegedCreators;
    return buildDag(version, [
      { id: 'PC', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: { users: v12 ? { [CHARLIE]: 100 } : { [ALICE]: 100, [CHARLIE]: 100 } } },
      { id: 'BAN', sender: CHARLIE, type: 'm.room.member', stateKey: BOB, content: { membership: 'ban' } },
      { id: 'TB', sender: BOB, type: 'm.room.topic', stateKey: '', content: { topic: 'still here' } },
    ], [['END', 'BAN', 'PC', 'START'], ['END', 'TB', 'PC']], { additionalCreators: v12 ? [BOB] : [] });
  };

  it('an additional creator cannot be banned by an admin: the ban loses the race in v12', () => {
    const end = creatorsDag('12').stateAfter.get('END')!;
    assert.equal(end.get(stateMapKey('m.room.member', BOB)), eventIdOf('IMB'));
    assert.equal(end.get(stateMapKey('m.room.topic', '')), eventIdOf('TB'));
  });

  it('the same ban wins in v11, where the admin outranks Bob', () => {
    const end = creatorsDag('11').stateAfter.get('END')!;
    assert.equal(end.get(stateMapKey('m.room.member', BOB)), eventIdOf('BAN'));
  });

  it('an additional creator cannot be demoted: the racing power levels naming Bob are rejected in v12', () => {
    const demotion = (version: string) => {
      const v12 = resolveRoomVersion(version).privilegedCreators;
      const admins = v12 ? { [CHARLIE]: 100 } : { [ALICE]: 100, [CHARLIE]: 100 };
      return buildDag(version, [
        { id: 'PC', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: { users: admins } },
        { id: 'PD', sender: CHARLIE, type: 'm.room.power_levels', stateKey: '', content: { users: { ...admins, [BOB]: 0 } } },
        { id: 'TB', sender: BOB, type: 'm.room.topic', stateKey: '', content: { topic: 'mine' } },
      ], [['END', 'PD', 'PC', 'START'], ['END', 'TB', 'PC']], { additionalCreators: v12 ? [BOB] : [] }).stateAfter.get('END')!;
    };
    const end12 = demotion('12');
    assert.equal(end12.get(stateMapKey('m.room.power_levels', '')), eventIdOf('PC'));
    assert.equal(end12.get(stateMapKey('m.room.topic', '')), eventIdOf('TB'));
    // In v11 the same change is an ordinary, allowed power levels event.
    assert.equal(demotion('11').get(stateMapKey('m.room.power_levels', '')), eventIdOf('PD'));
  });

  it('§Reverse topological power ordering: creators sort with CREATOR_POWER_LEVEL, above any admin', () => {
    const dag = creatorsDag('12');
    const ctx = {
      rv: dag.rv, getEvent: dag.getEvent, authIds: authIdsLookup(dag.getEvent, dag.rv),
      isRejected: () => false, checkAuth: () => ({ allowed: true }), authTypes: () => [],
    };
    assert.equal(senderPowerLevel(dag.events.get(eventIdOf('TB'))!, ctx), CREATOR_POWER_LEVEL);
    assert.equal(senderPowerLevel(dag.events.get(eventIdOf('PC'))!, ctx), CREATOR_POWER_LEVEL);
    assert.equal(senderPowerLevel(dag.events.get(eventIdOf('BAN'))!, ctx), 100);
    const v11 = creatorsDag('11');
    const ctx11 = { ...ctx, rv: v11.rv, getEvent: v11.getEvent, authIds: authIdsLookup(v11.getEvent, v11.rv) };
    assert.equal(senderPowerLevel(v11.events.get(eventIdOf('TB'))!, ctx11), 0);
  });
});
