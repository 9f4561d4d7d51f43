/** Shared-secret registration, Synapse's `/_synapse/admin/v1/register` (used by `register_new_matrix_user`): a nonce, then an HMAC-SHA1. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Route } from '../http/route.js';
import { MatrixError, badJson, forbidden, invalidParam } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import { MAX_PASSWORD_LENGTH } from '../accounts/accounts.js';
import { registrationLocalpart } from '../accounts/registration.js';

const PATH = '/_synapse/admin/v1/register';
/** Synapse's nonce lifetime. */
export const NONCE_TTL_MS = 60_000;
const MAX_NONCES = 1000;
const USER_TYPES = new Set(['support', 'bot']);

/**
 * The MAC Synapse documents: HMAC-SHA1 keyed by the shared secret over
 * nonce NUL username NUL password NUL ("admin" | "notadmin") [NUL user_type], as lower-case hex.
 * @example registrationMac('secret', nonce, 'alice', 'pw', false)
 */
export function registrationMac(secret: string, nonce: string, username: string, password: string, admin: boolean, userType?: string): string {
  const mac = createHmac('sha1', Buffer.from(secret, 'utf8'));
  mac.update(nonce).update('\x00').update(username).update('\x00').update(password).update('\x00').update(admin ? 'admin' : 'notadmin');
  if (userType !== undefined) mac.update('\x00').update(userType);
  return mac.digest('hex');
}

/** A required string field without NUL bytes, at most 512 characters. */
function field(body: Record<string, unknown>, key: string): string {
  if (!(key in body)) throw badJson(`${key} must be specified`);
  const v = body[key];
  if (typeof v !== 'string' || v.length > MAX_PASSWORD_LENGTH || v.includes('\x00')) throw invalidParam(`Invalid ${key}`);
  return v;
}

export function adminRegisterRoutes(s: Services): Route[] {
  const nonces = new Map<string, number>();
  const disabled = () => new MatrixError(400, 'M_UNKNOWN', 'Shared secret registration is not enabled');

  function takeNonce(nonce: string): boolean {
    const t = s.now();
    for (const [n, expires] of nonces) {
      if (expires > t) break;
      nonces.delete(n);
    }
    return nonces.delete(nonce);
  }

  return [
    {
      method: 'GET', path: PATH, auth: 'none', listener: 'client',
      /** GET /_synapse/admin/v1/register: a nonce valid for one registration within a minute. */
      handler: () => {
        if (s.config.registrationSharedSecret === undefined) throw disabled();
        const nonce = randomBytes(32).toString('hex');
        nonces.set(nonce, s.now() + NONCE_TTL_MS);
        if (nonces.size > MAX_NONCES) nonces.delete(nonces.keys().next().value!);
        return { nonce };
      },
    },
    {
      method: 'POST', path: PATH, auth: 'none', listener: 'client',
      /** POST /_synapse/admin/v1/register */
      handler: async (ctx) => {
        const secret = s.config.registrationSharedSecret;
        if (secret === undefined) throw disabled();
        const body = jsonObject(ctx.body);
        const nonce = body.nonce;
        if (nonce === undefined) throw badJson('nonce must be specified');
        // The nonce is spent even when the rest of the request is wrong.
        if (typeof nonce !== 'string' || !takeNonce(nonce)) throw new MatrixError(400, 'M_UNKNOWN', 'unrecognised nonce');
        const username = field(body, 'username');
        const password = field(body, 'password');
        const admin = body.admin === true;
        const userType = body.user_type ?? undefined;
        if (userType !== undefined && (typeof userType !== 'string' || !USER_TYPES.has(userType))) throw invalidParam('Invalid user type');
        if (typeof body.mac !== 'string') throw badJson('mac must be specified');
        const want = Buffer.from(registrationMac(secret, nonce, username, password, admin, userType as string | undefined));
        const got = Buffer.from(body.mac);
        if (got.length !== want.length || !timingSafeEqual(got, want)) throw forbidden('HMAC incorrect');

        const localpart = registrationLocalpart(username, s.config.serverName);
        const displayname = typeof body.displayname === 'string' && body.displayname !== '' ? body.displayname : undefined;
        const user = await s.accounts.createUser({ localpart, password, admin, displayname });
        const out = { user_id: user.userId, home_server: s.config.serverName };
        if (body.inhibit_login === true) return out;
        const tokens = await s.tokens.issue({
          userId: user.userId, refresh: body.refresh_token === true,
          deviceId: typeof body.device_id === 'string' && body.device_id !== '' ? body.device_id : undefined,
          initialDeviceDisplayName: typeof body.initial_device_display_name === 'string' ? body.initial_device_display_name : undefined,
        });
        return { ...out, ...tokens };
      },
    },
  ];
}
