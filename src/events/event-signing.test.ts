/** Tests of server-server §"Signing Events" and §"Validating hashes and signatures on received events", with the spec's event vectors. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64.js';
import { contentHash, sha256Base64 } from './hashes.js';
import { computeEventId } from './event-id.js';
import {
  createEventSigner, createEventVerifier, requiredSignatureServers, signEvent, verifyEvent, type ServerKeyLookup,
} from './event-signing.js';
import { publicKeyFromSeed } from './signing.js';

const SEED = decodeBase64('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1');
const PUB = publicKeyFromSeed(SEED);
const OTHER_SEED = new Uint8Array(32).fill(7);
const OTHER_PUB = publicKeyFromSeed(OTHER_SEED);

/** Knows `domain`'s key ed25519:1 and `other`'s key ed25519:o. */
const lookup: ServerKeyLookup = (server, keyId) => {
  if (server === 'domain' && keyId === 'ed25519:1') return PUB;
  if (server === 'other' && keyId === 'ed25519:o') return OTHER_PUB;
  return undefined;
};

const MINIMAL = {
  room_id: '!x:domain', sender: '@a:domain', origin: 'domain', origin_server_ts: 1000000, signatures: {}, hashes: {},
  type: 'X', content: {}, prev_events: [], auth_events: [], depth: 3, unsigned: { age_ts: 1000000 },
};
const REDACTABLE = {
  content: { body: 'Here is the message content' }, event_id: '$0:domain', origin: 'domain', origin_server_ts: 1000000,
  type: 'm.room.message', room_id: '!r:domain', sender: '@u:domain', signatures: {}, unsigned: { age_ts: 1000000 },
};

describe('appendices §Cryptographic Test Vectors "Event Signing"', () => {
  it('signs the minimally-sized event exactly as the spec', () => {
    assert.deepEqual(signEvent(MINIMAL, '1', 'domain', 'ed25519:1', SEED), {
      auth_events: [], content: {}, depth: 3,
      hashes: { sha256: '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos' },
      origin: 'domain', origin_server_ts: 1000000, prev_events: [], room_id: '!x:domain', sender: '@a:domain',
      signatures: { domain: { 'ed25519:1': 'KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg' } },
      type: 'X', unsigned: { age_ts: 1000000 },
    });
  });

  it('signs the event containing redactable content exactly as the spec', () => {
    assert.deepEqual(signEvent(REDACTABLE, '1', 'domain', 'ed25519:1', SEED), {
      content: { body: 'Here is the message content' }, event_id: '$0:domain',
      hashes: { sha256: 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g' },
      origin: 'domain', origin_server_ts: 1000000, type: 'm.room.message', room_id: '!r:domain', sender: '@u:domain',
      signatures: { domain: { 'ed25519:1': 'Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA' } },
      unsigned: { age_ts: 1000000 },
    });
  });

  it('the minimal vector is the same in every room version that keeps `origin` (v1–v10)', () => {
    for (const v of ['2', '3', '4', '5', '6', '7', '8', '9', '10']) {
      assert.equal(signEvent(MINIMAL, v, 'domain', 'ed25519:1', SEED).signatures['domain']?.['ed25519:1'],
        'KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg', v);
    }
  });

  it('§Calculating the content hash: contentHash reproduces the vectors', () => {
    assert.equal(contentHash(MINIMAL), '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos');
    assert.equal(contentHash(REDACTABLE, '1'), 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g');
  });

  it('both signed vectors pass verifyEvent', () => {
    // The minimal event has no event_id, so it is a well-formed event of v3+ (where it signs identically), not v1.
    assert.deepEqual(verifyEvent(signEvent(MINIMAL, '1', 'domain', 'ed25519:1', SEED), '3', lookup).ok, true);
    assert.deepEqual(verifyEvent(signEvent(MINIMAL, '1', 'domain', 'ed25519:1', SEED), '1', lookup).ok, false);
    const r = verifyEvent(signEvent(REDACTABLE, '1', 'domain', 'ed25519:1', SEED), '1', lookup);
    assert.deepEqual(r, { ok: true, signatureValid: true, hashValid: true, eventId: '$0:domain' });
  });
});

describe('server-server §Calculating the content hash: unpadded base64 of SHA-256', () => {
  it('sha256Base64 is the unpadded base64 of the digest, for strings (as UTF-8) and bytes', () => {
    for (const input of ['{}', '', '{"body":"Küche: 20.6 °C 🌡"}', 'x'.repeat(1000), Buffer.from([0, 255, 7])]) {
      const want = createHash('sha256').update(input).digest('base64').replace(/=+$/, '');
      assert.equal(sha256Base64(input), want);
      assert.equal(sha256Base64(input).length, 43);
    }
  });
});

describe('server-server §Adding hashes and signatures to outgoing events', () => {
  it('keeps other servers\' signatures and does not modify the input', () => {
    const input = { ...MINIMAL, signatures: { other: { 'ed25519:o': 'x' } } };
    const before = structuredClone(input);
    const signed = signEvent(input, '10', 'domain', 'ed25519:1', SEED);
    assert.deepEqual(input, before);
    assert.equal(signed.signatures['other']?.['ed25519:o'], 'x');
  });
  it('a second server can countersign (e.g. the authorising server of a restricted join)', () => {
    const join = {
      ...MINIMAL, type: 'm.room.member', state_key: '@a:domain',
      content: { membership: 'join', join_authorised_via_users_server: '@mod:other' },
    };
    const once = signEvent(join, '9', 'domain', 'ed25519:1', SEED);
    assert.equal(verifyEvent(once, '9', lookup).signatureValid, false);
    const twice = createEventSigner('other', 'ed25519:o', OTHER_SEED).sign(once, '9');
    assert.deepEqual(verifyEvent(twice, '9', lookup).ok, true);
  });
  it('rejects a non-ed25519 key id', () => {
    assert.throws(() => signEvent(MINIMAL, '10', 'domain', 'x:1', SEED), RangeError);
  });
});

describe('server-server §Validating hashes and signatures on received events', () => {
  const message = signEvent({ ...MINIMAL, type: 'm.room.message', content: { body: 'hello' } }, '10', 'domain', 'ed25519:1', SEED);

  it('tampered content: signature still valid, hash invalid, redacted copy returned', () => {
    const r = verifyEvent({ ...message, content: { body: 'HELLO' } }, '10', lookup);
    assert.equal(r.signatureValid, true);
    assert.equal(r.hashValid, false);
    assert.equal(r.ok, false);
    assert.deepEqual(r.redacted?.content, {});
  });
  it('tampered signature: signatureValid false', () => {
    const sig = decodeBase64(message.signatures['domain']!['ed25519:1']!);
    sig[10] = sig[10]! ^ 0x80;
    const r = verifyEvent({ ...message, signatures: { domain: { 'ed25519:1': encodeBase64(sig) } } }, '10', lookup);
    assert.equal(r.signatureValid, false);
    assert.deepEqual(r.failed, ['domain']);
  });
  it('tampered protected key (origin_server_ts): signature invalid', () => {
    assert.equal(verifyEvent({ ...message, origin_server_ts: 1 }, '10', lookup).signatureValid, false);
  });
  it('missing or undecodable hashes: hashValid false', () => {
    const { hashes: _h, ...noHashes } = message;
    assert.equal(verifyEvent(noHashes, '10', lookup).hashValid, false);
    assert.equal(verifyEvent({ ...message, hashes: { sha256: '***' } }, '10', lookup).hashValid, false);
  });
  it('a redacted copy of a valid event passes the signature check ("whether we have been sent the full event or a redacted copy")', () => {
    const redactedCopy = verifyEvent({ ...message, content: {} }, '10', lookup);
    assert.equal(redactedCopy.signatureValid, true);
    assert.equal(redactedCopy.hashValid, false);
  });
  it('unknown keys are skipped; a signature only from unknown keys fails', () => {
    const extra = { ...message, signatures: { domain: { ...message.signatures['domain'], 'ed25519:unknown': 'AAAA' } } };
    assert.equal(verifyEvent(extra, '10', lookup).ok, true);
    assert.equal(verifyEvent(message, '10', () => undefined).signatureValid, false);
  });
  it('algorithms other than ed25519 are ignored', () => {
    const extra = { ...message, signatures: { domain: { ...message.signatures['domain'], 'curve25519:1': 'AAAA' } } };
    assert.equal(verifyEvent(extra, '10', lookup).ok, true);
  });
  it('a signature from the wrong server does not count for the sender', () => {
    const signed = signEvent({ ...MINIMAL, sender: '@a:other' }, '10', 'domain', 'ed25519:1', SEED);
    assert.deepEqual(verifyEvent(signed, '10', lookup).failed, ['other']);
  });
  it('v6+ strict canonical JSON: a float makes the event fail both checks', () => {
    const bad = { ...message, content: { n: 1.5 } };
    const r = verifyEvent(bad, '10', lookup);
    assert.equal(r.ok, false);
    assert.equal(r.signatureValid, false);
  });
  it('v1–v5 lenient canonical JSON: floats in content sign and verify', () => {
    const floaty = signEvent({ ...MINIMAL, type: 'm.room.power_levels', state_key: '', content: { users: { '@a:domain': 50.57 } } }, '5', 'domain', 'ed25519:1', SEED);
    assert.equal(verifyEvent(floaty, '5', lookup).ok, true);
  });
  it('createEventVerifier gives the same answers as verifyEvent', () => {
    const verifier = createEventVerifier(lookup);
    assert.deepEqual(verifier.verify(message, '10'), verifyEvent(message, '10', lookup));
    assert.equal(verifier.verify({ ...message, depth: 4 }, '10').signatureValid, false);
  });
  it('returns the event id computed from the signed bytes (v3+)', () => {
    for (const v of ['3', '4', '10', '11']) {
      const signed = signEvent(MINIMAL, v, 'domain', 'ed25519:1', SEED);
      assert.equal(verifyEvent(signed, v, lookup).eventId, computeEventId(signed, v), v);
    }
  });
});

describe('rooms/v5 §Signing key validity period', () => {
  const signed = signEvent(MINIMAL, '5', 'domain', 'ed25519:1', SEED);
  const expiring = (validUntilTs: number): ServerKeyLookup => (s, k) => (s === 'domain' && k === 'ed25519:1' ? { key: PUB, validUntilTs } : undefined);

  it('v5+: a key valid until before origin_server_ts is skipped, so the check fails', () => {
    assert.equal(verifyEvent(signed, '5', expiring(999_999)).signatureValid, false);
    assert.equal(verifyEvent(signed, '5', expiring(1_000_000)).signatureValid, true);
  });
  it('v4 and earlier do not enforce valid_until_ts', () => {
    const v4 = signEvent(MINIMAL, '4', 'domain', 'ed25519:1', SEED);
    assert.equal(verifyEvent(v4, '4', expiring(0)).signatureValid, true);
  });
});

describe('server-server §Validating hashes and signatures: which servers must sign', () => {
  it('the sender\'s server', () => {
    assert.deepEqual(requiredSignatureServers({ ...MINIMAL, sender: '@a:example.org:8448' }, '10'), ['example.org:8448']);
  });
  it('v1/v2: also the server of the event id, if it differs', () => {
    assert.deepEqual(requiredSignatureServers({ ...MINIMAL, event_id: '$e:other' }, '2'), ['domain', 'other']);
    assert.deepEqual(requiredSignatureServers({ ...MINIMAL, event_id: '$e:domain' }, '1'), ['domain']);
    assert.deepEqual(requiredSignatureServers({ ...MINIMAL, event_id: '$e:other' }, '3'), ['domain']);
  });
  it('v1 event signed only by the sender\'s server fails when the event id names another server', () => {
    const signed = signEvent({ ...MINIMAL, event_id: '$e:other' }, '1', 'domain', 'ed25519:1', SEED);
    assert.deepEqual(verifyEvent(signed, '1', lookup).failed, ['other']);
  });
  it('an invite from a third-party invite does not need the sender\'s server', () => {
    const invite = { ...MINIMAL, type: 'm.room.member', state_key: '@b:x', content: { membership: 'invite', third_party_invite: { signed: {} } } };
    assert.deepEqual(requiredSignatureServers(invite, '10'), []);
  });
  it('v8+ restricted join: also the server of join_authorised_via_users_server; not before v8', () => {
    const join = { ...MINIMAL, type: 'm.room.member', state_key: '@a:domain', content: { membership: 'join', join_authorised_via_users_server: '@m:other' } };
    assert.deepEqual(requiredSignatureServers(join, '8'), ['domain', 'other']);
    assert.deepEqual(requiredSignatureServers(join, '7'), ['domain']);
  });
  it('a malformed sender makes verification fail rather than throw', () => {
    const r = verifyEvent({ ...MINIMAL, sender: 'nocolon' }, '10', lookup);
    assert.equal(r.ok, false);
    assert.equal(r.signatureValid, false);
  });
});

describe('server-server §Calculating the reference hash: v3+ ignore a locally attached event_id', () => {
  it('signing and verifying in v10 are unaffected by an `event_id` key', () => {
    const signed = signEvent(MINIMAL, '10', 'domain', 'ed25519:1', SEED);
    const id = computeEventId(signed, '10');
    const annotated = { ...signed, event_id: id };
    assert.equal(computeEventId(annotated, '10'), id);
    assert.equal(verifyEvent(annotated, '10', lookup).ok, true);
  });
  it('the reference hash is sha256 of the redacted canonical JSON without signatures', () => {
    const signed = signEvent(REDACTABLE, '3', 'domain', 'ed25519:1', SEED);
    const expected = createHash('sha256')
      .update('{"content":{},"hashes":{"sha256":"eOLUChu2s7hK+sczfU3smYBqpvD3xJNcTqHHNg8cp1o"},"origin":"domain","origin_server_ts":1000000,"room_id":"!r:domain","sender":"@u:domain","type":"m.room.message"}')
      .digest('base64').replace(/=+$/, '');
    assert.equal(computeEventId(signed, '3'), '$' + expected);
  });
});
