/** Tests of the m.room.power_levels change rules (v1 §10 … v12 §10) in every room version. */
import { describe, it } from 'node:test';
import { stateMapKey } from './state-map.js';
import type { IdentifiedPdu } from './types.js';
import {
  ALICE, ALL_VERSIONS, BOB, CAROL, DAVE, expectRule, sec, standardRoom, versionsWhere, type TestRoom,
} from './test-support/room-builder.js';

type Content = Record<string, any>;

/** A room where BOB (50) and CAROL (40) are joined moderators; ALICE is the creator. */
function modRoom(v: string, more: Content = {}): TestRoom {
  const users = { ...(v === '12' ? {} : { [ALICE]: 100 }), [BOB]: 50, [CAROL]: 40, ...more.users };
  return standardRoom(v, { powerLevels: { ...more, users }, members: { [BOB]: 'join', [CAROL]: 'join' } });
}

/** A power levels event by `sender`: the current content, changed by `mutate`. */
function change(room: TestRoom, sender: string, mutate: (c: Content) => void): IdentifiedPdu {
  const content = structuredClone(room.state.get(stateMapKey('m.room.power_levels', ''))!.content) as Content;
  mutate(content);
  return room.build({ type: 'm.room.power_levels', sender, stateKey: '', content });
}

const byBob = (v: string, mutate: (c: Content) => void, more: Content = {}) => {
  const room = modRoom(v, more);
  return room.check(change(room, BOB, mutate));
};

for (const v of ALL_VERSIONS) {
  describe(`auth rules v${v} §${sec(v, 'pl.users')} m.room.power_levels users must map user IDs to integers`, () => {
    it('allows valid user IDs with integer levels', () => {
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = 10; c.users['@x:[::1]:8448'] = 0; }), true, 'pl.allow');
    });
    it('rejects users that is not an object, invalid user IDs and non-integer values', () => {
      for (const users of [[], 'x', null, 5]) expectRule(v, byBob(v, (c) => { c.users = users; }), false, 'pl.users');
      for (const key of ['bob', '@bob', '#room:a.example', '@bob:bad host']) {
        expectRule(v, byBob(v, (c) => { c.users[key] = 0; }), false, 'pl.users');
      }
      for (const value of ['abc', '1.5', true, null, {}, '']) expectRule(v, byBob(v, (c) => { c.users[DAVE] = value; }), false, 'pl.users');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.noPrevious')} m.room.power_levels without a previous one`, () => {
    it('allows the first power levels event whatever levels it grants', () => {
      const room = standardRoom(v, { powerLevels: null });
      const ev = room.build({ type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: { users: { [BOB]: 9000 }, ban: 9000 } });
      expectRule(v, room.check(ev), true, 'pl.noPrevious');
    });
    it(`rejects the same content once a power levels event exists (§${sec(v, 'pl.usersNew')})`, () => {
      const room = modRoom(v);
      expectRule(v, room.check(change(room, BOB, (c) => { c.users[DAVE] = 9000; })), false, 'pl.usersNew');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.namedCurrent')} m.room.power_levels: changing a level above the sender`, () => {
    it('allows changing or removing a named level at or below the sender, and keeping one above', () => {
      expectRule(v, byBob(v, (c) => { c.kick = 50; }, { kick: 40 }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { delete c.invite; }, { invite: 50 }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = 1; }, { ban: 100 }), true, 'pl.allow');
    });
    it('rejects changing or removing a named level above the sender', () => {
      for (const key of ['users_default', 'events_default', 'state_default', 'ban', 'redact', 'kick', 'invite']) {
        // events pins the power levels event's own level, so a state_default of 51 does not stop BOB first.
        const more = { [key]: 51, events: { 'm.room.power_levels': 50 } };
        expectRule(v, byBob(v, (c) => { c[key] = 0; }, more), false, 'pl.namedCurrent');
        expectRule(v, byBob(v, (c) => { delete c[key]; }, more), false, 'pl.namedCurrent');
      }
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.namedNew')} m.room.power_levels: setting a level above the sender`, () => {
    it('allows adding or raising a named level up to the sender\'s level', () => {
      expectRule(v, byBob(v, (c) => { c.redact = 50; }), true, 'pl.allow');
    });
    it('rejects adding or raising one above it', () => {
      for (const key of ['users_default', 'events_default', 'state_default', 'ban', 'redact', 'kick', 'invite']) {
        expectRule(v, byBob(v, (c) => { c[key] = 51; }), false, 'pl.namedNew');
      }
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.mapCurrent')} m.room.power_levels: changing an events entry above the sender`, () => {
    it('allows changing or removing an entry at the sender\'s level', () => {
      expectRule(v, byBob(v, (c) => { c.events['m.room.name'] = 10; }, { events: { 'm.room.name': 50 } }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { delete c.events['m.room.name']; }, { events: { 'm.room.name': 50 } }), true, 'pl.allow');
    });
    it('rejects changing or removing an entry above it', () => {
      expectRule(v, byBob(v, (c) => { c.events['m.room.name'] = 10; }, { events: { 'm.room.name': 51 } }), false, 'pl.mapCurrent');
      expectRule(v, byBob(v, (c) => { delete c.events['m.room.name']; }, { events: { 'm.room.name': 51 } }), false, 'pl.mapCurrent');
      expectRule(v, byBob(v, (c) => { delete c.events; }, { events: { 'm.room.name': 51 } }), false, 'pl.mapCurrent');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.mapNew')} m.room.power_levels: setting an events entry above the sender`, () => {
    it('allows adding an entry at the sender\'s level', () => {
      expectRule(v, byBob(v, (c) => { c.events['org.example.alarm'] = 50; }), true, 'pl.allow');
    });
    it('rejects adding or raising an entry above it', () => {
      expectRule(v, byBob(v, (c) => { c.events['org.example.alarm'] = 51; }), false, 'pl.mapNew');
      expectRule(v, byBob(v, (c) => { c.events['m.room.name'] = 51; }, { events: { 'm.room.name': 10 } }), false, 'pl.mapNew');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.usersCurrent')} m.room.power_levels: changing a user at or above the sender`, () => {
    it('allows changing or removing a user below the sender, and the sender\'s own entry', () => {
      expectRule(v, byBob(v, (c) => { c.users[CAROL] = 0; }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { delete c.users[CAROL]; }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.users[BOB] = 10; }), true, 'pl.allow');
    });
    it('rejects changing or removing a user at or above the sender', () => {
      expectRule(v, byBob(v, (c) => { c.users[CAROL] = 0; }, { users: { [CAROL]: 50 } }), false, 'pl.usersCurrent');
      expectRule(v, byBob(v, (c) => { delete c.users[CAROL]; }, { users: { [CAROL]: 50 } }), false, 'pl.usersCurrent');
      expectRule(v, byBob(v, (c) => { c.users[CAROL] = 10; }, { users: { [CAROL]: 70 } }), false, 'pl.usersCurrent');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.usersNew')} m.room.power_levels: giving a user more than the sender`, () => {
    it('allows granting up to the sender\'s level', () => {
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = 50; }), true, 'pl.allow');
    });
    it('rejects granting more, to others or to oneself', () => {
      expectRule(v, byBob(v, (c) => { c.users[DAVE] = 51; }), false, 'pl.usersNew');
      expectRule(v, byBob(v, (c) => { c.users[BOB] = 51; }), false, 'pl.usersNew');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'pl.allow')} m.room.power_levels: otherwise allow`, () => {
    it('allows an unchanged re-send, even by a user below the levels it holds', () => {
      expectRule(v, byBob(v, () => {}, { ban: 100, events: { 'm.room.name': 100 }, users: { [DAVE]: 100 } }), true, 'pl.allow');
    });
    it('rejects a sender below the level to send power levels (control, earlier rule)', () => {
      const room = modRoom(v);
      expectRule(v, room.check(change(room, CAROL, () => {})), false, 'requiredLevel');
    });
  });
}

for (const v of versionsWhere((rv) => rv.limitNotificationsPowerLevels)) {
  describe(`auth rules v${v} §${sec(v, 'pl.mapCurrent')}/§${sec(v, 'pl.mapNew')} m.room.power_levels notifications (v6+)`, () => {
    it('allows notifications entries at the sender\'s level', () => {
      expectRule(v, byBob(v, (c) => { c.notifications = { room: 50 }; }), true, 'pl.allow');
    });
    it('rejects changing an entry above the sender, or setting one above it', () => {
      expectRule(v, byBob(v, (c) => { c.notifications.room = 0; }, { notifications: { room: 51 } }), false, 'pl.mapCurrent');
      expectRule(v, byBob(v, (c) => { c.notifications = { room: 51 }; }), false, 'pl.mapNew');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.limitNotificationsPowerLevels)) {
  describe(`auth rules v${v} §${sec(v, 'pl.mapNew')} m.room.power_levels notifications are not checked before v6`, () => {
    it('allows notifications above the sender, and still checks events', () => {
      expectRule(v, byBob(v, (c) => { c.notifications = { room: 100 }; }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.notifications.room = 0; }, { notifications: { room: 100 } }), true, 'pl.allow');
      expectRule(v, byBob(v, (c) => { c.events.x = 100; }), false, 'pl.mapNew');
    });
  });
}
