/** Unit tests of the gateway policy hooks: token-bucket rate limit, size limit, drop reports. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicy } from './policy.js';
import { DropReason } from './codes.js';

describe('policy: per-device token bucket (issue 5: per-device rate limits)', () => {
  it('admits a burst, then refills at the sustained rate, per device', () => {
    let t = 0;
    const p = createPolicy({ perSecond: 2, burst: 3 }, () => t);
    assert.deepEqual([1, 2, 3, 4].map(() => p.admit('a')), [true, true, true, false]);
    assert.equal(p.admit('b'), true, 'another device has its own bucket');
    t = 500;
    assert.equal(p.admit('a'), true, 'half a second at 2/s refills one token');
    assert.equal(p.admit('a'), false);
    t = 100_000;
    assert.deepEqual([1, 2, 3, 4].map(() => p.admit('a')), [true, true, true, false], 'never more than the burst');
  });

  it('checks payload size against the limit', () => {
    const p = createPolicy({ maxPayloadBytes: 10 }, () => 0);
    assert.equal(p.sizeOk(10), true);
    assert.equal(p.sizeOk(11), false);
  });
});

describe('policy: repeated drops are reported once per window (issue 5: status event when repeated)', () => {
  it('reports when the count reaches the threshold, not before and not again in the same window', () => {
    let t = 0;
    const p = createPolicy({ dropsBeforeReport: 3, dropWindowMs: 1000 }, () => t);
    assert.equal(p.dropped('a', DropReason.MALFORMED), undefined);
    assert.equal(p.dropped('a', DropReason.OVERSIZE), undefined);
    assert.deepEqual(p.dropped('a', DropReason.MALFORMED), { count: 3, reasons: { malformed: 2, oversize: 1 } });
    assert.equal(p.dropped('a', DropReason.MALFORMED), undefined);
    t = 2000;
    assert.equal(p.dropped('a', DropReason.MALFORMED), undefined, 'a new window starts counting again');
  });
});
