/** Tests of the m.room.member leave, ban and knock rules, unknown memberships and join_authorised_via_users_server signatures. */
import { describe, it } from 'node:test';
import type { IdentifiedPdu } from './types.js';
import {
  ALICE, ALL_VERSIONS, BOB, CAROL, DAVE, expectRule, sec, standardRoom, versionsWhere, type TestRoom,
} from './test-support/room-builder.js';

function member(room: TestRoom, sender: string, target: string, membership: unknown, extra: Record<string, unknown> = {}): IdentifiedPdu {
  return room.build({ type: 'm.room.member', sender, stateKey: target, content: { membership, ...extra } });
}

/** Power levels with explicit user levels (the creator stays at 100 before v12, infinite in v12). */
function levels(v: string, users: Record<string, number>, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { users: { ...(v === '12' ? {} : { [ALICE]: 100 }), ...users }, ...more };
}

for (const v of ALL_VERSIONS) {
  describe(`auth rules v${v} §${sec(v, 'member.fields')} m.room.member without state_key or membership`, () => {
    it('allows a member event with both', () => {
      const room = standardRoom(v, { joinRule: 'public' });
      expectRule(v, room.check(member(room, BOB, BOB, 'join')), true, 'join.public');
    });
    it('rejects one without state_key, and one without membership', () => {
      const room = standardRoom(v, { joinRule: 'public' });
      expectRule(v, room.check(room.build({ type: 'm.room.member', sender: BOB, content: { membership: 'join' } })), false, 'member.fields');
      expectRule(v, room.check(room.build({ type: 'm.room.member', sender: BOB, stateKey: BOB, content: { displayname: 'b' } })), false, 'member.fields');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'member.unknown')} m.room.member with an unknown membership`, () => {
    it('rejects unknown and non-string memberships', () => {
      const room = standardRoom(v, { joinRule: 'public', members: { [BOB]: 'join' } });
      for (const m of ['foo', 'JOIN', 42, null]) expectRule(v, room.check(member(room, BOB, BOB, m)), false, 'member.unknown');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'leave.self')} leave: sender leaving themselves`, () => {
    it('allows leaving from join and rejecting an invite', () => {
      const room = standardRoom(v, { members: { [BOB]: 'join', [CAROL]: 'invite' } });
      expectRule(v, room.check(member(room, BOB, BOB, 'leave')), true, 'leave.self');
      expectRule(v, room.check(member(room, CAROL, CAROL, 'leave')), true, 'leave.self');
    });
    it('rejects leaving from leave, ban or no membership', () => {
      const room = standardRoom(v, { members: { [BOB]: 'leave', [CAROL]: 'ban' } });
      for (const u of [BOB, CAROL, DAVE]) expectRule(v, room.check(member(room, u, u, 'leave')), false, 'leave.self');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'leave.senderJoined')} leave: kicking needs the sender joined`, () => {
    it('allows a joined moderator to kick', () => {
      const room = standardRoom(v, { members: { [BOB]: 'join' } });
      expectRule(v, room.check(member(room, ALICE, BOB, 'leave')), true, 'leave.kick');
    });
    it('rejects a sender who is not joined, however powerful', () => {
      const room = standardRoom(v, { powerLevels: levels(v, { [CAROL]: 100 }), members: { [BOB]: 'join', [CAROL]: 'leave' } });
      expectRule(v, room.check(member(room, CAROL, BOB, 'leave')), false, 'leave.senderJoined');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'leave.unban')} leave: unbanning needs the ban level`, () => {
    it('allows a sender at the ban and kick levels above the target to unban', () => {
      const room = standardRoom(v, { powerLevels: levels(v, { [CAROL]: 60 }, { ban: 60, kick: 10 }), members: { [CAROL]: 'join', [BOB]: 'ban' } });
      expectRule(v, room.check(member(room, CAROL, BOB, 'leave')), true, 'leave.kick');
    });
    it('rejects a sender below the ban level even at the kick level', () => {
      const room = standardRoom(v, { powerLevels: levels(v, { [CAROL]: 59 }, { ban: 60, kick: 10 }), members: { [CAROL]: 'join', [BOB]: 'ban' } });
      expectRule(v, room.check(member(room, CAROL, BOB, 'leave')), false, 'leave.unban');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'leave.kick')} leave: kick level and the target's level`, () => {
    it('allows a sender at the kick level above the target', () => {
      const room = standardRoom(v, { powerLevels: levels(v, { [CAROL]: 50, [BOB]: 49 }), members: { [CAROL]: 'join', [BOB]: 'join' } });
      expectRule(v, room.check(member(room, CAROL, BOB, 'leave')), true, 'leave.kick');
      expectRule(v, room.check(member(room, CAROL, DAVE, 'leave')), true, 'leave.kick');
    });
    it(`rejects a sender below the kick level, or not above the target (§${sec(v, 'leave.reject')})`, () => {
      const room = standardRoom(v, { powerLevels: levels(v, { [CAROL]: 50, [BOB]: 50, [DAVE]: 49 }, { kick: 50 }), members: { [CAROL]: 'join', [BOB]: 'join', [DAVE]: 'join' } });
      expectRule(v, room.check(member(room, CAROL, BOB, 'leave')), false, 'leave.reject');
      expectRule(v, room.check(member(room, DAVE, BOB, 'leave')), false, 'leave.reject');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'ban.senderJoined')} ban: sender must be joined`, () => {
    it('allows a joined sender with the ban level', () => {
      const room = standardRoom(v, { members: { [BOB]: 'join' } });
      expectRule(v, room.check(member(room, ALICE, BOB, 'ban')), true, 'ban.level');
    });
    it('rejects a sender who is not joined', () => {
      const room = standardRoom(v, { powerLevels: levels(v, { [CAROL]: 100 }), members: { [BOB]: 'join', [CAROL]: 'invite' } });
      expectRule(v, room.check(member(room, CAROL, BOB, 'ban')), false, 'ban.senderJoined');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'ban.level')} ban: ban level and the target's level`, () => {
    it('allows banning a lower user, or a user never in the room', () => {
      const room = standardRoom(v, { powerLevels: levels(v, { [CAROL]: 50, [BOB]: 10 }), members: { [CAROL]: 'join', [BOB]: 'join' } });
      expectRule(v, room.check(member(room, CAROL, BOB, 'ban')), true, 'ban.level');
      expectRule(v, room.check(member(room, CAROL, DAVE, 'ban')), true, 'ban.level');
    });
    it(`rejects a sender below the ban level, or not above the target (§${sec(v, 'ban.reject')})`, () => {
      const room = standardRoom(v, { powerLevels: levels(v, { [CAROL]: 50, [BOB]: 50, [DAVE]: 49 }), members: { [CAROL]: 'join', [BOB]: 'join', [DAVE]: 'join' } });
      expectRule(v, room.check(member(room, CAROL, BOB, 'ban')), false, 'ban.reject');
      expectRule(v, room.check(member(room, DAVE, BOB, 'ban')), false, 'ban.reject');
      expectRule(v, room.check(member(room, BOB, BOB, 'ban')), false, 'ban.reject');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.knock)) {
  describe(`auth rules v${v} §${sec(v, 'member.unknown')} knock is an unknown membership before v7`, () => {
    it('rejects a knock in a knock room, and a leave from knock', () => {
      const room = standardRoom(v, { joinRule: 'knock', members: { [CAROL]: 'knock' } });
      expectRule(v, room.check(member(room, BOB, BOB, 'knock')), false, 'member.unknown');
      expectRule(v, room.check(member(room, CAROL, CAROL, 'leave')), false, 'leave.self');
    });
  });
}

for (const v of versionsWhere((rv) => rv.knock)) {
  describe(`auth rules v${v} §${sec(v, 'leave.self')} leave: retracting a knock (v7+)`, () => {
    it('allows a knocking user to leave, and rejects a banned one', () => {
      const room = standardRoom(v, { joinRule: 'knock', members: { [CAROL]: 'knock', [BOB]: 'ban' } });
      expectRule(v, room.check(member(room, CAROL, CAROL, 'leave')), true, 'leave.self');
      expectRule(v, room.check(member(room, BOB, BOB, 'leave')), false, 'leave.self');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'knock.joinRule')} knock: join rule must be knock${Number(v) >= 10 ? ' or knock_restricted' : ''}`, () => {
    it('allows knocking on a knock room', () => {
      const room = standardRoom(v, { joinRule: 'knock' });
      expectRule(v, room.check(member(room, BOB, BOB, 'knock')), true, 'knock.allow');
    });
    it('rejects knocking on public, invite and restricted rooms, and on rooms without join rules', () => {
      for (const rule of ['public', 'invite', 'restricted', null]) {
        const room = standardRoom(v, { joinRule: rule });
        expectRule(v, room.check(member(room, BOB, BOB, 'knock')), false, 'knock.joinRule');
      }
    });
  });

  describe(`auth rules v${v} §${sec(v, 'knock.notSelf')} knock: sender must match state_key`, () => {
    it('allows knocking for oneself', () => {
      const room = standardRoom(v, { joinRule: 'knock' });
      expectRule(v, room.check(member(room, DAVE, DAVE, 'knock')), true, 'knock.allow');
    });
    it('rejects knocking for someone else', () => {
      const room = standardRoom(v, { joinRule: 'knock' });
      expectRule(v, room.check(member(room, ALICE, DAVE, 'knock')), false, 'knock.notSelf');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'knock.allow')} knock: sender not banned, invited or joined`, () => {
    it('allows a new user, one who left and one knocking again', () => {
      const room = standardRoom(v, { joinRule: 'knock', members: { [BOB]: 'leave', [CAROL]: 'knock' } });
      for (const u of [BOB, CAROL, DAVE]) expectRule(v, room.check(member(room, u, u, 'knock')), true, 'knock.allow');
    });
    it(`rejects a banned, invited or joined user (§${sec(v, 'knock.reject')})`, () => {
      const room = standardRoom(v, { joinRule: 'knock', members: { [BOB]: 'ban', [CAROL]: 'invite', [DAVE]: 'join' } });
      for (const u of [BOB, CAROL, DAVE]) expectRule(v, room.check(member(room, u, u, 'knock')), false, 'knock.reject');
    });
  });
}

for (const v of versionsWhere((rv) => rv.knock)) {
  const allowed = Number(v) >= 10;
  describe(`auth rules v${v} §${sec(v, 'knock.joinRule')} knock: knock_restricted ${allowed ? 'allows knocking (v10+)' : 'is not a knock rule before v10'}`, () => {
    it(`${allowed ? 'allows' : 'rejects'} a knock under knock_restricted`, () => {
      const room = standardRoom(v, { joinRule: 'knock_restricted' });
      expectRule(v, room.check(member(room, BOB, BOB, 'knock')), allowed, allowed ? 'knock.allow' : 'knock.joinRule');
    });
  });
}

for (const v of versionsWhere((rv) => rv.restrictedJoins)) {
  describe(`auth rules v${v} §${sec(v, 'member.authorisedSignature')} join_authorised_via_users_server needs that server's signature`, () => {
    const signed = (room: TestRoom, membership: string, servers: string[], authoriser: unknown = CAROL): IdentifiedPdu => room.build({
      type: 'm.room.member', sender: BOB, stateKey: BOB, content: { membership, join_authorised_via_users_server: authoriser },
      extra: { signatures: Object.fromEntries(servers.map((s) => [s, { 'ed25519:1': 'sig' }])) },
    });
    it('allows an event signed by the authorising server', () => {
      const room = standardRoom(v, { joinRule: 'public', members: { [CAROL]: 'join' } });
      expectRule(v, room.check(signed(room, 'join', ['a.example', 'b.example'])), true, 'join.public');
      expectRule(v, room.check(signed(room, 'join', ['a.example']), { isSignedBy: (_e, s) => s === 'b.example' }), true, 'join.public');
    });
    it('rejects one without that signature, for any membership, or with a non-user authoriser', () => {
      const room = standardRoom(v, { joinRule: 'public', members: { [CAROL]: 'join', [BOB]: 'join' } });
      expectRule(v, room.check(signed(room, 'join', ['a.example'])), false, 'member.authorisedSignature');
      expectRule(v, room.check(signed(room, 'leave', ['a.example'])), false, 'member.authorisedSignature');
      expectRule(v, room.check(signed(room, 'join', ['a.example', 'b.example']), { isSignedBy: () => false }), false, 'member.authorisedSignature');
      expectRule(v, room.check(signed(room, 'join', ['a.example'], 42)), false, 'member.authorisedSignature');
      expectRule(v, room.check(signed(room, 'join', ['a.example'], null)), false, 'member.authorisedSignature');
    });
  });
}
