/** Storage contract for RoomStore: rooms, events with group commit, state groups, current state, extremities, txns, aliases, receipts. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistEvent } from '../../src/storage/index.js';
import { txnKey } from '../../src/storage/room-types.js';
import type { ContractContext } from './contract-context.js';

/** Stream orderings must be unique per database, and the store is shared: each test takes its own range. */
let nextSo = 1_000_000;
let nextGroup = 1_000_000;

function ev(roomId: string, id: string, extra: Record<string, unknown> = {}) {
  return {
    event_id: id, room_id: roomId, type: 'm.room.message', sender: '@a:hearth.test', origin_server_ts: 1_700_000_000_000 + nextSo,
    depth: 1, prev_events: [], auth_events: [], content: { body: id }, ...extra,
  } as PersistEvent['event'];
}

function record(e: PersistEvent['event'], overrides: Partial<PersistEvent> = {}): PersistEvent {
  const isState = typeof e.state_key === 'string';
  return {
    event: e, streamOrdering: ++nextSo,
    stateGroup: isState ? { id: ++nextGroup, prevGroup: null, chainLen: 0, delta: [{ type: e.type, stateKey: e.state_key!, eventId: e.event_id }], isNew: true } : null,
    currentState: isState ? [{ type: e.type, stateKey: e.state_key!, eventId: e.event_id }] : [],
    extremities: [e.event_id], ...overrides,
  };
}

export function roomContract(ctx: ContractContext): void {
  describe('RoomStore (rooms and the event graph)', () => {
    it('creates a room and reads it back; publishes it in the directory', async () => {
      const roomId = `!${ctx.unique('r')}:hearth.test`;
      await ctx.store.rooms.createRoom({ roomId, roomVersion: '10', creator: '@a:hearth.test', isPublic: false, createdTs: 5 });
      assert.deepEqual(await ctx.store.rooms.getRoom(roomId), { roomId, roomVersion: '10', creator: '@a:hearth.test', isPublic: false, createdTs: 5 });
      await ctx.store.rooms.setRoomPublic(roomId, true);
      assert.ok((await ctx.store.rooms.listPublicRooms()).includes(roomId));
      assert.equal(await ctx.store.rooms.getRoom(`!${ctx.unique('none')}:x`), undefined);
    });

    it('finds a group of transaction ids in one call, by sender, device, scope and id', async () => {
      const roomId = `!${ctx.unique('t')}:hearth.test`;
      const [alice, bob] = [`@${ctx.unique('alice')}:hearth.test`, `@${ctx.unique('bob')}:hearth.test`];
      const e1 = ev(roomId, `$${ctx.unique('e')}`);
      const e2 = ev(roomId, `$${ctx.unique('e')}`);
      await ctx.store.rooms.persistEvents([
        record(e1, { txn: { userId: alice, deviceId: 'D', txnId: 'x1', scope: 'send' } }),
        record(e2, { txn: { userId: bob, deviceId: 'D', txnId: 'x1', scope: 'send' } }),
      ]);
      const found = await ctx.store.rooms.getTxns('send', [
        { userId: alice, deviceId: 'D', txnId: 'x1' }, { userId: bob, deviceId: 'D', txnId: 'x1' },
        { userId: alice, deviceId: 'E', txnId: 'x1' }, { userId: alice, deviceId: 'D', txnId: 'x2' },
      ]);
      assert.deepEqual([...found].sort(), [[txnKey(alice, 'D', 'x1'), e1.event_id], [txnKey(bob, 'D', 'x1'), e2.event_id]].sort());
      assert.equal((await ctx.store.rooms.getTxns('redact', [{ userId: alice, deviceId: 'D', txnId: 'x1' }])).size, 0, 'another scope');
      const many = Array.from({ length: 130 }, (_, i) => ({ userId: alice, deviceId: 'D', txnId: i === 129 ? 'x1' : `none${i}` }));
      assert.deepEqual([...(await ctx.store.rooms.getTxns('send', many)).values()], [e1.event_id], 'past one statement of 64');
    });

    it('persists a group of events in one call, keeps their order, state, extremities and txn ids', async () => {
      const roomId = `!${ctx.unique('g')}:hearth.test`;
      const member = ev(roomId, `$${ctx.unique('m')}`, { type: 'm.room.member', state_key: '@a:hearth.test', content: { membership: 'join' } });
      const msg1 = ev(roomId, `$${ctx.unique('e')}`);
      const msg2 = ev(roomId, `$${ctx.unique('e')}`);
      const r1 = record(member);
      await ctx.store.rooms.persistEvents([
        r1,
        record(msg1, { stateGroup: { ...r1.stateGroup!, isNew: false }, txn: { userId: '@a:hearth.test', deviceId: 'D', txnId: 't1', scope: 'send' } }),
        record(msg2, { stateGroup: { ...r1.stateGroup!, isNew: false } }),
      ]);
      assert.deepEqual(await ctx.store.rooms.getForwardExtremities(roomId), [msg2.event_id], 'the last event of the group is the extremity');
      assert.deepEqual(await ctx.store.rooms.getCurrentState(roomId), [{ type: 'm.room.member', stateKey: '@a:hearth.test', eventId: member.event_id }]);
      assert.equal(await ctx.store.rooms.getTxn('@a:hearth.test', 'D', 'send', 't1'), msg1.event_id);
      assert.equal(await ctx.store.rooms.getTxn('@a:hearth.test', 'D', 'send', 't2'), undefined);
      const stored = await ctx.store.rooms.getEvent(msg1.event_id);
      assert.deepEqual(stored?.pdu, msg1);
      assert.deepEqual(stored?.txn, { userId: '@a:hearth.test', deviceId: 'D', txnId: 't1' });
      assert.equal(stored?.stateGroup, r1.stateGroup!.id);
      const rooms = await ctx.store.rooms.roomsForUser('@a:hearth.test');
      assert.ok(rooms.some((r) => r.roomId === roomId && r.membership === 'join' && r.eventId === member.event_id));
      const back = await ctx.store.rooms.roomEvents({ roomId, from: Number.MAX_SAFE_INTEGER, to: 0, dir: 'b', limit: 2 });
      assert.deepEqual(back.map((e) => e.pdu.event_id), [msg2.event_id, msg1.event_id]);
      const fwd = await ctx.store.rooms.roomEvents({ roomId, from: 0, to: Number.MAX_SAFE_INTEGER, dir: 'f', limit: 10 });
      assert.deepEqual(fwd.map((e) => e.pdu.event_id), [member.event_id, msg1.event_id, msg2.event_id]);
      const changed = await ctx.store.rooms.roomsChangedBetween([roomId, '!other:x'], fwd[0]!.streamOrdering, fwd[2]!.streamOrdering);
      assert.deepEqual([...changed], [roomId]);
      const many = await ctx.store.rooms.getEvents([msg1.event_id, msg2.event_id, '$missing']);
      assert.deepEqual([...many.keys()].sort(), [msg1.event_id, msg2.event_id].sort());
    });

    it('a failed group writes nothing (one transaction)', async () => {
      const roomId = `!${ctx.unique('f')}:hearth.test`;
      const a = ev(roomId, `$${ctx.unique('e')}`);
      const dup = record(ev(roomId, a.event_id));
      await assert.rejects(ctx.store.rooms.persistEvents([record(a), dup]));
      assert.equal(await ctx.store.rooms.getEvent(a.event_id), undefined);
      assert.deepEqual(await ctx.store.rooms.getForwardExtremities(roomId), []);
    });

    it('stores state groups as deltas and reads them back', async () => {
      const roomId = `!${ctx.unique('s')}:hearth.test`;
      const name = ev(roomId, `$${ctx.unique('n')}`, { type: 'm.room.name', state_key: '', content: { name: 'x' } });
      const r = record(name);
      const child = { id: ++nextGroup, prevGroup: r.stateGroup!.id, chainLen: 1, delta: [{ type: 'm.room.topic', stateKey: '', eventId: '$t' }], isNew: true };
      const topic = ev(roomId, '$t' + ctx.unique('x'), { type: 'm.room.topic', state_key: '', content: { topic: 't' } });
      const topicRecord = record(topic, { stateGroup: child });
      await ctx.store.rooms.persistEvents([r, topicRecord]);
      assert.deepEqual(await ctx.store.rooms.getStateGroup(child.id), { prevGroup: r.stateGroup!.id, chainLen: 1, delta: child.delta });
      const history = await ctx.store.rooms.stateHistory(roomId, 'm.room.name', '');
      assert.deepEqual(history.map((h) => h.eventId), [name.event_id]);
      const ids = await ctx.store.rooms.maxIds();
      assert.ok(ids.streamOrdering >= topicRecord.streamOrdering && ids.stateGroup >= child.id);
    });

    it('indexes relations and marks redactions', async () => {
      const roomId = `!${ctx.unique('rel')}:hearth.test`;
      const root = ev(roomId, `$${ctx.unique('root')}`);
      const reply = ev(roomId, `$${ctx.unique('reply')}`);
      await ctx.store.rooms.persistEvents([record(root), record(reply, { relation: { relType: 'm.thread', relatesTo: root.event_id, threadRoot: root.event_id } })]);
      assert.deepEqual((await ctx.store.rooms.relations(roomId, root.event_id, null)).map((e) => e.pdu.event_id), [reply.event_id]);
      assert.deepEqual(await ctx.store.rooms.relations(roomId, root.event_id, 'm.annotation'), []);
      assert.deepEqual(await ctx.store.rooms.threadRoots(roomId), [root.event_id]);
      await ctx.store.rooms.setRedactedBy(reply.event_id, '$redaction');
      assert.equal((await ctx.store.rooms.getEvent(reply.event_id))?.redactedBy, '$redaction');
      const at = await ctx.store.rooms.eventAtTimestamp(roomId, 0, 'f');
      assert.equal(at?.pdu.event_id, root.event_id);
    });

    it('keeps aliases unique, forgotten rooms and receipts by stream id', async () => {
      const alias = `#${ctx.unique('a')}:hearth.test`;
      assert.equal(await ctx.store.rooms.createAlias(alias, '!r:hearth.test', '@a:hearth.test'), true);
      assert.equal(await ctx.store.rooms.createAlias(alias, '!other:hearth.test', '@b:hearth.test'), false);
      assert.deepEqual(await ctx.store.rooms.getAlias(alias), { roomId: '!r:hearth.test', creator: '@a:hearth.test' });
      assert.ok((await ctx.store.rooms.aliasesForRoom('!r:hearth.test')).includes(alias));
      assert.equal(await ctx.store.rooms.deleteAlias(alias), true);
      assert.equal(await ctx.store.rooms.deleteAlias(alias), false);
      const user = `@${ctx.unique('u')}:hearth.test`;
      await ctx.store.rooms.setForgotten(user, '!r:hearth.test', true);
      assert.deepEqual([...await ctx.store.rooms.forgottenRooms(user)], ['!r:hearth.test']);
      await ctx.store.rooms.setForgotten(user, '!r:hearth.test', false);
      assert.equal((await ctx.store.rooms.forgottenRooms(user)).size, 0);
      const roomId = `!${ctx.unique('rc')}:hearth.test`;
      const base = await ctx.store.rooms.maxReceiptStreamId();
      await ctx.store.rooms.putReceipt({ roomId, userId: user, receiptType: 'm.read', threadId: '', eventId: '$1', ts: 1, streamId: base + 1 });
      await ctx.store.rooms.putReceipt({ roomId, userId: user, receiptType: 'm.read', threadId: '', eventId: '$2', ts: 2, streamId: base + 2 });
      const rows = await ctx.store.rooms.receiptsForRooms([roomId], base);
      assert.deepEqual(rows.map((r) => r.eventId), ['$2'], 'a newer receipt replaces the older one');
      assert.equal(await ctx.store.rooms.maxReceiptStreamId(), base + 2);
      assert.deepEqual((await ctx.store.rooms.userReceipts(roomId, user)).map((r) => r.eventId), ['$2']);
    });
  });
}
