/** MSC3079 request and reply translation: which paths are the client API, reply encodings, 429 → Max-Age, sticky sessions. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { httpPathOf, replyEncoding, replyOptions } from './low-bandwidth.js';
import { createSessions } from './sessions.js';

describe('MSC3079 "HTTP -> CoAP" request paths', () => {
  it('takes full /_matrix/client paths (segments percent-encoded) and enums; leaves anything else to the next middleware', () => {
    assert.equal(httpPathOf(['_matrix', 'client', 'v3', 'rooms', '!r:h', 'state']), '/_matrix/client/v3/rooms/!r%3Ah/state');
    assert.equal(httpPathOf(['7']), '/_matrix/client/v3/sync');
    assert.equal(httpPathOf(['_matrix', 'federation', 'v1', 'version']), undefined);
    assert.equal(httpPathOf(['_matrix', 'media', 'v3', 'config']), undefined, 'media is not covered by MSC3079');
    // `/d` is the devices enum; `/d/NAME/<item>` reaches the device endpoints first, earlier in the middleware list.
    assert.equal(httpPathOf(['d']), '/_matrix/client/v3/devices');
  });
});

describe('MSC3079 "JSON -> CBOR" reply encoding', () => {
  it('answers in CBOR unless the request was JSON or Accept says JSON; Accept wins', () => {
    assert.deepEqual(replyEncoding({ accept: undefined, contentFormat: undefined }, {}), { cbor: true, integerKeys: true });
    assert.deepEqual(replyEncoding({ accept: undefined, contentFormat: 50 }, {}), { cbor: false, integerKeys: true });
    assert.deepEqual(replyEncoding({ accept: 60, contentFormat: 50 }, {}), { cbor: true, integerKeys: true });
    assert.deepEqual(replyEncoding({ accept: 50, contentFormat: 60 }, {}), { cbor: false, integerKeys: true });
  });

  it('uses the v1 integer keys unless the endpoint asked for version 0 (option 257)', () => {
    assert.equal(replyEncoding({ accept: undefined, contentFormat: 60 }, { cborVersion: 0 }).integerKeys, false);
    assert.equal(replyEncoding({ accept: undefined, contentFormat: 60 }, { cborVersion: 1 }).integerKeys, true);
  });

  it('turns a 429 into Max-Age seconds (retry_after_ms rounded up, else Retry-After)', () => {
    assert.deepEqual(replyOptions({ status: 429, headers: {}, body: { retry_after_ms: 1500 }, error: true }), { 'Max-Age': 2 });
    assert.deepEqual(replyOptions({ status: 429, headers: { 'Retry-After': '7' }, body: {}, error: true }), { 'Max-Age': 7 });
    assert.deepEqual(replyOptions({ status: 400, headers: {}, body: {}, error: true }), {});
  });
});

describe('MSC3079 "Access Tokens": option 256 sticky per client endpoint', () => {
  it('remembers the token per endpoint, forgets it after idleMs and beyond maxEndpoints', () => {
    let t = 0;
    const s = createSessions({ maxEndpoints: 2, idleMs: 1000, now: () => t });
    s.touch('a:1').token = 'A';
    assert.equal(s.touch('a:1').token, 'A');
    assert.equal(s.touch('a:2').token, undefined, 'another port is another endpoint');
    t = 999;
    assert.equal(s.touch('a:1').token, 'A');
    t = 2100;
    assert.equal(s.touch('a:1').token, undefined, 'idle too long');
    s.touch('a:1').token = 'B';
    s.touch('b:1');
    s.touch('c:1');
    assert.equal(s.size(), 2);
    assert.equal(s.touch('a:1').token, undefined, 'least recently seen endpoint was dropped');
  });
});
