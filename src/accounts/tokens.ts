/** Issues sessions: devices, access tokens and refresh tokens, random and stored only as sha256 hashes. */
import { randomBytes, randomInt } from 'node:crypto';
import { MatrixError } from '../http/errors.js';
import { hashToken } from '../http/auth.js';
import type { Store } from '../storage/types.js';

/** Prefixes make leaked tokens recognisable to secret scanners; 32 random bytes follow. */
export const ACCESS_TOKEN_PREFIX = 'hth_';
export const REFRESH_TOKEN_PREFIX = 'hthr_';

/** A random token: `prefix` and 32 random bytes, base64url. */
export function generateToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** A device id as Synapse makes them: ten upper-case letters. */
export function generateDeviceId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) id += String.fromCharCode(65 + randomInt(26));
  return id;
}

/** What login and registration return about the new session (wire names). */
export interface SessionTokens {
  access_token: string;
  device_id: string;
  refresh_token?: string;
  expires_in_ms?: number;
}

export interface IssueInput {
  userId: string;
  /** The client's device id; a new one is generated when absent. */
  deviceId?: string;
  /** Name for a newly created device; ignored for a known device. */
  initialDeviceDisplayName?: string;
  /** The client supports refresh tokens: the access token then expires. */
  refresh: boolean;
}

export interface TokenIssuerDeps {
  store: Store;
  now: () => number;
  /** Lifetime of access tokens issued with a refresh token, in ms. */
  accessTokenLifetimeMs: number;
}

const unknownRefreshToken = () => new MatrixError(401, 'M_UNKNOWN_TOKEN', 'Unknown refresh token', { soft_logout: false });

export function createTokenIssuer(deps: TokenIssuerDeps) {
  const { store, now, accessTokenLifetimeMs } = deps;
  return {
    /**
     * Logs a user in on a device (spec §"Relationship between access tokens and devices"): creates the
     * device, or for a known device invalidates its earlier access and refresh tokens, then issues tokens.
     */
    async issue(input: IssueInput): Promise<SessionTokens> {
      const deviceId = input.deviceId ?? generateDeviceId();
      if (await store.devices.getDevice(input.userId, deviceId)) await store.devices.deleteTokensForDevice(input.userId, deviceId);
      else await store.devices.upsertDevice(input.userId, deviceId, input.initialDeviceDisplayName ?? null, now());
      const accessToken = generateToken(ACCESS_TOKEN_PREFIX);
      const out: SessionTokens = { access_token: accessToken, device_id: deviceId };
      if (!input.refresh) {
        await store.devices.createAccessToken({ tokenHash: hashToken(accessToken), userId: input.userId, deviceId });
        return out;
      }
      const refreshToken = generateToken(REFRESH_TOKEN_PREFIX);
      await store.devices.createAccessToken({
        tokenHash: hashToken(accessToken), userId: input.userId, deviceId,
        expiresTs: now() + accessTokenLifetimeMs, refreshTokenHash: hashToken(refreshToken),
      });
      return { ...out, refresh_token: refreshToken, expires_in_ms: accessTokenLifetimeMs };
    },

    /** POST /refresh: a new access and refresh token on the same device; 401 M_UNKNOWN_TOKEN for an unknown or used-up refresh token. */
    async refresh(refreshToken: string): Promise<Required<Omit<SessionTokens, 'device_id'>>> {
      const accessToken = generateToken(ACCESS_TOKEN_PREFIX);
      const nextRefresh = generateToken(REFRESH_TOKEN_PREFIX);
      const owner = await store.devices.rotateRefreshToken(hashToken(refreshToken), {
        tokenHash: hashToken(accessToken), refreshTokenHash: hashToken(nextRefresh), expiresTs: now() + accessTokenLifetimeMs,
      });
      if (!owner) throw unknownRefreshToken();
      const user = await store.accounts.getUser(owner.userId);
      if (!user || user.deactivated) throw unknownRefreshToken();
      return { access_token: accessToken, refresh_token: nextRefresh, expires_in_ms: accessTokenLifetimeMs };
    },
  };
}

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;
