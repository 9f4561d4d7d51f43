/** Tests of power level values: v1 stringy/floaty levels, v10 integer levels, defaults and user levels. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  getEventsDefault, getNamedLevel, getNotificationLevel, getPowerLevel, getRequiredLevel, getStateDefault,
  getUsersDefault, parsePowerLevel,
} from './auth-power-levels.js';
import { stateMapKey } from './state-map.js';
import { ALICE, BOB, CAROL, DAVE, expectRule, sec, standardRoom, versionsWhere, type TestRoom } from './test-support/room-builder.js';

type Content = Record<string, any>;
const NAMED = ['users_default', 'events_default', 'state_default', 'ban', 'redact', 'kick', 'invite'];

/** BOB (50) sends a power levels event: the current content changed by `mutate`. */
function byBob(v: string, mutate: (c: Content) => void, more: Content = {}): ReturnType<TestRoom['check']> {
  const users = { ...(v === '12' ? {} : { [ALICE]: 100 }), [BOB]: 50, ...more.users };
  const room = standardRoom(v, { powerLevels: { ...more, users }, members: { [BOB]: 'join' } });
  const content = structuredClone(room.state.get(stateMapKey('m.room.power_levels', ''))!.content) as Content;
  mutate(content);
  return room.check(room.build({ type: 'm.room.power_levels', sender: BOB, stateKey: '', content }));
}

for (const v of versionsWhere((rv) => rv.integerPowerLevels)) {
  describe(`auth rules v${v} §${sec(v, 'pl.namedIntegers')} m.room.power_levels named levels must be integers (v10+)`, () => {
    it('allows integer values', () => {
      expectRule(v, byBob(v, (c) => { c.kick = 10; c.invite = -5; }), true, 'pl.allow');
    });
    it('rejects strings, floats, booleans, null and integers beyond 2^53', () => {
      for (const key of NAMED) {
        for (const bad of ['50', 50.5, true, null, 2 ** 53]) expectRule(v, byBob(v, (c) => { c[key] = bad; }), false, 'pl.namedIntegers');
      }
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.mapIntegers')} m.room.power_levels events and notifications must map to integers (v10+)`, () => {
    it('allows objects of integers', () => {
      expectRule(v, byBob(v, (c) => { c.events = { 'm.room.name': 50 }; c.notifications = { room: 50 }; }), true, 'pl.allow');
    });
    it('rejects string values, non-objects and null', () => {
      for (const key of ['events', 'notifications']) {
        for (const bad of [{ x: '50' }, { x: 1.5 }, [], 'x', null]) expectRule(v, byBob(v, (c) => { c[key] = bad; }), false, 'pl.mapIntegers');
      }
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.users')} m.room.power_levels users values must be integers, not strings (v10+)`, () => {
    it('rejects a string level', () => {
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = '10'; }), false, 'pl.users');
    });
    it('allows an integer level', () => {
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = 10; }), true, 'pl.allow');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.integerPowerLevels)) {
  describe(`auth rules v${v} §${sec(v, 'pl.users')} m.room.power_levels accept stringy and floaty values (v1–v9)`, () => {
    it('allows integer strings with sign, zeros and whitespace, and truncated floats', () => {
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = ' +050 '; c.users[CAROL] = 50.9; c.kick = '0010'; c.events = { x: '-1' }; }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.ban = null; }), true, 'pl.allow');
    });
    it('rejects other strings, booleans and non-finite numbers in users and the other levels', () => {
      for (const bad of ['abc', '5.5', '1e3', '', '- 5', true, Infinity, NaN]) {
        expectRule(v, byBob(v, (c) => { c.users[DAVE] = bad; }), false, 'pl.users');
        expectRule(v, byBob(v, (c) => { c.kick = bad; }), false, 'pl.legacyValues');
        expectRule(v, byBob(v, (c) => { c.events = { x: bad }; }), false, 'pl.legacyValues');
      }
      expectRule(v, byBob(v, (c) => { c.events = ['x']; }), false, 'pl.legacyValues');
    });
    it('compares parsed values: "100" re-sent as 100 is no change; 50.57 counts as 50', () => {
      expectRule(v, byBob(v, (c) => { c.ban = 100; }, { ban: '100' }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = 50.57; }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = '51'; }), false, 'pl.usersNew');
      expectRule(v, byBob(v, (c) => { c.users[CAROL] = 0; }, { users: { [CAROL]: '50' } }), false, 'pl.usersCurrent');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.limitNotificationsPowerLevels)) {
  describe(`auth rules v${v} §${sec(v, 'pl.users')} notifications values are not validated before v6`, () => {
    it('allows junk in notifications, and rejects it in events', () => {
      expectRule(v, byBob(v, (c) => { c.notifications = { room: 'junk' }; }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.events = { room: 'junk' }; }), false, 'pl.legacyValues');
    });
  });
}

for (const v of versionsWhere((rv) => rv.limitNotificationsPowerLevels && !rv.integerPowerLevels)) {
  describe(`auth rules v${v} §${sec(v, 'pl.users')} notifications values are power levels (v6–v9)`, () => {
    it('allows a stringy notifications level and rejects junk', () => {
      expectRule(v, byBob(v, (c) => { c.notifications = { room: '20' }; }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.notifications = { room: 'junk' }; }), false, 'pl.legacyValues');
    });
  });
}

describe('power levels: parsePowerLevel per room version (v1 stringy/floaty power levels, v10 integers)', () => {
  const cases: Array<[unknown, number | undefined, number | undefined]> = [
    // value, v1–v9, v10+
    [50, 50, 50], [-3, -3, -3], ['50', 50, undefined], [' +050 ', 50, undefined], ['-007', -7, undefined],
    [50.57, 50, undefined], [-1.5, -1, undefined], [5.114698e4, 51146, undefined], ['1.5', undefined, undefined],
    ['0x10', undefined, undefined], ['', undefined, undefined], [true, undefined, undefined], [null, undefined, undefined],
    [Infinity, undefined, undefined], [NaN, undefined, undefined], [2 ** 53, 2 ** 53, undefined],
  ];
  for (const [value, legacy, strict] of cases) {
    it(`${JSON.stringify(value) ?? String(value)} reads as ${legacy} in v9 and ${strict} in v10`, () => {
      assert.equal(parsePowerLevel(value, '9'), legacy);
      assert.equal(parsePowerLevel(value, '1'), legacy);
      assert.equal(parsePowerLevel(value, '10'), strict);
    });
  }
});

describe('power levels: defaults (client-server m.room.power_levels)', () => {
  it('without a power levels event: events_default 0, state_default 50, invite 0, kick/ban/redact 50, users_default 0', () => {
    for (const v of ['1', '9', '10', '12']) {
      assert.equal(getEventsDefault({}, v), 0);
      assert.equal(getStateDefault({}, v), 50);
      assert.equal(getUsersDefault({}, v), 0);
      assert.deepEqual(['invite', 'kick', 'ban', 'redact'].map((n) => getNamedLevel(n as 'kick', {}, v)), [0, 50, 50, 50]);
      assert.equal(getRequiredLevel('m.room.topic', true, {}, v), 50);
      assert.equal(getRequiredLevel('m.room.message', false, {}, v), 0);
      assert.equal(getNotificationLevel('room', {}, v), 50);
    }
  });
  it('reads explicit values, events overrides and stringy values where allowed', () => {
    const powerLevels = { events: { 'm.room.topic': 10, 'org.x': '30' }, events_default: '5', state_default: 70, kick: 1, notifications: { room: 20 } };
    assert.equal(getRequiredLevel('m.room.topic', true, { powerLevels }, '9'), 10);
    assert.equal(getRequiredLevel('org.x', false, { powerLevels }, '9'), 30);
    assert.equal(getRequiredLevel('org.x', false, { powerLevels }, '10'), 0); // unreadable in v10: default
    assert.equal(getRequiredLevel('m.room.message', false, { powerLevels }, '9'), 5);
    assert.equal(getRequiredLevel('m.room.name', true, { powerLevels }, '10'), 70);
    assert.equal(getNamedLevel('kick', { powerLevels }, '10'), 1);
    assert.equal(getNotificationLevel('room', { powerLevels }, '10'), 20);
  });
});

describe('power levels: getPowerLevel', () => {
  it('without power levels the creator has 100 (v1–v11) and others 0', () => {
    const room = standardRoom('10', { powerLevels: null });
    assert.equal(getPowerLevel(ALICE, room.state, '10'), 100);
    assert.equal(getPowerLevel(BOB, room.state, '10'), 0);
    assert.equal(getPowerLevel(ALICE, { create: room.create }, '10'), 100);
  });
  it('with power levels: users, then users_default, then 0', () => {
    const powerLevels = { users: { [BOB]: 42 }, users_default: 7 };
    assert.equal(getPowerLevel(BOB, { powerLevels }, '10'), 42);
    assert.equal(getPowerLevel(CAROL, { powerLevels }, '10'), 7);
    assert.equal(getPowerLevel(CAROL, { powerLevels: { users: {} } }, '10'), 0);
    assert.equal(getPowerLevel(BOB, { powerLevels: { users: { [BOB]: ' 9 ' } } }, '9'), 9);
  });
  it('a power levels event without the creator in users gives the creator users_default (v1–v11)', () => {
    const room = standardRoom('11', { powerLevels: { users: {}, users_default: 3 } });
    assert.equal(getPowerLevel(ALICE, room.state, '11'), 3);
  });
});
