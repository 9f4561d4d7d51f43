/** Tests of the rules after the member rule: aliases (v1–v5), sender joined, third party invite events, levels, state keys, redactions. */
import { describe, it } from 'node:test';
import {
  ALICE, ALL_VERSIONS, BOB, CAROL, DAVE, expectRule, sec, standardRoom, versionsWhere,
} from './test-support/room-builder.js';

const members = { [BOB]: 'join', [CAROL]: 'join', [DAVE]: 'invite' };

for (const v of versionsWhere((rv) => rv.specialCaseAliasesAuth)) {
  describe(`auth rules v${v} §${sec(v, 'aliases.stateKey')} m.room.aliases without state_key`, () => {
    it('allows m.room.aliases with the sender\'s server as state_key, even from a non-member', () => {
      const room = standardRoom(v, { members });
      expectRule(v, room.check(room.build({ type: 'm.room.aliases', sender: BOB, stateKey: 'a.example', content: { aliases: ['#a:a.example'] } })), true, 'aliases.allow');
      expectRule(v, room.check(room.build({ type: 'm.room.aliases', sender: '@zed:z.example', stateKey: 'z.example', content: {} })), true, 'aliases.allow');
    });
    it('rejects m.room.aliases without a state_key', () => {
      const room = standardRoom(v, { members });
      expectRule(v, room.check(room.build({ type: 'm.room.aliases', sender: ALICE, content: {} })), false, 'aliases.stateKey');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'aliases.domain')} m.room.aliases for another server`, () => {
    it('rejects a state_key other than the sender\'s server, even from the creator', () => {
      const room = standardRoom(v, { members });
      expectRule(v, room.check(room.build({ type: 'm.room.aliases', sender: ALICE, stateKey: 'b.example', content: {} })), false, 'aliases.domain');
      expectRule(v, room.check(room.build({ type: 'm.room.aliases', sender: ALICE, stateKey: '', content: {} })), false, 'aliases.domain');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.specialCaseAliasesAuth)) {
  describe(`auth rules v${v} §${sec(v, 'requiredLevel')} m.room.aliases is an ordinary state event (v6+)`, () => {
    it('allows it from a user with the state level, whatever the state_key', () => {
      const room = standardRoom(v, { members });
      expectRule(v, room.check(room.build({ type: 'm.room.aliases', sender: ALICE, stateKey: 'b.example', content: {} })), true, 'otherwise');
    });
    it('rejects it from a non-member or a member below state_default', () => {
      const room = standardRoom(v, { members });
      expectRule(v, room.check(room.build({ type: 'm.room.aliases', sender: '@zed:z.example', stateKey: 'z.example', content: {} })), false, 'senderJoined');
      expectRule(v, room.check(room.build({ type: 'm.room.aliases', sender: BOB, stateKey: 'a.example', content: {} })), false, 'requiredLevel');
    });
  });
}

for (const v of ALL_VERSIONS) {
  describe(`auth rules v${v} §${sec(v, 'senderJoined')} sender must be joined`, () => {
    it('allows a message from a joined member', () => {
      const room = standardRoom(v, { members });
      expectRule(v, room.check(room.build({ type: 'm.room.message', sender: BOB, content: { body: 'hi' } })), true, 'otherwise');
    });
    it('rejects messages and state from invited, departed and unknown users', () => {
      const room = standardRoom(v, { members: { ...members, [BOB]: 'leave' } });
      for (const sender of [BOB, DAVE, '@zed:a.example']) {
        expectRule(v, room.check(room.build({ type: 'm.room.message', sender, content: {} })), false, 'senderJoined');
      }
      room.member(ALICE, 'leave');
      expectRule(v, room.check(room.build({ type: 'm.room.topic', sender: ALICE, stateKey: '', content: {} })), false, 'senderJoined');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'thirdPartyInviteEvent')} m.room.third_party_invite needs the invite level`, () => {
    it('allows a member at the invite level, whatever events says', () => {
      const room = standardRoom(v, { powerLevels: { invite: 0, events: { 'm.room.third_party_invite': 100 } }, members });
      expectRule(v, room.check(room.build({ type: 'm.room.third_party_invite', sender: BOB, stateKey: 'tok', content: {} })), true, 'thirdPartyInviteEvent');
    });
    it('rejects a member below the invite level', () => {
      const room = standardRoom(v, { powerLevels: { invite: 10, state_default: 0 }, members });
      expectRule(v, room.check(room.build({ type: 'm.room.third_party_invite', sender: BOB, stateKey: 'tok', content: {} })), false, 'thirdPartyInviteEvent');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'requiredLevel')} the event type's required power level`, () => {
    it('allows events at or above the required level (events, state_default, events_default)', () => {
      const room = standardRoom(v, { powerLevels: { events: { 'm.room.topic': 0, 'org.example.alarm': 20 }, users: { ...(v === '12' ? {} : { [ALICE]: 100 }), [CAROL]: 20 } }, members });
      expectRule(v, room.check(room.build({ type: 'm.room.topic', sender: BOB, stateKey: '', content: {} })), true, 'otherwise');
      expectRule(v, room.check(room.build({ type: 'org.example.alarm', sender: CAROL, content: {} })), true, 'otherwise');
      expectRule(v, room.check(room.build({ type: 'm.room.name', sender: ALICE, stateKey: '', content: {} })), true, 'otherwise');
    });
    it('rejects events below it', () => {
      const room = standardRoom(v, { powerLevels: { events_default: 10, events: { 'org.example.alarm': 30 }, users: { ...(v === '12' ? {} : { [ALICE]: 100 }), [CAROL]: 20 } }, members });
      expectRule(v, room.check(room.build({ type: 'm.room.message', sender: BOB, content: {} })), false, 'requiredLevel');
      expectRule(v, room.check(room.build({ type: 'org.example.alarm', sender: CAROL, content: {} })), false, 'requiredLevel');
      expectRule(v, room.check(room.build({ type: 'm.room.name', sender: CAROL, stateKey: '', content: {} })), false, 'requiredLevel');
    });
    it('without m.room.power_levels: messages need 0, state needs 50, the creator has 100 (v12: infinite)', () => {
      const room = standardRoom(v, { powerLevels: null, joinRule: 'public', members: { [BOB]: 'join' } });
      expectRule(v, room.check(room.build({ type: 'm.room.message', sender: BOB, content: {} })), true, 'otherwise');
      expectRule(v, room.check(room.build({ type: 'm.room.topic', sender: BOB, stateKey: '', content: {} })), false, 'requiredLevel');
      expectRule(v, room.check(room.build({ type: 'm.room.topic', sender: ALICE, stateKey: '', content: {} })), true, 'otherwise');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'stateKey')} state_key starting with @ must be the sender`, () => {
    it('allows the sender\'s own user id and other strings as state_key', () => {
      const room = standardRoom(v, { powerLevels: { state_default: 0 }, members });
      for (const stateKey of [BOB, 'x@a.example', '', 'device']) {
        expectRule(v, room.check(room.build({ type: 'org.example.status', sender: BOB, stateKey, content: {} })), true, 'otherwise');
      }
    });
    it('rejects another user id, even from the creator', () => {
      const room = standardRoom(v, { powerLevels: { state_default: 0 }, members });
      expectRule(v, room.check(room.build({ type: 'org.example.status', sender: BOB, stateKey: CAROL, content: {} })), false, 'stateKey');
      expectRule(v, room.check(room.build({ type: 'org.example.status', sender: ALICE, stateKey: `${BOB}_x`, content: {} })), false, 'stateKey');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'otherwise')} otherwise, allow`, () => {
    it('allows an unknown event type from a member', () => {
      const room = standardRoom(v, { members });
      expectRule(v, room.check(room.build({ type: 'org.example.reading', sender: CAROL, content: { t: 21.5 } })), true, 'otherwise');
    });
    it('rejects it from a non-member (control)', () => {
      const room = standardRoom(v, { members });
      expectRule(v, room.check(room.build({ type: 'org.example.reading', sender: DAVE, content: {} })), false, 'senderJoined');
    });
  });
}

for (const v of versionsWhere((rv) => rv.eventIdFormat === 'v1')) {
  describe(`auth rules v${v} §${sec(v, 'redaction.level')} m.room.redaction at the redact level`, () => {
    it('allows a sender at the redact level to redact another server\'s event', () => {
      const room = standardRoom(v, { members });
      const target = room.force({ type: 'm.room.message', sender: CAROL, content: {} });
      expectRule(v, room.check(room.build({ type: 'm.room.redaction', sender: ALICE, content: {}, extra: { redacts: target.event_id } })), true, 'redaction.level');
    });
    it(`allows a sender below it to redact an event from its own server (§${sec(v, 'redaction.domain')})`, () => {
      const room = standardRoom(v, { members });
      const target = room.force({ type: 'm.room.message', sender: BOB, content: {} });
      expectRule(v, room.check(room.build({ type: 'm.room.redaction', sender: BOB, content: {}, extra: { redacts: target.event_id } })), true, 'redaction.domain');
    });
    it(`rejects a sender below it redacting another server's event (§${sec(v, 'redaction.reject')})`, () => {
      const room = standardRoom(v, { members });
      const target = room.force({ type: 'm.room.message', sender: CAROL, content: {} });
      expectRule(v, room.check(room.build({ type: 'm.room.redaction', sender: BOB, content: {}, extra: { redacts: target.event_id } })), false, 'redaction.reject');
      expectRule(v, room.check(room.build({ type: 'm.room.redaction', sender: BOB, content: {} })), false, 'redaction.reject');
    });
  });
}

for (const v of versionsWhere((rv) => rv.eventIdFormat !== 'v1')) {
  describe(`auth rules v${v} §${sec(v, 'requiredLevel')} m.room.redaction is an ordinary event (v3+)`, () => {
    it('allows a member below the redact level to send a redaction of anything', () => {
      const room = standardRoom(v, { members });
      const target = room.force({ type: 'm.room.message', sender: CAROL, content: {} });
      const redacts = room.rv.redactsInContent ? { content: { redacts: target.event_id } } : { content: {}, extra: { redacts: target.event_id } };
      expectRule(v, room.check(room.build({ type: 'm.room.redaction', sender: BOB, ...redacts })), true, 'otherwise');
    });
    it('rejects it when events sets a higher level for m.room.redaction', () => {
      const room = standardRoom(v, { powerLevels: { events: { 'm.room.redaction': 60 } }, members });
      expectRule(v, room.check(room.build({ type: 'm.room.redaction', sender: BOB, content: { redacts: '$x' } })), false, 'requiredLevel');
    });
  });
}
