/** Voice over IP (spec §"Voice over IP"): GET /voip/turnServer, with credentials for a TURN server's shared-secret REST API. */
import { createHmac } from 'node:crypto';
import { clientRoute, type Route } from '../http/route.js';
import type { Services } from '../services.js';

export interface TurnSettings {
  uris: readonly string[];
  sharedSecret: string | undefined;
  /** Credential lifetime in seconds. */
  ttl: number;
}

/**
 * Time-limited TURN credentials (the TURN REST API that coturn's `use-auth-secret` implements, as Synapse issues them):
 * username `expiry:userId` with `expiry` in Unix seconds, password base64(HMAC-SHA1(secret, username)).
 * Without URIs or a secret there is no TURN service: `{}` (as Synapse).
 */
export function turnCredentials(settings: TurnSettings, userId: string, nowMs: number): Record<string, unknown> {
  if (settings.uris.length === 0 || settings.sharedSecret === undefined) return {};
  const username = `${Math.floor(nowMs / 1000) + settings.ttl}:${userId}`;
  const password = createHmac('sha1', settings.sharedSecret).update(username).digest('base64');
  return { username, password, uris: [...settings.uris], ttl: settings.ttl };
}

export function voipRoutes(s: Services): Route[] {
  const settings: TurnSettings = { uris: s.config.turnUris, sharedSecret: s.config.turnSharedSecret, ttl: s.config.turnTtl };
  /** GET /_matrix/client/v3/voip/turnServer */
  return clientRoute('GET', '/voip/turnServer', 'user', (ctx) => turnCredentials(settings, ctx.principal!.userId, s.now()));
}
