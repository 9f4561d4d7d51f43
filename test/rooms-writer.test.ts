/**
 * The room writer's pipeline (DESIGN "One path for every room event"): concurrent sends become one linear,
 * fully signed DAG committed in stream order; a failed commit fails the groups built on it and nothing else.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { verifyEvent } from '../src/events/event-signing.js';
import { decodeBase64 } from '../src/events/base64.js';
import type { StoredEvent } from '../src/storage/index.js';
import { clientCall } from './support/http.js';

let hub: TestHub;
let alice: TestUser;
let roomId: string;

before(async () => {
  hub = await startTestHub();
  alice = await makeUser(hub, 'alice');
  const created = await fetch(`${hub.clientUrl}/_matrix/client/v3/createRoom`, {
    method: 'POST', headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': 'application/json' }, body: '{}',
  });
  roomId = ((await created.json()) as { room_id: string }).room_id;
});
after(async () => { await hub.stop(); });

const send = (i: number, tag: string) => hub.hs.services.rooms.send({
  roomId, sender: alice.userId, type: 'm.room.message', content: { msgtype: 'm.text', body: `${tag} ${i}` },
  txn: { deviceId: alice.deviceId, txnId: `${tag}-${i}` },
});

/** Every stored event of the room, in stream order. */
async function roomEvents(): Promise<StoredEvent[]> {
  return hub.store.rooms.roomEvents({ roomId, from: 0, to: Number.MAX_SAFE_INTEGER, dir: 'f', limit: 100_000 });
}

/** server-server §"Checking for a signature" and §"PDUs": each event points at the one before, depth +1, signed and hashed. */
function assertLinearSignedChain(events: StoredEvent[]): void {
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(decodeBase64(hub.keys.current.publicKey))]), format: 'der', type: 'spki' });
  for (let i = 1; i < events.length; i++) {
    const e = events[i]!.pdu;
    const before = events[i - 1]!.pdu;
    assert.ok(events[i]!.streamOrdering > events[i - 1]!.streamOrdering, 'stream order increases');
    assert.deepEqual(e.prev_events, [before.event_id], `event ${i} points at the event committed before it`);
    assert.equal(e.depth, before.depth + 1);
    const { event_id: _id, ...wire } = e;
    const v = verifyEvent(wire, '10', (server, keyId) => (server === 'localhost' && keyId === hub.keys.current.keyId ? key : undefined));
    assert.ok(v.ok, `event ${i}: ${v.reasons?.join('; ')}`);
  }
}

describe('room writer pipeline: groups prepared while the group before signs and commits', () => {
  it('turns 200 concurrent sends into one linear chain, every event signed, results matching the store', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => send(i, 'burst')));
    const events = await roomEvents();
    assertLinearSignedChain(events);
    const stored = new Map(events.map((e) => [e.pdu.event_id, e.streamOrdering]));
    for (const r of results) assert.equal(stored.get(r.eventId), r.streamOrdering, 'each caller got the id and position that were committed');
    assert.deepEqual(await hub.store.rooms.getForwardExtremities(roomId), [events.at(-1)!.pdu.event_id], 'one forward extremity');
    // client-server §"Transaction identifiers": a retry returns the first event.
    assert.equal((await send(7, 'burst')).eventId, results[7]!.eventId);
  });

  it('fails a group whose commit fails and the group built on it, then carries on from the committed state', async () => {
    const rooms = hub.store.rooms;
    const original = rooms.persistEvents.bind(rooms);
    let calls = 0;
    rooms.persistEvents = async (ps) => {
      // The second commit fails slowly, so the next group is built on its events meanwhile.
      if (++calls === 2) { await new Promise((r) => setTimeout(r, 30)); throw new Error('disk full (injected)'); }
      return original(ps);
    };
    const pending: Array<Promise<boolean>> = [];
    let outcomes: boolean[];
    try {
      for (let wave = 0; wave < 12; wave++) {
        for (let i = 0; i < 10; i++) pending.push(send(wave * 10 + i, 'fail').then(() => true, () => false));
        await new Promise((r) => setTimeout(r, 5));
      }
      outcomes = await Promise.all(pending);
    } finally {
      rooms.persistEvents = original;
    }
    const failed = outcomes.filter((ok) => !ok).length;
    assert.ok(failed >= 20, `the failed group and the group built on it were refused (${failed})`);
    assert.ok(failed < 120, 'groups committed before the failure kept their events');
    // Retrying the failed transactions succeeds and the DAG stays one linear, signed chain.
    const retried = await Promise.all(outcomes.map((ok, i) => (ok ? undefined : send(i, 'fail'))));
    assert.equal(retried.filter(Boolean).length, failed);
    const events = await roomEvents();
    assertLinearSignedChain(events);
    const bodies = events.map((e) => (e.pdu.content as { body?: string }).body).filter((b) => b?.startsWith('fail '));
    assert.equal(new Set(bodies).size, 120, 'every send is in the room exactly once');
    assert.equal(bodies.length, 120);
  });
});

describe('room writer: the stored JSON of an event is the PDU the writer built', () => {
  // The writer stores the canonical JSON its content hash covered, with `hashes`, `signatures` and the members that
  // encoding leaves out (v3+ `event_id`, `unsigned`, a v12 create event's `room_id`) appended.
  for (const version of ['1', '10', '12']) {
    it(`room version ${version}: every event read back from the store equals the one built, unsigned included`, async () => {
      const call = (method: string, path: string, body?: unknown) => clientCall(hub.clientUrl, alice.token, method, path, body);
      const { room_id: id } = await call('POST', '/createRoom', { room_version: version, name: 'first' });
      await call('PUT', `/rooms/${encodeURIComponent(id)}/state/m.room.name/`, { name: 'second' });
      await call('PUT', `/rooms/${encodeURIComponent(id)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'a "quoted" \\ body ✓' });
      const stored = await hub.store.rooms.roomEvents({ roomId: id, from: 0, to: Number.MAX_SAFE_INTEGER, dir: 'f', limit: 1000 });
      assert.ok(stored.length >= 6);
      const renamed = stored.filter((e) => e.pdu.type === 'm.room.name').at(-1)!;
      assert.equal((renamed.pdu.unsigned as { prev_content?: { name?: string } } | undefined)?.prev_content?.name, 'first', 'unsigned is stored');
      for (const e of stored) {
        const built = await hub.hs.services.reader.getEvent(e.pdu.event_id);
        assert.ok(built, `${e.pdu.type} is in the writer's cache`);
        assert.deepEqual(e.pdu, built.pdu, `${e.pdu.type}: stored JSON equals the built PDU`);
        assert.equal(typeof e.pdu.event_id, 'string');
        assert.equal(e.pdu.room_id, id);
      }
    });
  }
});
