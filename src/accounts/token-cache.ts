/**
 * The access-token cache in front of the store: a request with a known token costs no hash and no query.
 * Every store call that can end a token's validity (logout, device deletion, deactivation, admin changes,
 * refresh retirement) clears the cache in-process; a short lifetime covers changes made by another process.
 */
import type { Principal } from '../http/route.js';
import type { Store } from '../storage/types.js';

export interface CachedToken {
  principal: Principal;
  /** The token's own expiry, checked on every hit. */
  expiresTs?: number;
  cachedAt: number;
}

/** Store calls after which a cached token may be wrong. */
const DEVICE_CHANGES = ['deleteDevice', 'deleteAccessToken', 'deleteTokensForDevice', 'deleteTokensForUser', 'retirePreviousToken', 'rotateRefreshToken'] as const;
const ACCOUNT_CHANGES = ['setAdmin', 'setDeactivated'] as const;

export interface TokenCache {
  get(token: string, now: number): CachedToken | undefined;
  set(token: string, entry: CachedToken): void;
  /** A generation number: an entry looked up before a change must not be stored after it. */
  generation(): number;
  clear(): void;
}

export function createTokenCache(opts: { maxEntries?: number; ttlMs?: number } = {}): TokenCache {
  const max = opts.maxEntries ?? 10_000;
  const ttl = opts.ttlMs ?? 10_000;
  const map = new Map<string, CachedToken>();
  let gen = 0;
  return {
    get(token, now) {
      const hit = map.get(token);
      if (hit && now - hit.cachedAt > ttl) { map.delete(token); return undefined; }
      return hit;
    },
    set(token, entry) {
      if (map.size >= max) map.delete(map.keys().next().value!);
      map.set(token, entry);
    },
    generation: () => gen,
    clear() { gen++; map.clear(); },
  };
}

/**
 * Makes every token-ending call on `store` (by whatever caller: routes, admin API, tests) clear `cache`
 * once it has run. The store's area objects are wrapped in place, so no caller can go around it.
 */
export function clearOnAuthChanges(store: Store, cache: TokenCache): void {
  const wrap = (area: Record<string, unknown>, names: readonly string[]) => {
    for (const name of names) {
      const fn = area[name];
      if (typeof fn !== 'function') continue;
      area[name] = async (...args: unknown[]) => {
        cache.clear();
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>).apply(area, args);
        } finally {
          cache.clear();
        }
      };
    }
  };
  wrap(store.devices as unknown as Record<string, unknown>, DEVICE_CHANGES);
  wrap(store.accounts as unknown as Record<string, unknown>, ACCOUNT_CHANGES);
}
