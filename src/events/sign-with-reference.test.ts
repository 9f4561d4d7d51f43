/** signEventWithReference gives the same signature, hashes and event id as signEvent + computeEventId (server-server §"Signing Events", rooms §"Event IDs"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createEventSigner, signEventWithReference } from './event-signing.js';
import { computeEventId } from './event-id.js';
import { encodeBase64, encodeBase64Url } from './base64.js';

describe('signEventWithReference (one encoding for signature and reference hash)', () => {
  const signer = createEventSigner('hub.test', 'ed25519:a', randomBytes(32));
  for (const version of ['1', '3', '4', '6', '10', '11', '12']) {
    it(`matches signEvent and computeEventId in room version ${version}`, () => {
      const event = {
        type: 'm.room.member', sender: '@a:hub.test', room_id: '!r:hub.test', state_key: '@a:hub.test', depth: 3, origin_server_ts: 1,
        content: { membership: 'join', displayname: 'Ä', extra: { nested: [1, 'two'] } }, prev_events: [], auth_events: [],
        ...(version === '1' ? { event_id: '$x:hub.test' } : {}), unsigned: { age: 5 },
      };
      const a = signer.sign(event, version);
      const b = signEventWithReference(event, version, signer);
      assert.deepEqual(b.signed, a);
      const id = computeEventId(a, version);
      if (version === '1') assert.equal(id, '$x:hub.test');
      else assert.equal(id, '$' + (version === '3' ? encodeBase64(b.referenceHash) : encodeBase64Url(b.referenceHash)));
    });
  }
});
