/** Short-lived, single-use `m.login.token` tokens (spec §"Login", POST /login/get_token), kept in memory by hash. */
import { hashToken } from '../http/auth.js';
import { generateToken } from './tokens.js';

export interface LoginTokenDeps {
  now: () => number;
  /** Lifetime of a token (default two minutes, as the spec recommends). */
  ttlMs?: number;
  /** Most tokens kept at once; the oldest is dropped beyond it. */
  maxTokens?: number;
}

/**
 * @example
 *   const tokens = createLoginTokens({ now: Date.now });
 *   const { token } = tokens.issue('@alice:hs');
 *   tokens.consume(token); // '@alice:hs', then undefined
 */
export function createLoginTokens(deps: LoginTokenDeps) {
  const ttl = deps.ttlMs ?? 120_000;
  const max = deps.maxTokens ?? 1000;
  const byHash = new Map<string, { userId: string; expiresTs: number }>();
  return {
    issue(userId: string): { token: string; expiresInMs: number } {
      const token = generateToken('hthl_');
      byHash.set(hashToken(token), { userId, expiresTs: deps.now() + ttl });
      if (byHash.size > max) byHash.delete(byHash.keys().next().value!);
      return { token, expiresInMs: ttl };
    },
    /** The user the token was issued for, once; undefined for an unknown, used or expired token. */
    consume(token: string): string | undefined {
      const key = hashToken(token);
      const entry = byHash.get(key);
      if (!entry) return undefined;
      byHash.delete(key);
      return entry.expiresTs > deps.now() ? entry.userId : undefined;
    },
  };
}

export type LoginTokens = ReturnType<typeof createLoginTokens>;
