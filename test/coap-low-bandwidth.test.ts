/** MSC3079 low-bandwidth Client-Server API end to end: a node-coap client with integer keys and path enums, an HTTP client beside it. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder } from 'cbor-x';
import { encodeCbor } from '../src/coap/cbor-keys.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { call, register } from './support/accounts.js';
import { coapAgent, coapObserve, coapRequest, type CoapRequestOptions } from './support/coap.js';

let hub: TestHub;
let port: number;
let alice: { access_token: string; user_id: string };
let roomId: string;
let carolToken: string;
let nextBatch: string;
const carol = coapAgent();

const coap = (o: CoapRequestOptions) => coapRequest(carol.agent, port, o);
/** Map keys of a raw CBOR reply, to see which keys went as integers. */
const rawKeys = (payload: Buffer) => [...(new Decoder({ useRecords: false, mapsAsObjects: false }).decode(payload) as Map<unknown, unknown>).keys()];

async function messagesAsAlice(): Promise<Array<{ sender: string; type: string; content: Record<string, unknown>; event_id: string }>> {
  const r = await call(hub, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=20`, undefined, alice.access_token);
  assert.equal(r.status, 200);
  return r.body.chunk;
}

before(async () => {
  hub = await startTestHub({ coapPort: 0, coapBind: '127.0.0.1', registration: 'open' });
  port = hub.hs.coap()!.port;
  alice = await register(hub, 'alice', 'alice-password-1');
  await register(hub, 'carol', 'carol-password-1');
  roomId = (await call(hub, 'POST', '/_matrix/client/v3/createRoom', { preset: 'public_chat', name: 'Hall' }, alice.access_token)).body.room_id;
});

after(async () => {
  carol.close();
  await hub.stop();
});

describe('MSC3079 "Versioning": /versions over CoAP', () => {
  it('/0 answers 2.05 with org.matrix.msc3079.low_bandwidth: both v1 tables, no dtls (plain CoAP only)', async () => {
    const r = await coap({ path: ['0'] });
    assert.equal(r.code, '2.05');
    assert.equal(r.format, 60);
    assert.deepEqual(r.body['org.matrix.msc3079.low_bandwidth'], { cbor_enum_version: 1, coap_enum_version: 1 });
    assert.ok(r.body.versions.includes('v1.1'));
    const http = await call(hub, 'GET', '/_matrix/client/versions');
    assert.deepEqual(http.body['org.matrix.msc3079.low_bandwidth'], r.body['org.matrix.msc3079.low_bandwidth']);
  });
});

describe('MSC3079 login, join, send and sync with path enums and integer keys', () => {
  it('/1 logs in with an integer-keyed CBOR body, and the reply uses integer keys', async () => {
    const body = { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'carol' }, password: 'carol-password-1' };
    assert.deepEqual(rawKeys(encodeCbor(body)), [2, 65, 69], 'type, identifier, password go as 2, 65, 69');
    const r = await coap({ method: 'POST', path: ['1'], body });
    assert.equal(r.code, '2.05', JSON.stringify(r.body));
    assert.equal(r.body.user_id, '@carol:localhost');
    assert.ok(rawKeys(r.payload).includes(73), 'access_token is key 73');
    assert.ok(rawKeys(r.payload).includes(71), 'device_id is key 71');
    carolToken = r.body.access_token;
  });

  it('/L/{roomId} joins; the token (option 256) is sent once and then sticks to this client endpoint', async () => {
    const r = await coap({ method: 'POST', path: ['L', roomId], token: carolToken, body: {} });
    assert.equal(r.code, '2.05', JSON.stringify(r.body));
    assert.equal(r.body.room_id, roomId);
    const members = await call(hub, 'GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/joined_members`, undefined, alice.access_token);
    assert.ok('@carol:localhost' in members.body.joined);
  });

  it('/9/{roomId}/{type}/{txnId} sends without option 256, and an HTTP client sees the message', async () => {
    const r = await coap({ method: 'PUT', path: ['9', roomId, 'm.room.message', 'c1'], body: { msgtype: 'm.text', body: 'hello from CoAP' } });
    assert.equal(r.code, '2.05', JSON.stringify(r.body));
    const seen = (await messagesAsAlice()).find((e) => e.event_id === r.body.event_id);
    assert.equal(seen?.sender, '@carol:localhost');
    assert.deepEqual(seen?.content, { msgtype: 'm.text', body: 'hello from CoAP' });
    const again = await coap({ method: 'PUT', path: ['9', roomId, 'm.room.message', 'c1'], body: { msgtype: 'm.text', body: 'hello from CoAP' } });
    assert.equal(again.body.event_id, r.body.event_id, 'the same txnId is the same event');
  });

  it('/7 syncs: the joined room with the message, and next_batch (key 19)', async () => {
    const r = await coap({ path: ['7'] });
    assert.equal(r.code, '2.05');
    assert.ok(r.payload.length > 1024, 'large enough to come back block-wise (RFC 7959 Block2)');
    const timeline = r.body.rooms.join[roomId].timeline.events as Array<{ content: { body?: string } }>;
    assert.ok(timeline.some((e) => e.content.body === 'hello from CoAP'));
    assert.ok(rawKeys(r.payload).includes(19));
    nextBatch = r.body.next_batch;
  });

  it('/7 with Observe pushes each new sync response (RFC 7641), each one acknowledged before the next', async () => {
    const ob = coapObserve(carol.agent, port, { path: ['7'], query: { since: nextBatch } });
    try {
      const first = await ob.next();
      assert.equal(first.code, '2.05');
      assert.equal(typeof first.body.next_batch, 'string');
      for (const text of ['one', 'two']) {
        await call(hub, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${text}`, { msgtype: 'm.text', body: text }, alice.access_token);
        const pushed = await ob.next();
        assert.equal(pushed.code, '2.05');
        const events = pushed.body.rooms.join[roomId].timeline.events as Array<{ sender: string; content: { body: string } }>;
        assert.deepEqual(events.map((e) => [e.sender, e.content.body]), [[alice.user_id, text]]);
      }
    } finally {
      ob.close();
    }
  });

  it('an Observe notification larger than a block goes block-wise, and the blocks are the pushed sync', async () => {
    const ob = coapObserve(carol.agent, port, { path: ['7'] }); // no since: the whole initial sync
    try {
      const first = await ob.next();
      assert.ok(first.payload.length > 1024);
      assert.ok(first.body.rooms.join[roomId]);
      await call(hub, 'PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/big`, { msgtype: 'm.text', body: 'x'.repeat(1500) }, alice.access_token);
      const pushed = await ob.next();
      assert.equal(pushed.body.rooms.join[roomId].timeline.events[0].content.body.length, 1500);
    } finally {
      ob.close();
    }
  });
});

describe('MSC3079 full paths, formats and tokens', () => {
  it('serves every /_matrix/client endpoint by its full path too, r0 and v3 alike', async () => {
    for (const v of ['v3', 'r0']) {
      const r = await coap({ path: ['_matrix', 'client', v, 'account', 'whoami'] });
      assert.equal(r.code, '2.05');
      assert.equal(r.body.user_id, '@carol:localhost');
    }
  });

  it('answers JSON (Content-Format 50) with JSON, unless Accept asks for CBOR', async () => {
    const json = await coap({ path: ['_matrix', 'client', 'v3', 'account', 'whoami'], format: 50, method: 'GET' });
    assert.equal(json.format, 60, 'a bodiless GET gets CBOR');
    const put = await coap({ method: 'PUT', path: ['9', roomId, 'm.room.message', 'j1'], format: 50, body: { msgtype: 'm.text', body: 'json' } });
    assert.equal(put.format, 50);
    assert.match(put.payload.toString(), /^\{"event_id":"\$/);
    const asked = await coap({ method: 'PUT', path: ['9', roomId, 'm.room.message', 'j2'], format: 50, accept: 60, body: { msgtype: 'm.text', body: 'json' } });
    assert.equal(asked.format, 60);
  });

  it('option 257 = 0 asks for plain string keys (sticky like the token)', async () => {
    const other = coapAgent();
    try {
      const r = await coapRequest(other.agent, port, { path: ['0'], options: { 257: Buffer.alloc(0) } });
      assert.ok(rawKeys(r.payload).includes('versions'));
      const again = await coapRequest(other.agent, port, { path: ['0'] });
      assert.ok(rawKeys(again.payload).includes('versions'));
    } finally { other.close(); }
  });

  it('another client endpoint has no token until it sends one, with or without "Bearer "', async () => {
    const other = coapAgent();
    try {
      const none = await coapRequest(other.agent, port, { path: ['_matrix', 'client', 'v3', 'account', 'whoami'] });
      assert.equal(none.code, '4.01');
      assert.equal(none.body.errcode, 'M_MISSING_TOKEN');
      const bearer = await coapRequest(other.agent, port, { path: ['_matrix', 'client', 'v3', 'account', 'whoami'], token: `Bearer ${alice.access_token}` });
      assert.equal(bearer.body.user_id, alice.user_id);
      const wrong = await coapRequest(other.agent, port, { path: ['_matrix', 'client', 'v3', 'account', 'whoami'], token: 'nope' });
      assert.equal(wrong.code, '4.01');
      assert.equal(wrong.body.errcode, 'M_UNKNOWN_TOKEN');
    } finally { other.close(); }
  });
});

describe('MSC3079 errors as CoAP codes (the reference proxy mapping)', () => {
  it('an unknown endpoint is 4.04 M_UNRECOGNIZED (key 102), an unknown enum 4.04', async () => {
    const r = await coap({ path: ['_matrix', 'client', 'v3', 'nope'] });
    assert.equal(r.code, '4.04');
    assert.equal(r.body.errcode, 'M_UNRECOGNIZED');
    assert.ok(rawKeys(r.payload).includes(102));
    assert.equal((await coap({ path: ['~'] })).code, '4.04');
  });

  it('a body that is not CBOR is 4.00 M_NOT_JSON; bad JSON too', async () => {
    const r = await coap({ method: 'PUT', path: ['9', roomId, 'm.room.message', 'b1'], body: Buffer.from([0xff, 0x00]) });
    assert.equal(r.code, '4.00');
    assert.equal(r.body.errcode, 'M_NOT_JSON');
    const j = await coap({ method: 'PUT', path: ['9', roomId, 'm.room.message', 'b2'], format: 50, body: Buffer.from('{"x":') });
    assert.equal(j.code, '4.00');
  });

  it('a request the API refuses keeps its status: 403 M_FORBIDDEN is 4.03, a wrong method 4.05', async () => {
    const forbidden = await coap({ method: 'PUT', path: ['_matrix', 'client', 'v3', 'rooms', roomId, 'state', 'm.room.name'], body: { name: 'mine' } });
    assert.equal(forbidden.code, '4.03');
    assert.equal(forbidden.body.errcode, 'M_FORBIDDEN');
    assert.equal((await coap({ method: 'DELETE', path: ['7'] })).code, '4.05');
  });
});
