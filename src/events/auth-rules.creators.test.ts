/** Tests of room v12 creators (MSC4289): infinite power, additional_creators, and creators barred from users. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getCreators, getPowerLevel, isCreator } from './auth-power-levels.js';
import { stateMapKey } from './state-map.js';
import { ALICE, BOB, CAROL, DAVE, createRoom, expectRule, sec, standardRoom, type TestRoom } from './test-support/room-builder.js';

/** A v12 room created by ALICE with BOB as an additional creator; CAROL is a joined admin at 100. */
function v12Room(powerLevels: Record<string, unknown> | null = { users: { [CAROL]: 100 } }): TestRoom {
  return standardRoom('12', {
    createContent: { additional_creators: [BOB] }, powerLevels, joinRule: 'invite',
    members: { [BOB]: 'join', [CAROL]: 'join', [DAVE]: 'join' },
  });
}

const pl = (room: TestRoom, sender: string, content: Record<string, unknown>) =>
  room.build({ type: 'm.room.power_levels', sender, stateKey: '', content });

describe(`auth rules v12 §${sec('12', 'pl.creators')} m.room.power_levels must not list room creators (MSC4289)`, () => {
  it('allows users without the creators', () => {
    const room = v12Room();
    expectRule('12', room.check(pl(room, ALICE, { users: { [CAROL]: 100, [DAVE]: 50 } })), true, 'pl.allow');
  });
  it('rejects users listing the create event sender or an additional creator, even at a huge level', () => {
    const room = v12Room();
    expectRule('12', room.check(pl(room, ALICE, { users: { [ALICE]: 100 } })), false, 'pl.creators');
    expectRule('12', room.check(pl(room, ALICE, { users: { [BOB]: 2 ** 53 - 1 } })), false, 'pl.creators');
    const first = v12Room(null);
    expectRule('12', first.check(pl(first, ALICE, { users: { [BOB]: 0 } })), false, 'pl.creators');
  });
  it('v11 lets the creator be listed, and an additional_creators entry means nothing', () => {
    const room = standardRoom('11', { createContent: { additional_creators: [BOB] }, powerLevels: null, members: { [BOB]: 'join' } });
    expectRule('11', room.check(pl(room, ALICE, { users: { [ALICE]: 100, [BOB]: 0 } })), true, 'pl.noPrevious');
    assert.equal(getPowerLevel(BOB, room.state, '11'), 0);
  });
});

describe('auth rules v12: creators have infinite power (MSC4289)', () => {
  it('creators are Infinity with and without power levels; others are not', () => {
    for (const room of [v12Room(), v12Room(null)]) {
      assert.equal(getPowerLevel(ALICE, room.state, '12'), Infinity);
      assert.equal(getPowerLevel(BOB, room.state, '12'), Infinity);
      assert.ok(getPowerLevel(CAROL, room.state, '12') < Infinity);
    }
    assert.equal(getPowerLevel(DAVE, v12Room(null).state, '12'), 0);
  });
  it(`§${sec('12', 'pl.usersNew')} a creator may grant any finite level; an admin at 100 may not grant 101`, () => {
    const room = v12Room();
    expectRule('12', room.check(pl(room, BOB, { users: { [CAROL]: 100, [DAVE]: 2 ** 53 - 1 }, ban: 1000 })), true, 'pl.allow');
    expectRule('12', room.check(pl(room, CAROL, { users: { [CAROL]: 100, [DAVE]: 101 } })), false, 'pl.usersNew');
  });
  it(`§${sec('12', 'leave.kick')} a creator can kick an admin; an admin cannot kick a creator`, () => {
    const room = v12Room();
    const kick = (sender: string, target: string) => room.build({ type: 'm.room.member', sender, stateKey: target, content: { membership: 'leave' } });
    expectRule('12', room.check(kick(ALICE, CAROL)), true, 'leave.kick');
    expectRule('12', room.check(kick(CAROL, BOB)), false, 'leave.reject');
  });
  it(`§${sec('12', 'ban.level')} creators cannot ban each other (infinite is not below infinite)`, () => {
    const room = v12Room();
    const ban = (sender: string, target: string) => room.build({ type: 'm.room.member', sender, stateKey: target, content: { membership: 'ban' } });
    expectRule('12', room.check(ban(ALICE, BOB)), false, 'ban.reject');
    expectRule('12', room.check(ban(BOB, CAROL)), true, 'ban.level');
  });
  it(`§${sec('12', 'requiredLevel')} an additional creator passes any required level`, () => {
    const room = v12Room({ users: { [CAROL]: 100 }, events: { 'm.room.tombstone': 150 } });
    const tomb = (sender: string) => room.build({ type: 'm.room.tombstone', sender, stateKey: '', content: {} });
    expectRule('12', room.check(tomb(BOB)), true, 'otherwise');
    expectRule('12', room.check(tomb(CAROL)), false, 'requiredLevel');
  });
  it(`§${sec('12', 'join.creator')} only the create event's sender gets the first-join rule`, () => {
    const room = createRoom('12', { createContent: { additional_creators: [BOB] } });
    const join = (u: string) => room.build({ type: 'm.room.member', sender: u, stateKey: u, content: { membership: 'join' } });
    expectRule('12', room.check(join(ALICE)), true, 'join.creator');
    expectRule('12', room.check(join(BOB)), false, 'join.reject');
  });
});

describe('power levels: getCreators and isCreator per room version', () => {
  it('v1–v10 read content.creator, v11 the sender, v12 the sender and additional_creators', () => {
    const create = { ...createRoom('10').create, sender: BOB, content: { creator: ALICE, additional_creators: [CAROL, 7, CAROL] } };
    assert.deepEqual(getCreators(create, '10'), [ALICE]);
    assert.deepEqual(getCreators(create, '11'), [BOB]);
    assert.deepEqual(getCreators(create, '12'), [BOB, CAROL]);
    assert.equal(isCreator(ALICE, create, '1'), true);
    assert.equal(isCreator(BOB, create, '10'), false);
    assert.equal(isCreator(CAROL, create, '12'), true);
    assert.equal(isCreator(CAROL, create, '11'), false);
    assert.deepEqual(getCreators(undefined, '12'), []);
  });
  it('the state map form finds the create event', () => {
    const room = v12Room();
    assert.equal(isCreator(BOB, room.state.get(stateMapKey('m.room.create', '')), '12'), true);
  });
});
