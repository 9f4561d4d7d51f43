/** Tests of appendices §"Signing JSON" / §"Checking for a Signature" / §"Cryptographic Test Vectors" (JSON Signing). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import { decodeBase64, encodeBase64 } from './base64.js';
import { canonicalJson } from './canonical-json.js';
import {
  checkEntitySignatures, createSigner, createVerifyKeyCache, ed25519PublicKey, publicKeyFromSeed, signedBytes,
  signJson, verifyEd25519, verifySignedJson,
} from './signing.js';

// §"Signing Key": the seed, server name and key id every test vector uses.
const SEED = decodeBase64('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1');
const SERVER = 'domain';
const KEY_ID = 'ed25519:1';

describe('appendices §Cryptographic Test Vectors "JSON Signing"', () => {
  it('signs the empty object exactly as the spec', () => {
    assert.deepEqual(signJson({}, SERVER, KEY_ID, SEED), {
      signatures: { domain: { 'ed25519:1': 'K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ' } },
    });
  });

  it('signs {"one":1,"two":"Two"} exactly as the spec', () => {
    assert.deepEqual(signJson({ one: 1, two: 'Two' }, SERVER, KEY_ID, SEED), {
      one: 1,
      signatures: { domain: { 'ed25519:1': 'KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw' } },
      two: 'Two',
    });
  });

  it('the vectors verify with the public key of the seed', () => {
    const signed = signJson({ one: 1, two: 'Two' }, SERVER, KEY_ID, SEED);
    assert.equal(verifySignedJson(signed, SERVER, KEY_ID, publicKeyFromSeed(SEED)), true);
  });
});

describe('appendices §Signing Details', () => {
  it('excludes `unsigned` and existing `signatures` from what is signed, then restores them', () => {
    const input = { a: 1, unsigned: { age_ts: 5 }, signatures: { other: { 'ed25519:x': 'abc' } } };
    const signed = signJson(input, SERVER, KEY_ID, SEED);
    assert.deepEqual(signed.unsigned, { age_ts: 5 });
    assert.equal(signed.signatures['other']?.['ed25519:x'], 'abc');
    // The signature equals the one over {a:1} alone.
    assert.equal(signed.signatures['domain']?.['ed25519:1'], signJson({ a: 1 }, SERVER, KEY_ID, SEED).signatures['domain']?.['ed25519:1']);
    // Changing unsigned keeps the signature valid; changing a signed key breaks it.
    const pub = publicKeyFromSeed(SEED);
    assert.equal(verifySignedJson({ ...signed, unsigned: { age_ts: 9 } }, SERVER, KEY_ID, pub), true);
    assert.equal(verifySignedJson({ ...signed, a: 2 }, SERVER, KEY_ID, pub), false);
  });

  it('does not modify its input', () => {
    const input = { a: 1 };
    signJson(input, SERVER, KEY_ID, SEED);
    assert.deepEqual(input, { a: 1 });
  });

  it('rejects a non-ed25519 signing key identifier', () => {
    assert.throws(() => signJson({}, SERVER, 'curve25519:1', SEED), RangeError);
  });
});

describe('appendices §Checking for a Signature', () => {
  const pub = publicKeyFromSeed(SEED);
  const signed = signJson({ x: 'y' }, SERVER, KEY_ID, SEED);
  const bytes = signedBytes(signed);

  it('1. fails when the entity has no entry in `signatures`', () => {
    assert.equal(checkEntitySignatures(bytes, signed.signatures, 'other', () => pub).ok, false);
    assert.equal(verifySignedJson(signed, 'other', KEY_ID, pub), false);
  });
  it('2. ignores algorithms it does not understand; none left fails', () => {
    const sigs = { domain: { 'rsa:1': 'abcd' } };
    assert.equal(checkEntitySignatures(bytes, sigs, SERVER, () => pub).ok, false);
    const mixed = { domain: { 'rsa:1': 'abcd', ...signed.signatures['domain'] } };
    assert.equal(checkEntitySignatures(bytes, mixed, SERVER, () => pub).ok, true);
  });
  it('3. fails when no verification key can be found', () => {
    assert.equal(checkEntitySignatures(bytes, signed.signatures, SERVER, () => undefined).ok, false);
  });
  it('4. fails when the signature is not valid base64', () => {
    const sigs = { domain: { [KEY_ID]: '!!!not base64' } };
    assert.equal(checkEntitySignatures(bytes, sigs, SERVER, () => pub).ok, false);
  });
  it('7. fails when the signature does not match the canonical JSON', () => {
    const sig = decodeBase64(signed.signatures['domain']![KEY_ID]!);
    sig[0] = sig[0]! ^ 1;
    assert.equal(checkEntitySignatures(bytes, { domain: { [KEY_ID]: encodeBase64(sig) } }, SERVER, () => pub).ok, false);
  });
});

describe('ed25519 cross-check: node:crypto and @noble/ed25519 agree', () => {
  it('derives the same public key from the spec seed', async () => {
    assert.deepEqual(publicKeyFromSeed(SEED), await ed.getPublicKeyAsync(SEED));
  });

  it('property: node:crypto signatures verify with noble, noble signatures verify with node:crypto', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), async (seed, msg) => {
        const signer = createSigner(seed);
        const ours = signer.sign(msg);
        assert.equal(await ed.verifyAsync(ours, msg, signer.publicKey), true);
        const theirs = await ed.signAsync(msg, seed);
        // Ed25519 is deterministic, so the two signatures are byte-identical.
        assert.deepEqual(theirs, ours);
        assert.equal(verifyEd25519(signer.publicKey, msg, theirs), true);
      }),
      { numRuns: 25 },
    );
  });

  it('signed JSON from noble verifies through verifySignedJson', async () => {
    const obj = { hello: 'world', n: 42 };
    const sig = await ed.signAsync(new TextEncoder().encode(canonicalJson(obj)), SEED);
    const signed = { ...obj, signatures: { domain: { [KEY_ID]: encodeBase64(sig) } } };
    assert.equal(verifySignedJson(signed, SERVER, KEY_ID, await ed.getPublicKeyAsync(SEED)), true);
  });
});

describe('verification keys', () => {
  it('verifyEd25519 returns false (not a throw) for malformed keys and signatures', () => {
    const msg = new Uint8Array([1, 2, 3]);
    const sig = createSigner(SEED).sign(msg);
    assert.equal(verifyEd25519(new Uint8Array(31), msg, sig), false);
    assert.equal(verifyEd25519(publicKeyFromSeed(SEED), msg, sig.subarray(0, 63)), false);
  });
  it('createVerifyKeyCache returns one KeyObject per key and passes KeyObjects through', () => {
    const cache = createVerifyKeyCache(2);
    const pub = publicKeyFromSeed(SEED);
    const ko = cache.keyObject(pub);
    assert.equal(cache.keyObject(new Uint8Array(pub)), ko);
    const direct = ed25519PublicKey(pub);
    assert.equal(cache.keyObject(direct), direct);
  });
  it('createSigner rejects seeds that are not 32 bytes', () => {
    assert.throws(() => createSigner(new Uint8Array(31)), RangeError);
  });
});
