/** Unit tests of canonicalSafe: device JSON made signable under canonical JSON (appendices: canonical JSON). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalSafe } from './canonical-safe.js';
import { canonicalJson } from '../src/events/canonical-json.js';

describe('canonicalSafe (appendices §canonical JSON: integers in ±(2^53−1) only)', () => {
  it('turns floats and unsafe integers into decimal strings, deep, and keeps everything else', () => {
    const out = canonicalSafe({ t: 21.5, n: 3, big: 2 ** 60, neg: -0.25, list: [1, 1.5, { x: 1e-7 }], s: 'x', b: true, z: null });
    assert.deepEqual(out, { t: '21.5', n: 3, big: '1152921504606847000', neg: '-0.25', list: [1, '1.5', { x: '1e-7' }], s: 'x', b: true, z: null });
    assert.doesNotThrow(() => canonicalJson(out));
  });

  it('returns the same object when nothing needs converting', () => {
    const v = { a: [1, 2], b: { c: 'd' } };
    assert.equal(canonicalSafe(v), v);
  });
});
