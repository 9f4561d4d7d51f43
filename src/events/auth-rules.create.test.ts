/** Tests of auth rule 1 (m.room.create) in every room version, the rule numbering, and malformed input. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkAuth, ruleNumber } from './auth-rules.js';
import { getRoomVersion, resolveRoomVersion } from './room-versions.js';
import type { Pdu } from './types.js';
import { ALICE, ALL_VERSIONS, createRoom, expectRule, sec, versionsWhere } from './test-support/room-builder.js';

/** A valid create event of the version, with overrides. */
function createEvent(v: string, over: Partial<Pdu> = {}, content: Record<string, unknown> = {}): Pdu {
  const base = createRoom(v).create;
  return { ...base, ...over, content: { ...base.content, ...content } };
}

describe('auth rules: rule numbering per room version', () => {
  const cases: Array<[string, Parameters<typeof ruleNumber>[1], string]> = [
    ['1', 'redaction.domain', '11.2'], ['1', 'join.banned', '5.2.3'], ['3', 'otherwise', '11'],
    ['6', 'join.banned', '4.2.3'], ['6', 'pl.mapNew', '9.5.1'], ['7', 'knock.allow', '4.6.3'],
    ['8', 'join.restrictedAuthoriser', '4.3.5.2'], ['8', 'member.authorisedSignature', '4.2'],
    ['10', 'pl.users', '9.3'], ['10', 'pl.usersNew', '9.9.1'], ['11', 'create.allow', '1.4'],
    ['12', 'roomIdFromCreate', '2'], ['12', 'authEvents.roomId', '3.5'], ['12', 'pl.creators', '10.4'],
    ['12', 'tpi.signature', '5.4.1.7'], ['12', 'create.additionalCreators', '1.4'], ['1', 'aliases.domain', '4.2'],
  ];
  for (const [v, key, expected] of cases) {
    it(`v${v} ${key} is §${expected}`, () => assert.equal(ruleNumber(resolveRoomVersion(v), key), expected));
  }
  it('a rule absent from a version has no number', () => {
    assert.throws(() => ruleNumber(resolveRoomVersion('6'), 'aliases.domain'));
    assert.throws(() => ruleNumber(resolveRoomVersion('3'), 'redaction.level'));
    assert.throws(() => ruleNumber(resolveRoomVersion('6'), 'knock.allow'));
  });
});

describe('auth rules: unknown room version and malformed events', () => {
  it('rejects an unknown room version', () => {
    const r = checkAuth(createEvent('10'), new Map(), '99');
    assert.equal(r.allowed, false);
    assert.match(r.reason!, /unknown room version/);
  });
  it('rejects an event without a sender', () => {
    const r = checkAuth({ ...createEvent('10'), sender: undefined } as unknown as Pdu, new Map(), '10');
    assert.equal(r.allowed, false);
  });
});

for (const v of ALL_VERSIONS) {
  describe(`auth rules v${v} §${sec(v, 'create.prevEvents')} m.room.create with prev_events`, () => {
    it('allows a create event without prev_events', () => {
      expectRule(v, checkAuth(createEvent(v), new Map(), v), true, 'create.allow');
    });
    it('rejects a create event with prev_events', () => {
      const prev = getRoomVersion(v)!.referencesAsPairs ? [['$x:a.example', { sha256: 'A' }] as [string, Record<string, string>]] : ['$x'];
      expectRule(v, checkAuth(createEvent(v, { prev_events: prev }), new Map(), v), false, 'create.prevEvents');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'create.roomVersion')} m.room.create room_version`, () => {
    it('allows a missing room_version and every known one', () => {
      const { room_version: _, ...content } = createEvent(v).content;
      expectRule(v, checkAuth({ ...createEvent(v), content }, new Map(), v), true, 'create.allow');
      for (const known of ALL_VERSIONS) {
        expectRule(v, checkAuth(createEvent(v, {}, { room_version: known }), new Map(), v), true, 'create.allow');
      }
    });
    it('rejects an unknown room_version, or one that is not a string', () => {
      expectRule(v, checkAuth(createEvent(v, {}, { room_version: '13' }), new Map(), v), false, 'create.roomVersion');
      expectRule(v, checkAuth(createEvent(v, {}, { room_version: 10 }), new Map(), v), false, 'create.roomVersion');
      expectRule(v, checkAuth(createEvent(v, {}, { room_version: 'org.example.custom' }), new Map(), v), false, 'create.roomVersion');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.roomIdFromCreateEvent)) {
  describe(`auth rules v${v} §${sec(v, 'create.roomId')} m.room.create room_id domain`, () => {
    it('allows a room_id on the sender\'s server', () => {
      expectRule(v, checkAuth(createEvent(v, { room_id: '!abc:a.example' }), new Map(), v), true, 'create.allow');
    });
    it('rejects a room_id on another server, or none', () => {
      expectRule(v, checkAuth(createEvent(v, { room_id: '!abc:b.example' }), new Map(), v), false, 'create.roomId');
      const { room_id: _, ...noRoom } = createEvent(v);
      expectRule(v, checkAuth(noRoom as Pdu, new Map(), v), false, 'create.roomId');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.implicitRoomCreator)) {
  describe(`auth rules v${v} §${sec(v, 'create.creator')} m.room.create creator`, () => {
    it('allows content with creator', () => {
      expectRule(v, checkAuth(createEvent(v, {}, { creator: ALICE }), new Map(), v), true, 'create.allow');
    });
    it('rejects content without creator', () => {
      const { creator: _, ...content } = createEvent(v).content;
      expectRule(v, checkAuth({ ...createEvent(v), content }, new Map(), v), false, 'create.creator');
    });
  });
}

for (const v of versionsWhere((rv) => rv.implicitRoomCreator)) {
  describe(`auth rules v${v} §${sec(v, 'create.allow')} m.room.create without creator (MSC2175)`, () => {
    it('allows content without creator', () => {
      const ev = createEvent(v);
      assert.equal('creator' in ev.content, false);
      expectRule(v, checkAuth(ev, new Map(), v), true, 'create.allow');
    });
  });
}

describe(`auth rules v12 §${sec('12', 'create.roomId')} m.room.create has a room_id (MSC4291)`, () => {
  it('allows a create event without room_id', () => {
    expectRule('12', checkAuth(createEvent('12'), new Map(), '12'), true, 'create.allow');
  });
  it('rejects a create event with a room_id, even a matching one', () => {
    const ev = createEvent('12');
    expectRule('12', checkAuth({ ...ev, room_id: `!${ev.event_id!.slice(1)}` }, new Map(), '12'), false, 'create.roomId');
    expectRule('12', checkAuth({ ...ev, room_id: '!room:a.example' }, new Map(), '12'), false, 'create.roomId');
  });
});

describe(`auth rules v12 §${sec('12', 'create.additionalCreators')} m.room.create additional_creators (MSC4289)`, () => {
  it('allows an array of valid user IDs, including an empty one', () => {
    for (const extra of [[], ['@bob:a.example'], ['@bob:a.example', '@carol:b.example:8448', '@x:[::1]']]) {
      expectRule('12', checkAuth(createEvent('12', {}, { additional_creators: extra }), new Map(), '12'), true, 'create.allow');
    }
  });
  it('rejects anything else', () => {
    for (const extra of ['@bob:a.example', [42], ['bob'], ['@bob'], ['@bob:'], ['@bob:bad host'], null, {}]) {
      expectRule('12', checkAuth(createEvent('12', {}, { additional_creators: extra }), new Map(), '12'), false, 'create.additionalCreators');
    }
  });
  it('v11 does not validate additional_creators', () => {
    expectRule('11', checkAuth(createEvent('11', {}, { additional_creators: 'junk' }), new Map(), '11'), true, 'create.allow');
  });
});
