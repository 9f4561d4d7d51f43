/** Tests of the m.room.member invite rules, third party invites included (v1 §5.3 … v12 §5.4), in every room version. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authTypesForEvent } from './auth-rules.js';
import { encodeBase64, encodeBase64Url } from './base64.js';
import { createSigner, signJson } from './signing.js';
import type { IdentifiedPdu } from './types.js';
import {
  ALICE, ALL_VERSIONS, BOB, CAROL, DAVE, EVE, expectRule, sec, standardRoom, versionsWhere, type TestRoom,
} from './test-support/room-builder.js';

const ID_SEED = new Uint8Array(32).fill(7);
const OTHER_SEED = new Uint8Array(32).fill(9);
const ID_KEY = encodeBase64(createSigner(ID_SEED).publicKey);

function invite(room: TestRoom, sender: string, target: string, content: Record<string, unknown> = {}): IdentifiedPdu {
  return room.build({ type: 'm.room.member', sender, stateKey: target, content: { membership: 'invite', ...content } });
}

/** A room where ALICE issued a third party invite with token `tok` (public key in `public_key` unless told). */
function tpiRoom(v: string, inviteContent?: Record<string, unknown>, members: Record<string, string> = {}): TestRoom {
  const room = standardRoom(v, { joinRule: 'invite', members: { [BOB]: 'join', ...members } });
  room.force({
    type: 'm.room.third_party_invite', sender: ALICE, stateKey: 'tok',
    content: inviteContent ?? { display_name: 'd...@example.org', key_validity_url: 'https://id.example/isvalid', public_key: ID_KEY },
  });
  return room;
}

function signedFor(mxid: string, seed = ID_SEED, token = 'tok'): Record<string, unknown> {
  return signJson({ mxid, token, sender: ALICE }, 'id.example', 'ed25519:0', seed);
}

for (const v of ALL_VERSIONS) {
  describe(`auth rules v${v} §${sec(v, 'invite.senderJoined')} invite: sender must be joined`, () => {
    it('allows a joined sender', () => {
      const room = standardRoom(v, { members: { [BOB]: 'join' } });
      expectRule(v, room.check(invite(room, BOB, CAROL)), true, 'invite.level');
    });
    it('rejects a sender who left, was invited or never joined', () => {
      const room = standardRoom(v, { members: { [BOB]: 'leave', [DAVE]: 'invite' } });
      expectRule(v, room.check(invite(room, BOB, CAROL)), false, 'invite.senderJoined');
      expectRule(v, room.check(invite(room, DAVE, CAROL)), false, 'invite.senderJoined');
      expectRule(v, room.check(invite(room, EVE, CAROL)), false, 'invite.senderJoined');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'invite.target')} invite: target joined or banned`, () => {
    it('allows inviting a user who left, is invited, or is new', () => {
      const room = standardRoom(v, { members: { [BOB]: 'leave', [CAROL]: 'invite' } });
      for (const target of [BOB, CAROL, DAVE]) expectRule(v, room.check(invite(room, ALICE, target)), true, 'invite.level');
    });
    it('rejects inviting a joined or banned user', () => {
      const room = standardRoom(v, { members: { [BOB]: 'join', [CAROL]: 'ban' } });
      expectRule(v, room.check(invite(room, ALICE, BOB)), false, 'invite.target');
      expectRule(v, room.check(invite(room, ALICE, CAROL)), false, 'invite.target');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'invite.level')} invite: sender's level and the invite level`, () => {
    it('allows a sender at the invite level, and anyone at the default invite level 0', () => {
      const room = standardRoom(v, { powerLevels: { invite: 50, users_default: 0, users: { ...(room0(v)), [BOB]: 50 } }, members: { [BOB]: 'join' } });
      expectRule(v, room.check(invite(room, BOB, CAROL)), true, 'invite.level');
      const open = standardRoom(v, { powerLevels: null, members: { [DAVE]: 'join' } });
      expectRule(v, open.check(invite(open, DAVE, CAROL)), true, 'invite.level');
    });
    it(`rejects a sender below the invite level (§${sec(v, 'invite.reject')})`, () => {
      const room = standardRoom(v, { powerLevels: { invite: 50, users: { ...(room0(v)), [BOB]: 49 } }, members: { [BOB]: 'join' } });
      expectRule(v, room.check(invite(room, BOB, CAROL)), false, 'invite.reject');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'tpi.banned')} invite with third_party_invite: target banned`, () => {
    it('allows a valid third party invite for a user not banned', () => {
      const room = tpiRoom(v);
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { display_name: 'c', signed: signedFor(CAROL) } })), true, 'tpi.signature');
    });
    it('rejects it when the target is banned', () => {
      const room = tpiRoom(v, undefined, { [CAROL]: 'ban' });
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { display_name: 'c', signed: signedFor(CAROL) } })), false, 'tpi.banned');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'tpi.signed')}–${sec(v, 'tpi.mxid')} invite with third_party_invite: signed, mxid and token`, () => {
    it('rejects a third_party_invite without signed, or a signed that is not an object', () => {
      const room = tpiRoom(v);
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { display_name: 'c' } })), false, 'tpi.signed');
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: 'x' } })), false, 'tpi.signed');
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: null })), false, 'tpi.signed');
    });
    it(`rejects a signed without mxid or token (§${sec(v, 'tpi.fields')})`, () => {
      const room = tpiRoom(v);
      const { mxid: _m, ...noMxid } = signedFor(CAROL);
      const { token: _t, ...noToken } = signedFor(CAROL);
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: noMxid } })), false, 'tpi.fields');
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: noToken } })), false, 'tpi.fields');
    });
    it(`rejects an mxid other than state_key (§${sec(v, 'tpi.mxid')})`, () => {
      const room = tpiRoom(v);
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: signedFor(DAVE) } })), false, 'tpi.mxid');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'tpi.token')} invite with third_party_invite: no m.room.third_party_invite for the token`, () => {
    it('rejects an unknown token; the selection picks the token\'s third party invite', () => {
      const room = tpiRoom(v);
      const ev = invite(room, ALICE, CAROL, { third_party_invite: { signed: signedFor(CAROL, ID_SEED, 'other') } });
      expectRule(v, room.check(ev), false, 'tpi.token');
      assert.ok(authTypesForEvent(ev, v).some((t) => t.type === 'm.room.third_party_invite' && t.stateKey === 'other'));
    });
  });

  describe(`auth rules v${v} §${sec(v, 'tpi.sender')} invite with third_party_invite: sender of the m.room.third_party_invite`, () => {
    it('rejects an invite sent by someone else than the third party invite\'s sender', () => {
      const room = tpiRoom(v);
      expectRule(v, room.check(invite(room, BOB, CAROL, { third_party_invite: { signed: signedFor(CAROL) } })), false, 'tpi.sender');
    });
    it('allows the sender of the third party invite even after they left (the rule precedes the membership check)', () => {
      const room = tpiRoom(v);
      room.member(ALICE, 'leave');
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: signedFor(CAROL) } })), true, 'tpi.signature');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'tpi.signature')} invite with third_party_invite: a signature matches a public key`, () => {
    it('allows a signature by a key of public_keys (URL-safe base64 too)', () => {
      const pub = createSigner(ID_SEED).publicKey;
      const room = tpiRoom(v, { public_key: encodeBase64(createSigner(OTHER_SEED).publicKey), public_keys: [{ public_key: encodeBase64Url(pub) }] });
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: signedFor(CAROL) } })), true, 'tpi.signature');
    });
    it(`rejects a signature by another key, a tampered signed and no signatures (§${sec(v, 'tpi.reject')})`, () => {
      const room = tpiRoom(v);
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: signedFor(CAROL, OTHER_SEED) } })), false, 'tpi.reject');
      const tampered = { ...signedFor(CAROL), sender: BOB };
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: tampered } })), false, 'tpi.reject');
      expectRule(v, room.check(invite(room, ALICE, CAROL, { third_party_invite: { signed: { mxid: CAROL, token: 'tok' } } })), false, 'tpi.reject');
    });
    it('uses an injected verifier when given', () => {
      const room = tpiRoom(v);
      const ev = invite(room, ALICE, CAROL, { third_party_invite: { signed: { mxid: CAROL, token: 'tok', signatures: { 'id.example': { 'ed25519:0': 'x' } } } } });
      expectRule(v, room.check(ev, { verifyThirdPartySignature: (_s, server, keyId, key) => server === 'id.example' && keyId === 'ed25519:0' && key === ID_KEY }), true, 'tpi.signature');
      expectRule(v, room.check(ev, { verifyThirdPartySignature: () => false }), false, 'tpi.reject');
    });
  });
}

/** The creator's `users` entry of the default power levels (none in v12, where creators are infinite). */
function room0(v: string): Record<string, number> {
  return v === '12' ? {} : { [ALICE]: 100 };
}

for (const v of versionsWhere((rv) => rv.knock)) {
  describe(`auth rules v${v} §${sec(v, 'invite.target')} invite: a knocking user can be invited (v7+)`, () => {
    it('allows inviting a user whose membership is knock', () => {
      const room = standardRoom(v, { joinRule: 'knock', members: { [CAROL]: 'knock' } });
      expectRule(v, room.check(invite(room, ALICE, CAROL)), true, 'invite.level');
    });
  });
}
