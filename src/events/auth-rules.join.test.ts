/** Tests of the m.room.member join rules (v1 §5.2 … v12 §5.3): creator join, bans, invite/knock/restricted/knock_restricted/public. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentifiedPdu } from './types.js';
import {
  ALICE, ALL_VERSIONS, BOB, CAROL, DAVE, createRoom, expectRule, sec, standardRoom, versionsWhere, type TestRoom,
} from './test-support/room-builder.js';

function join(room: TestRoom, user: string, more: { sender?: string; content?: Record<string, unknown>; signers?: string[] } = {}): IdentifiedPdu {
  const signatures: Record<string, Record<string, string>> = {};
  for (const s of [(more.sender ?? user).split(':')[1]!, ...(more.signers ?? [])]) signatures[s] = { 'ed25519:1': 'sig' };
  return room.build({
    type: 'm.room.member', sender: more.sender ?? user, stateKey: user,
    content: { membership: 'join', ...more.content }, extra: { signatures },
  });
}

for (const v of ALL_VERSIONS) {
  describe(`auth rules v${v} §${sec(v, 'join.creator')} join: the creator's first join after m.room.create`, () => {
    it('allows the creator to join when the only previous event is the create event', () => {
      const room = createRoom(v);
      expectRule(v, room.check(join(room, ALICE)), true, 'join.creator');
    });
    it('rejects another user, or the creator with other previous events', () => {
      const room = createRoom(v);
      expectRule(v, room.check(join(room, BOB)), false, 'join.reject');
      const other = room.force({ type: 'm.room.topic', sender: ALICE, stateKey: '', content: { topic: 't' } });
      const ev = room.build({ type: 'm.room.member', sender: ALICE, stateKey: ALICE, content: { membership: 'join' }, prevEvents: [room.create.event_id, other.event_id] });
      expectRule(v, room.check(ev), false, 'join.reject');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'join.notSelf')} join: sender must match state_key`, () => {
    it('allows a user joining themselves', () => {
      const room = standardRoom(v, { joinRule: 'public' });
      expectRule(v, room.check(join(room, BOB)), true, 'join.public');
    });
    it('rejects joining someone else, even for the room creator', () => {
      const room = standardRoom(v, { joinRule: 'public' });
      expectRule(v, room.check(join(room, BOB, { sender: ALICE })), false, 'join.notSelf');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'join.banned')} join: sender is banned`, () => {
    it('allows a user who left to join a public room', () => {
      const room = standardRoom(v, { joinRule: 'public', members: { [BOB]: 'leave' } });
      expectRule(v, room.check(join(room, BOB)), true, 'join.public');
    });
    it('rejects a banned user, even in a public room', () => {
      const room = standardRoom(v, { joinRule: 'public', members: { [BOB]: 'ban' } });
      expectRule(v, room.check(join(room, BOB)), false, 'join.banned');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'join.invited')} join: invite join rule`, () => {
    it('allows an invited user and a joined user (profile change)', () => {
      const room = standardRoom(v, { joinRule: 'invite', members: { [BOB]: 'invite', [CAROL]: 'join' } });
      expectRule(v, room.check(join(room, BOB)), true, 'join.invited');
      expectRule(v, room.check(join(room, CAROL, { content: { displayname: 'C' } })), true, 'join.invited');
    });
    it('rejects a user who is not invited (and one who left)', () => {
      const room = standardRoom(v, { joinRule: 'invite', members: { [CAROL]: 'leave' } });
      expectRule(v, room.check(join(room, BOB)), false, 'join.reject');
      expectRule(v, room.check(join(room, CAROL)), false, 'join.reject');
    });
    it('treats a room without m.room.join_rules as invite-only (as Synapse does)', () => {
      const room = standardRoom(v, { joinRule: null, members: { [BOB]: 'invite' } });
      expectRule(v, room.check(join(room, BOB)), true, 'join.invited');
      expectRule(v, room.check(join(room, CAROL)), false, 'join.reject');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'join.public')} join: public join rule`, () => {
    it('allows anyone not banned', () => {
      const room = standardRoom(v, { joinRule: 'public' });
      expectRule(v, room.check(join(room, DAVE)), true, 'join.public');
    });
    it('rejects when the join rule is not public', () => {
      const room = standardRoom(v, { joinRule: 'invite' });
      expectRule(v, room.check(join(room, DAVE)), false, 'join.reject');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'join.reject')} join: otherwise reject`, () => {
    it('rejects unknown and private join rules, and a non-string join_rule', () => {
      for (const rule of ['private', 'org.example.custom', 'PUBLIC']) {
        const room = standardRoom(v, { joinRule: rule, members: { [BOB]: 'invite' } });
        expectRule(v, room.check(join(room, CAROL)), false, 'join.reject');
      }
      const room = standardRoom(v, { joinRule: null });
      room.force({ type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: { join_rule: 42 } });
      expectRule(v, room.check(join(room, CAROL)), false, 'join.reject');
    });
    it('still allows the same user under a public rule (control)', () => {
      const room = standardRoom(v, { joinRule: 'public' });
      expectRule(v, room.check(join(room, CAROL)), true, 'join.public');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.implicitRoomCreator)) {
  describe(`auth rules v${v} §${sec(v, 'join.creator')} join: the creator is content.creator`, () => {
    it('allows content.creator and rejects the create event sender when they differ', () => {
      const room = createRoom(v, { createContent: { creator: BOB } });
      expectRule(v, room.check(join(room, BOB)), true, 'join.creator');
      expectRule(v, room.check(join(room, ALICE)), false, 'join.reject');
    });
  });
}

for (const v of versionsWhere((rv) => rv.implicitRoomCreator)) {
  describe(`auth rules v${v} §${sec(v, 'join.creator')} join: the creator is the create event's sender (MSC2175)`, () => {
    it('allows the sender and ignores a creator property', () => {
      const room = createRoom(v, { createContent: { creator: BOB } });
      expectRule(v, room.check(join(room, ALICE)), true, 'join.creator');
      expectRule(v, room.check(join(room, BOB)), false, 'join.reject');
    });
  });
}

for (const v of versionsWhere((rv) => rv.knock)) {
  describe(`auth rules v${v} §${sec(v, 'join.invited')} join: knock join rule (v7+)`, () => {
    it('allows an invited user to join a knock room', () => {
      const room = standardRoom(v, { joinRule: 'knock', members: { [BOB]: 'invite' } });
      expectRule(v, room.check(join(room, BOB)), true, 'join.invited');
    });
    it('rejects a user who only knocked', () => {
      const room = standardRoom(v, { joinRule: 'knock', members: { [BOB]: 'knock' } });
      expectRule(v, room.check(join(room, BOB)), false, 'join.reject');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.knock)) {
  describe(`auth rules v${v} §${sec(v, 'join.reject')} join: knock is not a join rule before v7`, () => {
    it('rejects even an invited user when join_rule is knock, and allows under invite', () => {
      const room = standardRoom(v, { joinRule: 'knock', members: { [BOB]: 'invite' } });
      expectRule(v, room.check(join(room, BOB)), false, 'join.reject');
      const control = standardRoom(v, { joinRule: 'invite', members: { [BOB]: 'invite' } });
      expectRule(v, control.check(join(control, BOB)), true, 'join.invited');
    });
  });
}

const restrictedRules = (v: string): string[] => (Number(v) >= 10 ? ['restricted', 'knock_restricted'] : ['restricted']);

for (const v of versionsWhere((rv) => rv.restrictedJoins)) {
  for (const rule of restrictedRules(v)) {
    describe(`auth rules v${v} §${sec(v, 'join.restrictedMember')} join: ${rule} join rule, sender invited or joined`, () => {
      it('allows an invited or joined user without an authorising user', () => {
        const room = standardRoom(v, { joinRule: rule, members: { [BOB]: 'invite', [CAROL]: 'join' } });
        expectRule(v, room.check(join(room, BOB)), true, 'join.restrictedMember');
        expectRule(v, room.check(join(room, CAROL)), true, 'join.restrictedMember');
      });
      it('does not let a knocking user in without an authorising user', () => {
        const room = standardRoom(v, { joinRule: rule, members: { [BOB]: 'knock' } });
        expectRule(v, room.check(join(room, BOB)), false, 'join.restrictedAuthoriser');
      });
    });

    describe(`auth rules v${v} §${sec(v, 'join.restrictedAuthoriser')} join: ${rule} join_authorised_via_users_server`, () => {
      it(`allows a join authorised by a joined user able to invite (§${sec(v, 'join.restrictedAllow')})`, () => {
        const room = standardRoom(v, { joinRule: rule, members: { [CAROL]: 'join' } });
        expectRule(v, room.check(join(room, DAVE, { content: { join_authorised_via_users_server: ALICE }, signers: ['a.example'] })), true, 'join.restrictedAllow');
        expectRule(v, room.check(join(room, DAVE, { content: { join_authorised_via_users_server: CAROL }, signers: ['b.example'] })), true, 'join.restrictedAllow');
      });
      it('rejects a missing authoriser, one not joined, and one below the invite level', () => {
        const room = standardRoom(v, { joinRule: rule, powerLevels: { invite: 50 }, members: { [CAROL]: 'join', [BOB]: 'invite' } });
        expectRule(v, room.check(join(room, DAVE)), false, 'join.restrictedAuthoriser');
        expectRule(v, room.check(join(room, DAVE, { content: { join_authorised_via_users_server: BOB }, signers: ['a.example'] })), false, 'join.restrictedAuthoriser');
        expectRule(v, room.check(join(room, DAVE, { content: { join_authorised_via_users_server: CAROL }, signers: ['b.example'] })), false, 'join.restrictedAuthoriser');
        expectRule(v, room.check(join(room, DAVE, { content: { join_authorised_via_users_server: ALICE }, signers: ['a.example'] })), true, 'join.restrictedAllow');
      });
      it('still rejects a banned user first', () => {
        const room = standardRoom(v, { joinRule: rule, members: { [DAVE]: 'ban' } });
        expectRule(v, room.check(join(room, DAVE, { content: { join_authorised_via_users_server: ALICE }, signers: ['a.example'] })), false, 'join.banned');
      });
    });
  }
}

for (const v of versionsWhere((rv) => !rv.restrictedJoins)) {
  describe(`auth rules v${v} §${sec(v, 'join.reject')} join: restricted is not a join rule before v8`, () => {
    it('rejects a join authorised by a member, and ignores the key (no signature rule)', () => {
      const room = standardRoom(v, { joinRule: 'restricted', members: { [BOB]: 'invite' } });
      expectRule(v, room.check(join(room, DAVE, { content: { join_authorised_via_users_server: ALICE } })), false, 'join.reject');
      const pub = standardRoom(v, { joinRule: 'public' });
      expectRule(v, pub.check(join(pub, DAVE, { content: { join_authorised_via_users_server: '@x:nowhere.example' } })), true, 'join.public');
    });
  });
}

for (const v of versionsWhere((rv) => rv.restrictedJoins && !rv.knockRestricted)) {
  describe(`auth rules v${v} §${sec(v, 'join.reject')} join: knock_restricted is not a join rule before v10`, () => {
    it('rejects invited users and authorised joins under knock_restricted', () => {
      const room = standardRoom(v, { joinRule: 'knock_restricted', members: { [BOB]: 'invite' } });
      expectRule(v, room.check(join(room, BOB)), false, 'join.reject');
      expectRule(v, room.check(join(room, DAVE, { content: { join_authorised_via_users_server: ALICE }, signers: ['a.example'] })), false, 'join.reject');
      assert.equal(room.rv.knockRestricted, false);
    });
  });
}
