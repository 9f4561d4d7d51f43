/** The account service: creates local users with validated ids and hashed passwords, and resolves access tokens. */
import { MatrixError } from '../http/errors.js';
import type { Principal } from '../http/route.js';
import type { TokenResolver } from '../http/auth.js';
import type { Store, UserRecord } from '../storage/types.js';
import { UserExistsError } from '../storage/errors.js';
import { hashPassword } from './passwords.js';
import { isValidLocalpart, userIdFor } from './user-ids.js';

export interface AccountsDeps {
  store: Store;
  serverName: string;
  now: () => number;
}

export interface CreateUserInput {
  localpart: string;
  password: string | null;
  admin?: boolean;
  isGuest?: boolean;
}

export function createAccounts(deps: AccountsDeps) {
  const { store, serverName, now } = deps;
  return {
    /** Creates a user; M_INVALID_USERNAME for a bad localpart, M_USER_IN_USE when taken. */
    async createUser(input: CreateUserInput): Promise<UserRecord> {
      const localpart = input.localpart;
      const userId = userIdFor(localpart, serverName);
      if (!isValidLocalpart(localpart)) throw new MatrixError(400, 'M_INVALID_USERNAME', 'User ID can only contain characters a-z, 0-9, or \'=_-./+\'');
      if (Buffer.byteLength(userId) > 255) throw new MatrixError(400, 'M_INVALID_USERNAME', 'User ID may not be longer than 255 bytes');
      const passwordHash = input.password === null ? null : await hashPassword(input.password);
      try {
        return await store.accounts.createUser({ localpart, userId, passwordHash, admin: input.admin ?? false, isGuest: input.isGuest ?? false, createdTs: now() });
      } catch (err) {
        if (err instanceof UserExistsError) throw new MatrixError(400, 'M_USER_IN_USE', 'User ID already taken.');
        throw err;
      }
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;

/** Access-token resolution for the auth wrapper: token hash -> device -> user (deactivated users have no valid tokens). */
export function createTokenResolver(store: Store, now: () => number): TokenResolver {
  return {
    async resolve(tokenHash): Promise<Principal | { expired: true } | undefined> {
      const token = await store.devices.findAccessToken(tokenHash);
      if (!token) return undefined;
      if (token.expiresTs !== undefined && token.expiresTs <= now()) return { expired: true };
      const user = await store.accounts.getUser(token.userId);
      if (!user || user.deactivated) return undefined;
      return { userId: user.userId, deviceId: token.deviceId, isGuest: user.isGuest, admin: user.admin, tokenHash };
    },
  };
}
