/** The account service: creates local users with validated ids and hashed passwords, checks passwords, deactivates, and resolves access tokens. */
import { MatrixError, forbidden } from '../http/errors.js';
import type { Principal } from '../http/route.js';
import type { Logger } from '../log.js';
import { hashToken, type TokenResolver } from '../http/auth.js';
import { clearOnAuthChanges, createTokenCache } from './token-cache.js';
import type { Store, UserRecord } from '../storage/types.js';
import { UserExistsError } from '../storage/errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { isValidLocalpart, localpartOf, userIdFor } from './user-ids.js';

export interface AccountsDeps {
  store: Store;
  serverName: string;
  now: () => number;
}

export interface CreateUserInput {
  localpart: string;
  password: string | null;
  /** A hash computed earlier (registration hashes the password before user-interactive auth); wins over `password`. */
  passwordHash?: string;
  admin?: boolean;
  isGuest?: boolean;
  /** The initial display name: undefined gives the localpart (as Synapse does), null none. */
  displayname?: string | null;
}

/** Longest password accepted anywhere (Synapse's limit). */
export const MAX_PASSWORD_LENGTH = 512;

const badLogin = () => forbidden('Invalid username or password');

export function createAccounts(deps: AccountsDeps) {
  const { store, serverName, now } = deps;
  let dummyHash: Promise<string> | undefined;

  /** Verifies against a throwaway hash, so an unknown user takes as long to refuse as a wrong password. */
  async function burnTime(password: string): Promise<void> {
    dummyHash ??= hashPassword('hearth-timing-equaliser');
    await verifyPassword(password, await dummyHash);
  }

  return {
    /** Creates a user and their profile; M_INVALID_USERNAME for a bad localpart, M_USER_IN_USE when taken. */
    async createUser(input: CreateUserInput): Promise<UserRecord> {
      const localpart = input.localpart;
      const userId = userIdFor(localpart, serverName);
      if (!isValidLocalpart(localpart)) throw new MatrixError(400, 'M_INVALID_USERNAME', 'User ID can only contain characters a-z, 0-9, or \'=_-./+\'');
      if (Buffer.byteLength(userId) > 255) throw new MatrixError(400, 'M_INVALID_USERNAME', 'User ID may not be longer than 255 bytes');
      const passwordHash = input.passwordHash ?? (input.password === null ? null : await hashPassword(input.password));
      let user: UserRecord;
      try {
        user = await store.accounts.createUser({ localpart, userId, passwordHash, admin: input.admin ?? false, isGuest: input.isGuest ?? false, createdTs: now() });
      } catch (err) {
        if (err instanceof UserExistsError) throw new MatrixError(400, 'M_USER_IN_USE', 'User ID already taken.');
        throw err;
      }
      const displayname = input.displayname === undefined ? localpart : input.displayname;
      if (displayname !== null) await store.profiles.set(userId, { displayname });
      return user;
    },

    /** The local user id a login identifier names (`alice`, `Alice` or `@alice:server`), or undefined for another server's. */
    localUserId(nameOrId: string): string | undefined {
      const localpart = localpartOf(nameOrId, serverName);
      return localpart === undefined ? undefined : userIdFor(localpart.toLowerCase(), serverName);
    },

    /**
     * Checks a user's password. 403 M_FORBIDDEN for an unknown user, a wrong password or an account
     * without one; 403 M_USER_DEACTIVATED when the password is right but the account is deactivated.
     */
    async checkPassword(userId: string, password: string): Promise<UserRecord> {
      const user = await store.accounts.getUser(userId);
      if (!user || user.passwordHash === null) {
        await burnTime(password);
        throw badLogin();
      }
      if (!(await verifyPassword(password, user.passwordHash))) throw badLogin();
      if (user.deactivated) throw new MatrixError(403, 'M_USER_DEACTIVATED', 'This account has been deactivated');
      return user;
    },

    async setPassword(userId: string, passwordHash: string): Promise<void> {
      await store.accounts.setPasswordHash(userId, passwordHash);
    },

    /**
     * Deactivates an account: marks it, deletes every device (and so every token) and, with `erase`,
     * clears the profile. The password hash is kept so a later login can still be told M_USER_DEACTIVATED.
     * Resolves to the deleted device ids.
     */
    async deactivate(userId: string, erase: boolean): Promise<string[]> {
      await store.accounts.setDeactivated(userId, true);
      const devices = await store.devices.listDevices(userId);
      for (const d of devices) await store.devices.deleteDevice(userId, d.deviceId);
      await store.devices.deleteTokensForUser(userId);
      if (erase) await store.profiles.set(userId, { displayname: null, avatarUrl: null });
      return devices.map((d) => d.deviceId);
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;

export interface TokenResolverOptions {
  /** At most one last-seen write per device per this many ms (default one minute). */
  lastSeenIntervalMs?: number;
  /** Devices remembered for that throttle; the least recently written are forgotten beyond it. */
  maxTrackedDevices?: number;
  /** Where a failed last-seen write is reported. */
  log?: Pick<Logger, 'warn'>;
}

/**
 * Access-token resolution for the auth wrapper: token hash -> device -> user (deactivated users have
 * no valid tokens). On a refreshed token's first use it retires the token it replaced. It records
 * the device's last-seen time and address at most once a minute per device, remembered in a small
 * in-memory map, so a request costs no database write.
 */
export function createTokenResolver(store: Store, now: () => number, opts: TokenResolverOptions = {}): TokenResolver {
  const cache = createTokenCache();
  clearOnAuthChanges(store, cache);
  const interval = opts.lastSeenIntervalMs ?? 60_000;
  const maxTracked = opts.maxTrackedDevices ?? 10_000;
  const lastWritten = new Map<string, number>();

  function touch(userId: string, deviceId: string, ip: string, t: number): void {
    const key = `${userId}\u0000${deviceId}`;
    const last = lastWritten.get(key);
    if (last !== undefined && t - last < interval) return;
    lastWritten.delete(key);
    lastWritten.set(key, t);
    if (lastWritten.size > maxTracked) lastWritten.delete(lastWritten.keys().next().value!);
    store.devices.recordLastSeen(userId, deviceId, t, ip).catch((err: unknown) => opts.log?.warn({ err }, 'recording last seen failed'));
  }

  return {
    async resolve(raw, remoteAddress): Promise<Principal | { expired: true } | undefined> {
      const t = now();
      const ip = remoteAddress?.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
      const hit = cache.get(raw, t);
      if (hit) {
        if (hit.expiresTs !== undefined && hit.expiresTs <= t) return { expired: true };
        if (ip) touch(hit.principal.userId, hit.principal.deviceId, ip, t);
        return hit.principal;
      }
      const generation = cache.generation();
      const tokenHash = hashToken(raw);
      const token = await store.devices.findAccessToken(tokenHash);
      if (!token) return undefined;
      if (token.expiresTs !== undefined && token.expiresTs <= t) return { expired: true };
      const user = await store.accounts.getUser(token.userId);
      if (!user || user.deactivated) return undefined;
      if (token.previousTokenHash !== undefined) await store.devices.retirePreviousToken(tokenHash);
      if (ip) touch(user.userId, token.deviceId, ip, t);
      const principal: Principal = { userId: user.userId, deviceId: token.deviceId, isGuest: user.isGuest, admin: user.admin, tokenHash };
      // Not when something changed meanwhile (or this very call retired a predecessor: the next lookup caches).
      if (generation === cache.generation() && token.previousTokenHash === undefined) {
        cache.set(raw, { principal, expiresTs: token.expiresTs, cachedAt: t });
      }
      return principal;
    },
  };
}
