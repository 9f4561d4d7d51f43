/** Unit tests of the signed envelope: an SDK-sealed envelope opens; bad signature, replayed counter and wrong device are refused. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { encodeEnvelope, signingBytes } from '../devices/envelope.js';
import { createSealer, generateDeviceKey } from '../devices/identity.js';
import { EnvelopeRefusal, openEnvelope } from './signed-envelope.js';

const payload = new Uint8Array([0xa1, 0x61, 0x74, 0x15]); // CBOR {"t": 21}
/** The result with its payload as a plain array (cbor-x caches a dataView on buffers it decoded). */
const plain = (r: ReturnType<typeof openEnvelope>) => (r.ok ? { ...r, payload: [...r.payload] } : r);

describe('signed envelope (README "Device SDK": {p, d, c, s}, s over CBOR [d, c, p])', () => {
  it('signingBytes is CBOR [d, c, p] in preferred serialisation, 8-byte counters included', () => {
    assert.deepEqual([...signingBytes('k', 1, new Uint8Array([0xa0]))], [0x83, 0x61, 0x6b, 0x01, 0x41, 0xa0]);
    assert.deepEqual([...signingBytes('k', 2 ** 40, new Uint8Array())].slice(3, 12), [0x1b, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('an envelope sealed by the SDK (@noble/ed25519) opens with node:crypto and returns payload and counter', async () => {
    const key = await generateDeviceKey();
    const sealer = createSealer('kitchen', key.secretKey, 1_700_000_000_000_000);
    const r = openEnvelope(await sealer.seal(payload), { device: 'kitchen', publicKeyB64: key.publicKey, lastCounter: 0 });
    assert.deepEqual(plain(r), { ok: true, payload: [...payload], counter: 1_700_000_000_000_000 });
    const r2 = openEnvelope(await sealer.seal(payload), { device: 'kitchen', publicKeyB64: key.publicKey, lastCounter: 1_700_000_000_000_000 });
    assert.equal(r2.ok && r2.counter, 1_700_000_000_000_001);
  });

  it('refuses a bad signature (a flipped payload byte, or another key)', async () => {
    const key = await generateDeviceKey();
    const other = await generateDeviceKey();
    const bytes = await createSealer('kitchen', key.secretKey, 5).seal(payload);
    const tampered = Uint8Array.from(bytes);
    tampered[4] ^= 0x01; // inside p (after a4 61 70 44)
    assert.deepEqual(openEnvelope(tampered, { device: 'kitchen', publicKeyB64: key.publicKey, lastCounter: 0 }), { ok: false, reason: EnvelopeRefusal.BAD_SIGNATURE });
    assert.deepEqual(openEnvelope(bytes, { device: 'kitchen', publicKeyB64: other.publicKey, lastCounter: 0 }), { ok: false, reason: EnvelopeRefusal.BAD_SIGNATURE });
  });

  it('refuses a replayed counter (equal to or below the last accepted one)', async () => {
    const key = await generateDeviceKey();
    const bytes = await createSealer('kitchen', key.secretKey, 10).seal(payload);
    assert.equal(openEnvelope(bytes, { device: 'kitchen', publicKeyB64: key.publicKey, lastCounter: 9 }).ok, true);
    for (const lastCounter of [10, 11]) {
      assert.deepEqual(openEnvelope(bytes, { device: 'kitchen', publicKeyB64: key.publicKey, lastCounter }), { ok: false, reason: EnvelopeRefusal.REPLAYED_COUNTER });
    }
  });

  it('refuses an envelope for another device, even when correctly signed', async () => {
    const key = await generateDeviceKey();
    const bytes = await createSealer('porch', key.secretKey, 1).seal(payload);
    assert.deepEqual(openEnvelope(bytes, { device: 'kitchen', publicKeyB64: key.publicKey, lastCounter: 0 }), { ok: false, reason: EnvelopeRefusal.WRONG_DEVICE });
  });

  it('refuses unsigned payloads and JSON as not an envelope', async () => {
    const key = await generateDeviceKey();
    for (const bytes of [payload, new TextEncoder().encode('{"t":21}'), new Uint8Array([0xff])]) {
      assert.deepEqual(openEnvelope(bytes, { device: 'kitchen', publicKeyB64: key.publicKey, lastCounter: 0 }), { ok: false, reason: EnvelopeRefusal.NOT_AN_ENVELOPE });
    }
  });

  it('an envelope signed by node:crypto (as firmware would, from the README layout) opens too', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    const s = sign(null, signingBytes('kitchen', 3, payload), privateKey);
    const bytes = encodeEnvelope({ p: payload, d: 'kitchen', c: 3, s });
    assert.deepEqual(plain(openEnvelope(bytes, { device: 'kitchen', publicKeyB64: raw.toString('base64'), lastCounter: 2 })), { ok: true, payload: [...payload], counter: 3 });
  });
});
