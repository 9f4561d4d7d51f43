/** Storage contract for DirectoryStore: current room state read across rooms, for the room and user directories. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/storage/index.js';
import type { ContractContext } from './contract-context.js';

/** Persists a state event as current state (a minimal PDU: the directory reads only type, state key and content). */
async function putState(seq: { ordering: number }, store: Store, roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string> {
  if (seq.ordering === 0) seq.ordering = (await store.rooms.maxIds()).streamOrdering;
  const ordering = ++seq.ordering;
  const eventId = `$dir${ordering}_${Math.random().toString(36).slice(2)}`;
  await store.rooms.persistEvent({
    event: {
      event_id: eventId, room_id: roomId, type, state_key: stateKey, sender: '@a:hearth.test', content,
      depth: ordering, origin_server_ts: 1_700_000_000_000, prev_events: [], auth_events: [], hashes: { sha256: '' }, signatures: {},
    } as never,
    streamOrdering: ordering, stateGroup: null, currentState: [{ type, stateKey, eventId }], extremities: [eventId],
  });
  return eventId;
}

export function directoryContract(ctx: ContractContext): void {
  const seq = { ordering: 0 };
  describe('DirectoryStore (spec §"User directory", §"Published room directory")', () => {
    it('roomsWithState returns the current content of (type, "") in every room that has it', async () => {
      const open = `!${ctx.unique('open')}:hearth.test`;
      const closed = `!${ctx.unique('closed')}:hearth.test`;
      await putState(seq, ctx.store, open, 'm.room.join_rules', '', { join_rule: 'invite' });
      await putState(seq, ctx.store, open, 'm.room.join_rules', '', { join_rule: 'public' });
      await putState(seq, ctx.store, closed, 'm.room.join_rules', '', { join_rule: 'invite' });
      await putState(seq, ctx.store, closed, 'org.example', 'k', { join_rule: 'public' });
      const rows = (await ctx.store.directory.roomsWithState('m.room.join_rules')).filter((r) => r.roomId === open || r.roomId === closed);
      assert.deepEqual(rows.sort((a, b) => a.roomId.localeCompare(b.roomId)), [
        { roomId: closed, content: { join_rule: 'invite' } }, { roomId: open, content: { join_rule: 'public' } },
      ].sort((a, b) => a.roomId.localeCompare(b.roomId)));
    });

    it('joinedMembers returns only joined members of the given rooms, with their member content', async () => {
      const r1 = `!${ctx.unique('r1')}:hearth.test`;
      const r2 = `!${ctx.unique('r2')}:hearth.test`;
      const r3 = `!${ctx.unique('r3')}:hearth.test`;
      await putState(seq, ctx.store, r1, 'm.room.member', '@a:hearth.test', { membership: 'join', displayname: 'A' });
      await putState(seq, ctx.store, r1, 'm.room.member', '@b:hearth.test', { membership: 'invite' });
      await putState(seq, ctx.store, r2, 'm.room.member', '@c:hearth.test', { membership: 'join' });
      await putState(seq, ctx.store, r2, 'm.room.member', '@c:hearth.test', { membership: 'leave' });
      await putState(seq, ctx.store, r3, 'm.room.member', '@d:hearth.test', { membership: 'join' });
      const rows = await ctx.store.directory.joinedMembers([r1, r2]);
      assert.deepEqual(rows, [{ roomId: r1, userId: '@a:hearth.test', content: { membership: 'join', displayname: 'A' } }]);
      assert.deepEqual(await ctx.store.directory.joinedMembers([]), []);
    });

    it('a redacted member event keeps only its membership', async () => {
      const room = `!${ctx.unique('red')}:hearth.test`;
      const id = await putState(seq, ctx.store, room, 'm.room.member', '@e:hearth.test', { membership: 'join', displayname: 'Secret' });
      await ctx.store.rooms.setRedactedBy(id, '$redaction');
      assert.deepEqual(await ctx.store.directory.joinedMembers([room]), [{ roomId: room, userId: '@e:hearth.test', content: { membership: 'join' } }]);
    });
  });
}
