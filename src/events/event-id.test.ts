/** Tests of event id formats (rooms/v1, v3, v4 §"Event IDs") and v12 room ids (appendices §"Room IDs"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { computeEventId, computeRoomIdV12, roomIdForCreateEvent } from './event-id.js';
import { referenceHash, referenceHashBytes } from './hashes.js';
import { encodeBase64Url } from './base64.js';

const EVENT = {
  room_id: '!x:domain', sender: '@a:domain', origin: 'domain', origin_server_ts: 1000000, type: 'X', content: { body: 'dropped' },
  prev_events: [], auth_events: [], depth: 3, hashes: { sha256: '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos' },
  signatures: { domain: { 'ed25519:1': 'sig' } }, unsigned: { age_ts: 1 },
};
/** The redacted canonical JSON of EVENT without signatures, written out by hand. */
const REDACTED_JSON =
  '{"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"}';
const sha = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

describe('server-server §Calculating the reference hash for an event', () => {
  it('is sha256 over the redacted event without signatures and unsigned', () => {
    assert.deepEqual(referenceHashBytes(EVENT, '4'), sha(REDACTED_JSON));
    assert.equal(referenceHash(EVENT, '4'), sha(REDACTED_JSON).toString('base64').replace(/=+$/, ''));
  });
  it('does not depend on signatures, unsigned or redactable content', () => {
    const variant = { ...EVENT, signatures: {}, unsigned: { age: 5 }, content: { other: 1 } };
    assert.equal(referenceHash(variant, '10'), referenceHash(EVENT, '10'));
  });
  it('depends on the room version\'s redaction algorithm (v11 drops `origin`)', () => {
    assert.notEqual(referenceHash(EVENT, '11'), referenceHash(EVENT, '10'));
  });
});

describe('rooms/v1 §Event IDs: the event carries its id', () => {
  it('returns event_id for v1 and v2', () => {
    assert.equal(computeEventId({ ...EVENT, event_id: '$abc:domain' }, '1'), '$abc:domain');
    assert.equal(computeEventId({ ...EVENT, event_id: '$abc:domain' }, '2'), '$abc:domain');
  });
  it('throws when a v1 event has no event_id', () => {
    assert.throws(() => computeEventId(EVENT, '1'), TypeError);
  });
});

describe('rooms/v3 §Event IDs and rooms/v4 §Event IDs', () => {
  // Vary depth until the hash contains a character where the two alphabets differ.
  const event = (() => {
    for (let depth = 1; ; depth++) {
      const e = { ...EVENT, depth };
      if (/[+/]/.test(referenceHash(e, '3'))) return e;
    }
  })();

  it('v3: `$` + reference hash in standard unpadded base64', () => {
    const id = computeEventId(event, '3');
    assert.equal(id, '$' + referenceHash(event, '3'));
    assert.match(id, /^\$[A-Za-z0-9+/]{43}$/);
    assert.match(id, /[+/]/);
  });
  it('v4+: `$` + reference hash in URL-safe unpadded base64', () => {
    for (const v of ['4', '5', '6', '7', '8', '9', '10', '11', '12']) {
      const id = computeEventId(event, v);
      assert.equal(id, '$' + encodeBase64Url(referenceHashBytes(event, v)), v);
      assert.match(id, /^\$[A-Za-z0-9\-_]{43}$/, v);
    }
    assert.equal(computeEventId(event, '4'), computeEventId(event, '3').replaceAll('+', '-').replaceAll('/', '_'));
  });
  it('v3+: an `event_id` key on the event does not change its id', () => {
    assert.equal(computeEventId({ ...event, event_id: '$whatever' }, '10'), computeEventId(event, '10'));
  });
});

describe('rooms/v12 §Event format / appendices §Room IDs: room id = `!` + create event reference hash', () => {
  const create = {
    sender: '@a:domain', origin_server_ts: 1000000, type: 'm.room.create', state_key: '',
    content: { room_version: '12', additional_creators: ['@b:other'] },
    prev_events: [], auth_events: [], depth: 1, hashes: { sha256: 'h' }, signatures: {},
  };
  const json = '{"auth_events":[],"content":{"additional_creators":["@b:other"],"room_version":"12"},"depth":1,"hashes":{"sha256":"h"},"origin_server_ts":1000000,"prev_events":[],"sender":"@a:domain","state_key":"","type":"m.room.create"}';

  it('is the create event id with `!` instead of `$`', () => {
    const roomId = computeRoomIdV12(create);
    assert.equal(roomId, '!' + sha(json).toString('base64url'));
    assert.equal(roomId, '!' + computeEventId(create, '12').slice(1));
    assert.equal(roomIdForCreateEvent(create, '12'), roomId);
  });
  it('before v12 the room id is the create event\'s own room_id', () => {
    assert.equal(roomIdForCreateEvent({ ...create, room_id: '!old:domain' }, '11'), '!old:domain');
    assert.throws(() => roomIdForCreateEvent(create, '11'), TypeError);
  });
});
