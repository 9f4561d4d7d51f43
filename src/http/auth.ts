/** The one auth wrapper: checks a route's auth kind (access token, admin, X-Matrix) before its handler runs. */
import { createHash } from 'node:crypto';
import { MatrixError } from './errors.js';
import type { AuthKind, Principal, RequestContext } from './route.js';

/** Resolves an access token to its caller, or says why not; `remoteAddress` is the caller's address (for last-seen). */
export interface TokenResolver {
  resolve(token: string, remoteAddress?: string): Promise<Principal | { expired: true } | undefined>;
}

/** Verifies a federation request's X-Matrix Authorization header and returns the origin server. */
export interface FederationVerifier {
  verify(ctx: RequestContext): Promise<string>;
}

export interface Authenticator {
  check(kind: AuthKind, ctx: RequestContext): Promise<void>;
}

/** sha256 of a token, hex: the only form in which tokens are stored or compared. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The access token of a request: `Authorization: Bearer`, else the deprecated `access_token` query parameter. */
export function accessTokenOf(ctx: Pick<RequestContext, 'headers' | 'query'>): string | undefined {
  const h = ctx.headers.authorization;
  if (h !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    return m ? m[1] : undefined;
  }
  return ctx.query.get('access_token') ?? undefined;
}

const missingToken = () => new MatrixError(401, 'M_MISSING_TOKEN', 'Missing access token');
const unknownToken = (softLogout = false) => new MatrixError(401, 'M_UNKNOWN_TOKEN', 'Unrecognised access token', { soft_logout: softLogout });

export function createAuthenticator(deps: { tokens: TokenResolver; federation?: FederationVerifier }): Authenticator {
  async function principalFor(ctx: RequestContext, required: boolean): Promise<void> {
    const hasHeader = ctx.headers.authorization !== undefined;
    const token = accessTokenOf(ctx);
    if (token === undefined) {
      if (hasHeader) throw unknownToken(); // an Authorization header that is not a Bearer token
      if (required) throw missingToken();
      return;
    }
    const found = await deps.tokens.resolve(token, ctx.remoteAddress);
    if (found === undefined) throw unknownToken();
    if ('expired' in found) throw unknownToken(true);
    ctx.principal = found;
  }

  return {
    async check(kind, ctx) {
      switch (kind) {
        case 'none':
          return;
        case 'optional':
          return principalFor(ctx, false);
        case 'user':
          return principalFor(ctx, true);
        case 'admin':
          await principalFor(ctx, true);
          if (!ctx.principal!.admin) throw new MatrixError(403, 'M_FORBIDDEN', 'You are not a server admin');
          return;
        case 'federation':
          if (!deps.federation) throw new MatrixError(401, 'M_UNAUTHORIZED', 'Federation is not enabled');
          ctx.origin = await deps.federation.verify(ctx);
          return;
      }
    },
  };
}
