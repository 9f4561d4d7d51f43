/** Room upgrades' power level rules: normalisation, v12 creators (auth rule 10.4), the copy bump and the old room's lock (spec §"Room Upgrades" step 6). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROOM_VERSIONS } from '../events/room-versions.js';
import { levelNeededToCopy, restrictedPowerLevels, upgradedPowerLevels, withUserAtLeast } from './room-upgrade-state.js';

const A = '@alice:hs';
const B = '@bob:hs';

describe('room upgrade §"Room Upgrades" step 3: power levels of the replacement room', () => {
  it('string levels of v1–v9 become integers for v10+ (which rejects strings); unreadable ones are dropped', () => {
    const pl = upgradedPowerLevels({ ban: '50', kick: 'x', users: { [A]: '100', [B]: 7.9 }, events: { 'm.room.name': ' 60 ' } }, ROOM_VERSIONS['9'], ROOM_VERSIONS['10'], [A], [A]);
    assert.deepEqual(pl, { ban: 50, users: { [A]: 100, [B]: 7 }, events: { 'm.room.name': 60 } });
  });

  it('to v12 the new creators leave users (auth rule 10.4 rejects them); others stay', () => {
    const pl = upgradedPowerLevels({ users: { [A]: 100, [B]: 50, '@c:hs': 10 } }, ROOM_VERSIONS['10'], ROOM_VERSIONS['12'], [A], [A, B]);
    assert.deepEqual(pl.users, { '@c:hs': 10 });
  });

  it('from v12 to an older version the old creators get 100 and every level is capped at 100', () => {
    const pl = upgradedPowerLevels({ users: { [B]: 50 }, events: { 'm.room.tombstone': 150 }, state_default: 200 }, ROOM_VERSIONS['12'], ROOM_VERSIONS['11'], [A], [A]);
    assert.deepEqual(pl, { users: { [B]: 50, [A]: 100 }, events: { 'm.room.tombstone': 100 }, state_default: 100 });
  });

  it('the upgrader is raised to the highest state level while copying, and left alone when already there', () => {
    const pl = { state_default: 50, ban: 50, events: { 'm.room.encryption': 100 }, users: { [A]: 75 } };
    assert.equal(levelNeededToCopy(pl), 100);
    assert.deepEqual(withUserAtLeast(pl, A, 100).users, { [A]: 100 });
    assert.equal(withUserAtLeast(pl, A, 50), pl);
  });
});

describe('room upgrade §"Room Upgrades" step 6: the old room\'s power levels', () => {
  it('events_default and invite rise to the greater of 50 and users_default + 1', () => {
    assert.deepEqual(restrictedPowerLevels({ events_default: 0, invite: 0 }, ROOM_VERSIONS['10']), { events_default: 50, invite: 50 });
    assert.deepEqual(restrictedPowerLevels({ users_default: 60 }, ROOM_VERSIONS['10']), { users_default: 60, events_default: 61, invite: 61 });
  });

  it('nothing to send when both are already high enough', () => {
    assert.equal(restrictedPowerLevels({ events_default: 50, invite: 100 }, ROOM_VERSIONS['10']), undefined);
  });
});
