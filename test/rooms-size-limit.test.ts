/** client-server §"Size limits": the complete event in the federation format, signatures included, as canonical JSON, at most 65,536 bytes. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientFetch } from './support/http.js';
import { canonicalJson } from '../src/events/canonical-json.js';

let hub: TestHub;
let alice: TestUser;

before(async () => {
  hub = await startTestHub();
  alice = await makeUser(hub, 'alice');
});
after(async () => { await hub.stop(); });

const call = (method: string, path: string, body?: unknown) => clientFetch(hub.clientUrl, alice.token, method, path, body);

/** The stored event as it goes over federation (room v3+: no event_id), as canonical JSON bytes. */
async function federationBytes(eventId: string): Promise<number> {
  const e = await hub.store.rooms.getEvent(eventId);
  assert.ok(e, 'stored');
  const { event_id: _id, unsigned: _u, ...pdu } = e.pdu as Record<string, unknown>;
  return Buffer.byteLength(canonicalJson(pdu));
}

describe('client-server §"Size limits": 65,536 bytes of canonical JSON, signatures included', () => {
  it('accepts an event of exactly 65,536 bytes and refuses one byte more with 413 M_TOO_LARGE', async () => {
    const created = await call('POST', '/createRoom', {});
    const enc = encodeURIComponent(created.body.room_id);
    let n = 0;
    const send = (body: string) => call('PUT', `/rooms/${enc}/send/m.room.message/t${n++}`, { msgtype: 'm.text', body });

    // A probe gives the bytes around the body; the body is ASCII, so each character is one byte.
    const probe = await send('x');
    assert.equal(probe.status, 200);
    const overhead = (await federationBytes(probe.body.event_id)) - 1;
    // Timestamps and depth may gain a digit between sends; leave a little slack below and check the result exactly.
    const fits = await send('x'.repeat(65_536 - overhead - 4));
    assert.equal(fits.status, 200, JSON.stringify(fits.body));
    const size = await federationBytes(fits.body.event_id);
    assert.ok(size <= 65_536 && size >= 65_530, `stored size ${size}`);

    const over = await send('x'.repeat(65_536 - overhead + 8));
    assert.equal(over.status, 413);
    assert.equal(over.body.errcode, 'M_TOO_LARGE');
  });
});
