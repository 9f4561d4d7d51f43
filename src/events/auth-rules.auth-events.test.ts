/** Tests of the auth rules on auth_events (rule 2; v12 rules 2–3) and the m.federate rule, in every room version. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authEventMap, checkAuth, checkAuthEventList } from './auth-rules.js';
import { stateMapKey } from './state-map.js';
import type { IdentifiedPdu, Pdu } from './types.js';
import {
  ALL_VERSIONS, BOB, CAROL, createRoom, expectRule, sec, standardRoom, versionsWhere, type TestRoom,
} from './test-support/room-builder.js';

function setup(v: string): { room: TestRoom; msg: IdentifiedPdu } {
  const room = standardRoom(v, { joinRule: 'public', members: { [BOB]: 'join', [CAROL]: 'join' } });
  const msg = room.build({ type: 'm.room.message', sender: BOB, content: { body: 'hi' } });
  return { room, msg };
}

const ref = (room: TestRoom, id: string): string | [string, Record<string, string>] => (room.rv.referencesAsPairs ? [id, { sha256: 'A' }] : id);

for (const v of ALL_VERSIONS) {
  describe(`auth rules v${v} §${sec(v, 'authEvents.duplicate')} duplicate auth events`, () => {
    it('allows an auth event list without duplicates', () => {
      const { room, msg } = setup(v);
      assert.deepEqual(checkAuthEventList(msg, room.authList(msg), v), { allowed: true });
      expectRule(v, room.check(msg, { authEventList: room.authList(msg) }), true, 'otherwise');
    });
    it('rejects two entries for the same type and state_key', () => {
      const { room, msg } = setup(v);
      const oldPl = room.state.get(stateMapKey('m.room.power_levels', ''))!;
      const newPl = room.force({ type: 'm.room.power_levels', sender: room.create.sender, stateKey: '', content: oldPl.content });
      const list = [...room.authList(msg), newPl];
      expectRule(v, checkAuthEventList(msg, list, v), false, 'authEvents.duplicate');
      expectRule(v, room.check(msg, { authEventList: list }), false, 'authEvents.duplicate');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'authEvents.unexpected')} auth events not from the auth events selection`, () => {
    it('allows an extra state entry the event does not cite (state resolution passes partial state)', () => {
      const { room, msg } = setup(v);
      const name = room.force({ type: 'm.room.name', sender: room.create.sender, stateKey: '', content: { name: 'x' } });
      const auth = room.authFor(msg).set(stateMapKey('m.room.name', ''), name);
      expectRule(v, checkAuth(msg, auth, v), true, 'otherwise');
    });
    it('rejects a cited m.room.name (list and map forms)', () => {
      const { room } = setup(v);
      const name = room.force({ type: 'm.room.name', sender: room.create.sender, stateKey: '', content: { name: 'x' } });
      const msg = room.build({ type: 'm.room.message', sender: BOB, content: {} });
      msg.auth_events.push(ref(room, name.event_id));
      expectRule(v, checkAuthEventList(msg, room.authList(msg), v), false, 'authEvents.unexpected');
      const auth = room.authFor(msg).set(stateMapKey('m.room.name', ''), name);
      expectRule(v, checkAuth(msg, auth, v), false, 'authEvents.unexpected');
    });
    it("rejects a cited membership of someone else for a message", () => {
      const { room, msg } = setup(v);
      const carol = room.state.get(stateMapKey('m.room.member', CAROL))!;
      msg.auth_events.push(ref(room, carol.event_id));
      expectRule(v, checkAuthEventList(msg, room.authList(msg), v), false, 'authEvents.unexpected');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'authEvents.rejected')} rejected auth events`, () => {
    it('allows auth events that were accepted', () => {
      const { room, msg } = setup(v);
      expectRule(v, room.check(msg, { isRejected: () => false, authEventList: room.authList(msg) }), true, 'otherwise');
    });
    it('rejects when a cited auth event was rejected', () => {
      const { room, msg } = setup(v);
      const pl = room.state.get(stateMapKey('m.room.power_levels', ''))!;
      const isRejected = (id: string): boolean => id === pl.event_id;
      expectRule(v, room.check(msg, { isRejected }), false, 'authEvents.rejected');
      expectRule(v, checkAuthEventList(msg, room.authList(msg), v, { isRejected }), false, 'authEvents.rejected');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'authEvents.roomId')} auth events from another room`, () => {
    it('allows auth events of the same room', () => {
      const { room, msg } = setup(v);
      assert.ok([...room.authFor(msg).values()].some((e) => e.type === 'm.room.power_levels'));
      expectRule(v, room.check(msg), true, 'otherwise');
    });
    it('rejects an auth event whose room_id differs', () => {
      const { room, msg } = setup(v);
      const auth = room.authFor(msg);
      const key = stateMapKey('m.room.power_levels', '');
      const foreign = { ...auth.get(key)!, room_id: '!other:a.example' };
      auth.set(key, foreign);
      expectRule(v, checkAuth(msg, auth, v), false, 'authEvents.roomId');
      const list = room.authList(msg).map((e) => (e.type === 'm.room.power_levels' ? foreign : e));
      expectRule(v, checkAuthEventList(msg, list, v), false, 'authEvents.roomId');
    });
  });

  describe(`auth rules v${v} §${sec(v, 'federate')} m.federate false`, () => {
    const roomWith = (federate: unknown): TestRoom => {
      const room = standardRoom(v, { joinRule: 'public', createContent: { 'm.federate': federate }, members: { [BOB]: 'join', [CAROL]: 'join' } });
      return room;
    };
    it('allows events from the creator\'s server, and from any server when m.federate is not false', () => {
      expectRule(v, roomWith(false).check(roomWith(false).build({ type: 'm.room.message', sender: BOB })), true, 'otherwise');
      const open = roomWith(true);
      expectRule(v, open.check(open.build({ type: 'm.room.message', sender: CAROL })), true, 'otherwise');
    });
    it('rejects events (joins included) from another server when m.federate is false', () => {
      const room = roomWith(false);
      expectRule(v, room.check(room.build({ type: 'm.room.message', sender: CAROL })), false, 'federate');
      const join = room.build({ type: 'm.room.member', sender: '@zed:z.example', stateKey: '@zed:z.example', content: { membership: 'join' } });
      expectRule(v, room.check(join), false, 'federate');
    });
  });
}

for (const v of versionsWhere((rv) => !rv.roomIdFromCreateEvent)) {
  describe(`auth rules v${v} §${sec(v, 'authEvents.noCreate')} no m.room.create among the auth events`, () => {
    it('allows auth events with the create event', () => {
      const { room, msg } = setup(v);
      assert.ok(room.authFor(msg).has(stateMapKey('m.room.create', '')));
      expectRule(v, room.check(msg), true, 'otherwise');
    });
    it('rejects auth events without it (map and list forms)', () => {
      const { room, msg } = setup(v);
      const auth = room.authFor(msg);
      auth.delete(stateMapKey('m.room.create', ''));
      expectRule(v, checkAuth(msg, auth, v), false, 'authEvents.noCreate');
      expectRule(v, checkAuthEventList(msg, [...auth.values()], v), false, 'authEvents.noCreate');
    });
  });
}

describe(`auth rules v12 §${sec('12', 'roomIdFromCreate')} room_id is the create event's id (MSC4291)`, () => {
  it('allows an event whose room_id is the create event id with !', () => {
    const { room, msg } = setup('12');
    assert.equal(msg.room_id, `!${room.create.event_id.slice(1)}`);
    expectRule('12', room.check(msg), true, 'otherwise');
  });
  it('rejects another room_id, a missing create event and a rejected create event', () => {
    const { room, msg } = setup('12');
    expectRule('12', room.check({ ...msg, room_id: '!other' }), false, 'roomIdFromCreate');
    const auth = room.authFor(msg);
    auth.delete(stateMapKey('m.room.create', ''));
    expectRule('12', checkAuth(msg, auth, '12'), false, 'roomIdFromCreate');
    expectRule('12', room.check(msg, { isRejected: (id) => id === room.create.event_id }), false, 'roomIdFromCreate');
  });
});

describe(`auth rules v12 §${sec('12', 'authEvents.unexpected')} m.room.create must not be selected`, () => {
  it('allows auth_events without the create event', () => {
    const { room, msg } = setup('12');
    assert.equal(room.authList(msg).some((e) => e.type === 'm.room.create'), false);
    assert.deepEqual(checkAuthEventList(msg, room.authList(msg), '12'), { allowed: true });
  });
  it('rejects auth_events citing the create event', () => {
    const { room, msg } = setup('12');
    msg.auth_events.push(room.create.event_id);
    expectRule('12', room.check(msg), false, 'authEvents.unexpected');
    expectRule('12', checkAuthEventList(msg, room.authList(msg), '12'), false, 'authEvents.unexpected');
  });
  it('ignores a create event the caller added to the list without the event citing it', () => {
    const { room, msg } = setup('12');
    const list = [room.create, ...room.authList(msg)];
    assert.deepEqual(checkAuthEventList(msg, list, '12'), { allowed: true });
    expectRule('12', room.check(msg, { authEventList: list }), true, 'otherwise');
  });
  it('v11 requires it instead', () => {
    const { room, msg } = setup('11');
    const withoutCreate = room.authList(msg).filter((e) => e.type !== 'm.room.create');
    expectRule('11', checkAuthEventList(msg, withoutCreate, '11'), false, 'authEvents.noCreate');
  });
});

describe('auth rules: authEventMap builds the map checkAuth takes', () => {
  it('keys state events by type and state key and skips message events', () => {
    const room = createRoom('10');
    const msg: Pdu = { ...room.create, type: 'm.room.message', state_key: undefined };
    const map = authEventMap([room.create, msg]);
    assert.deepEqual([...map.keys()], [stateMapKey('m.room.create', '')]);
  });
});
