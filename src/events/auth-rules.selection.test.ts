/** Tests of the server-server auth events selection and of picking auth events from a state. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authTypesForEvent, pickAuthEvents } from './auth-rules.js';
import { stateMapKey } from './state-map.js';
import type { Pdu } from './types.js';
import { ALICE, ALL_VERSIONS, BOB, CAROL, DAVE, standardRoom, versionsWhere } from './test-support/room-builder.js';

const ev = (type: string, sender: string, content: Record<string, unknown> = {}, stateKey?: string): Pdu => ({
  type, sender, content, state_key: stateKey, room_id: '!r:a.example', prev_events: [], auth_events: [], depth: 1, origin_server_ts: 0,
});
const keys = (e: Pdu, v: string): string[] => authTypesForEvent(e, v).map((t) => `${t.type}|${t.stateKey}`);

for (const v of ALL_VERSIONS) {
  const create = v === '12' ? [] : ['m.room.create|'];
  describe(`server-server §auth events selection, room v${v}`, () => {
    it('m.room.create has no auth events', () => {
      assert.deepEqual(keys(ev('m.room.create', ALICE, {}, ''), v), []);
    });
    it(`a message: ${v === '12' ? 'no create event (MSC4291), ' : 'the create event, '}power levels and the sender's membership`, () => {
      assert.deepEqual(keys(ev('m.room.message', BOB), v), [...create, 'm.room.power_levels|', `m.room.member|${BOB}`]);
    });
    it('a membership: the target, and join rules for join, invite and knock only', () => {
      for (const membership of ['join', 'invite', 'knock']) {
        assert.deepEqual(keys(ev('m.room.member', ALICE, { membership }, BOB), v),
          [...create, 'm.room.power_levels|', `m.room.member|${ALICE}`, `m.room.member|${BOB}`, 'm.room.join_rules|']);
      }
      for (const membership of ['leave', 'ban']) {
        assert.deepEqual(keys(ev('m.room.member', ALICE, { membership }, BOB), v),
          [...create, 'm.room.power_levels|', `m.room.member|${ALICE}`, `m.room.member|${BOB}`]);
      }
    });
    it('a self-join lists the membership once', () => {
      assert.deepEqual(keys(ev('m.room.member', BOB, { membership: 'join' }, BOB), v),
        [...create, 'm.room.power_levels|', `m.room.member|${BOB}`, 'm.room.join_rules|']);
    });
    it('a third party invite adds the m.room.third_party_invite of signed.token, and only for invites', () => {
      const tpi = { third_party_invite: { signed: { mxid: CAROL, token: 'tok' } } };
      assert.ok(keys(ev('m.room.member', ALICE, { membership: 'invite', ...tpi }, CAROL), v).includes('m.room.third_party_invite|tok'));
      assert.ok(!keys(ev('m.room.member', ALICE, { membership: 'join', ...tpi }, ALICE), v).some((k) => k.startsWith('m.room.third_party_invite')));
      assert.ok(!keys(ev('m.room.member', ALICE, { membership: 'invite', third_party_invite: { signed: {} } }, CAROL), v).some((k) => k.startsWith('m.room.third_party_invite')));
    });
  });
}

for (const v of ALL_VERSIONS) {
  const restricted = versionsWhere((rv) => rv.restrictedJoins).includes(v);
  describe(`server-server §auth events selection, room v${v}: join_authorised_via_users_server ${restricted ? 'selected (v8+)' : 'ignored (before v8)'}`, () => {
    it(`${restricted ? 'adds' : 'does not add'} the authorising user's membership for a join`, () => {
      const k = keys(ev('m.room.member', BOB, { membership: 'join', join_authorised_via_users_server: DAVE }, BOB), v);
      assert.equal(k.includes(`m.room.member|${DAVE}`), restricted);
    });
    it('never for other memberships', () => {
      const k = keys(ev('m.room.member', BOB, { membership: 'leave', join_authorised_via_users_server: DAVE }, BOB), v);
      assert.equal(k.includes(`m.room.member|${DAVE}`), false);
    });
  });
}

describe('pickAuthEvents: the auth events of an event from a state', () => {
  it('takes the selected entries present in the state (v10)', () => {
    const room = standardRoom('10', { joinRule: 'public', members: { [BOB]: 'join', [CAROL]: 'join' } });
    room.force({ type: 'm.room.name', sender: ALICE, stateKey: '', content: { name: 'n' } });
    const picked = pickAuthEvents(ev('m.room.member', BOB, { membership: 'join' }, BOB), room.state, '10');
    assert.deepEqual([...picked.keys()].sort(), [
      stateMapKey('m.room.create', ''), stateMapKey('m.room.join_rules', ''), stateMapKey('m.room.member', BOB), stateMapKey('m.room.power_levels', ''),
    ].sort());
  });
  it('adds the create event in v12 although auth_events must not cite it, and accepts a lookup function', () => {
    const room = standardRoom('12', { members: { [BOB]: 'join' } });
    const picked = pickAuthEvents(ev('m.room.message', BOB), (k) => room.state.get(k), '12');
    assert.equal(picked.get(stateMapKey('m.room.create', ''))?.event_id, room.create.event_id);
    assert.equal(authTypesForEvent(ev('m.room.message', BOB), '12').some((t) => t.type === 'm.room.create'), false);
  });
});
