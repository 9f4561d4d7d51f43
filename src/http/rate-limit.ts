/** Rate limiting at the HTTP boundary: one token bucket per user (or per IP address when unauthenticated), memory-bounded. */
import { limitExceeded } from './errors.js';
import type { RequestContext } from './route.js';

export interface RateLimitSettings {
  /** Tokens added per second: the sustained request rate. */
  perSecond: number;
  /** Bucket size: how many requests may arrive at once. */
  burst: number;
  /** Most buckets kept; the least recently used is dropped beyond it (that key starts again with a full bucket). */
  maxKeys?: number;
}

export interface RateLimiter {
  /** Takes one token for `key`: 0 when allowed, else how many ms until a token is available. */
  take(key: string): number;
  /** Takes one token for the request's caller, throwing 429 M_LIMIT_EXCEEDED (with `retry_after_ms` and `Retry-After`) when none is left. */
  check(ctx: Pick<RequestContext, 'principal' | 'remoteAddress'>): void;
  /** Buckets currently held (for tests and metrics). */
  size(): number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export const DEFAULT_MAX_KEYS = 10_000;

/**
 * The address part of a bucket key: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 prefix,
 * since one IPv6 host can use any address of its /64.
 * @example addressKey('2001:db8:1:2:aaaa::1') // '2001:db8:1:2::/64'
 */
export function addressKey(address: string): string {
  const a = address.replace(/%.*$/, '').toLowerCase();
  if (a.startsWith('::ffff:') && a.includes('.')) return a.slice(7);
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
}

/** The bucket key of a request: the user when authenticated, else the peer address. */
export function rateLimitKey(ctx: Pick<RequestContext, 'principal' | 'remoteAddress'>): string {
  return ctx.principal ? `u:${ctx.principal.userId}` : `ip:${addressKey(ctx.remoteAddress)}`;
}

/**
 * A token-bucket limiter. Buckets live in a Map kept in least-recently-used order (each take moves
 * its key to the end), so memory stays bounded by `maxKeys` however many addresses call.
 * @example
 *   const limiter = createRateLimiter({ perSecond: 10, burst: 50 }, Date.now);
 *   limiter.check(ctx); // throws MatrixError 429 M_LIMIT_EXCEEDED when over the limit
 */
export function createRateLimiter(settings: RateLimitSettings, now: () => number): RateLimiter {
  const { perSecond, burst } = settings;
  const maxKeys = settings.maxKeys ?? DEFAULT_MAX_KEYS;
  const buckets = new Map<string, Bucket>();

  function take(key: string): number {
    const t = now();
    let bucket = buckets.get(key);
    if (bucket) {
      buckets.delete(key);
      bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, t - bucket.updated) / 1000) * perSecond);
      bucket.updated = t;
    } else {
      bucket = { tokens: burst, updated: t };
    }
    buckets.set(key, bucket);
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - bucket.tokens) / perSecond) * 1000));
  }

  return {
    take,
    check(ctx) {
      const wait = take(rateLimitKey(ctx));
      if (wait > 0) throw limitExceeded(wait);
    },
    size: () => buckets.size,
  };
}
