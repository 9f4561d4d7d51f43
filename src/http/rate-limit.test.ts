/** Unit tests of the token-bucket limiter (client-server API §"Rate limiting"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MatrixError } from './errors.js';
import { addressKey, createRateLimiter, rateLimitKey } from './rate-limit.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe('client-server API §"Rate limiting": token buckets', () => {
  it('allows a burst, then refuses with the time until the next token', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 }, c.now);
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0]);
    assert.equal(limiter.take('a'), 500);
    c.advance(250);
    assert.equal(limiter.take('a'), 250);
    c.advance(250);
    assert.equal(limiter.take('a'), 0);
  });

  it('refills at perSecond up to burst, never beyond', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 1, burst: 2 }, c.now);
    limiter.take('a');
    limiter.take('a');
    c.advance(60_000);
    assert.deepEqual([limiter.take('a'), limiter.take('a')], [0, 0]);
    assert.ok(limiter.take('a') > 0);
  });

  it('keys are independent', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, clock().now);
    assert.equal(limiter.take('a'), 0);
    assert.ok(limiter.take('a') > 0);
    assert.equal(limiter.take('b'), 0);
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1, maxKeys: 3 }, clock().now);
    for (const k of ['a', 'b', 'c']) limiter.take(k);
    limiter.take('a'); // refused, but now the most recently used
    limiter.take('d'); // evicts b
    assert.equal(limiter.size(), 3);
    assert.ok(limiter.take('a') > 0, 'a kept its empty bucket');
    assert.equal(limiter.take('b'), 0, 'b was dropped and starts full');
    for (let i = 0; i < 1000; i++) limiter.take(`ip${i}`);
    assert.equal(limiter.size(), 3);
  });

  it('check throws 429 M_LIMIT_EXCEEDED with retry_after_ms and a Retry-After header in seconds', () => {
    const limiter = createRateLimiter({ perSecond: 0.5, burst: 1 }, clock().now);
    const ctx = { remoteAddress: '192.0.2.1' };
    limiter.check(ctx);
    assert.throws(() => limiter.check(ctx), (err: unknown) => {
      assert.ok(err instanceof MatrixError);
      assert.equal(err.status, 429);
      assert.equal(err.errcode, 'M_LIMIT_EXCEEDED');
      assert.equal(err.toJSON().retry_after_ms, 2000);
      assert.equal(err.headers['Retry-After'], '2');
      return true;
    });
  });

  it('keys by user when authenticated, else by address', () => {
    const principal = { userId: '@a:hs', deviceId: 'D', isGuest: false, admin: false, tokenHash: 'h' };
    assert.equal(rateLimitKey({ principal, remoteAddress: '::1' }), 'u:@a:hs');
    assert.equal(rateLimitKey({ remoteAddress: '192.0.2.1' }), 'ip:192.0.2.1');
  });

  it('keys IPv6 addresses by their /64 and IPv4-mapped ones as IPv4', () => {
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:DB8:1:2::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
  });
});
