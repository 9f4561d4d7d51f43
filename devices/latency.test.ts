/** Unit tests of the simulator's latency percentiles: nearest rank, per-interval samples, a bounded reservoir. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLatencyRecorder, percentile } from './latency.js';

describe('ack latency percentiles (hearth-device simulate: p50/p99)', () => {
  it('percentile is the nearest rank: p50 of 1..100 is 50, p99 is 99, p100 is the max; empty is NaN', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.deepEqual([percentile(xs, 50), percentile(xs, 99), percentile(xs, 100), percentile([7], 1)], [50, 99, 100, 7]);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('interval() hands out the samples since the last call; total() covers the whole run', () => {
    const l = createLatencyRecorder();
    [1, 2, 3].forEach((x) => l.record(x));
    assert.deepEqual(l.interval(), [1, 2, 3]);
    l.record(10);
    assert.deepEqual(l.interval(), [10]);
    assert.deepEqual(l.interval(), []);
    assert.equal(l.total(100), 10);
    assert.equal(l.total(50), 2);
  });

  it('past its capacity the reservoir stays that size and still estimates the median of a long run', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 48271) % 0x7fffffff) / 0x7fffffff);
    const l = createLatencyRecorder(1000, random);
    for (let i = 0; i < 100_000; i++) l.record(i % 100);
    const p50 = l.total(50);
    assert.ok(p50 >= 44 && p50 <= 55, String(p50));
  });
});
