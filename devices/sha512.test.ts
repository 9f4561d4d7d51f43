/** Unit tests of the pure-JS SHA-512 (FIPS 180-4) against its published vectors and node:crypto. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha512 } from './sha512.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const nodeSha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('hex');

describe('SHA-512 (FIPS 180-4 §6.4; vectors from FIPS 180-2 appendix C)', () => {
  it('"abc" and the two-block message hash to the published digests; the empty string too', () => {
    assert.equal(hex(sha512(new TextEncoder().encode('abc'))),
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
    const two = 'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu';
    assert.equal(hex(sha512(new TextEncoder().encode(two))),
      '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909');
    assert.equal(hex(sha512(new Uint8Array(0))), nodeSha512(new Uint8Array(0)));
  });

  it('matches node:crypto at every length around the block and padding boundaries (0–300 bytes)', () => {
    for (let n = 0; n <= 300; n++) {
      const msg = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      assert.equal(hex(sha512(msg)), nodeSha512(msg), `length ${n}`);
    }
  });

  it('matches node:crypto on arbitrary byte strings (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (msg) => hex(sha512(msg)) === nodeSha512(msg)), { numRuns: 300 });
  });
});
