/** Registration rules: which usernames clients may register (Synapse's checks) and generated numeric localparts. */
import { MatrixError } from '../http/errors.js';
import type { Store } from '../storage/types.js';
import { isValidLocalpart, userIdFor } from './user-ids.js';

const invalid = (msg: string) => new MatrixError(400, 'M_INVALID_USERNAME', msg);

/**
 * The localpart a client's `username` asks for: lower-cased, then checked as Synapse does
 * (grammar, not empty, no leading `_`, not all digits since those are generated, at most 255 bytes in all).
 * Throws 400 M_INVALID_USERNAME.
 * @example registrationLocalpart('Alice', 'hs') // 'alice'
 */
export function registrationLocalpart(username: string, serverName: string): string {
  const localpart = username.toLowerCase();
  if (localpart === '') throw invalid('User ID cannot be empty');
  if (!isValidLocalpart(localpart)) throw invalid('User ID can only contain characters a-z, 0-9, or \'=_-./+\'');
  if (localpart.startsWith('_')) throw invalid('User ID may not begin with _');
  if (Buffer.byteLength(userIdFor(localpart, serverName)) > 255) throw invalid('User ID may not be longer than 255 bytes');
  if (/^\d+$/.test(localpart)) throw invalid('Numeric user IDs are reserved for guest users.');
  return localpart;
}

/** 400 M_USER_IN_USE when the user id is taken. */
export async function ensureAvailable(store: Store, userId: string): Promise<void> {
  if (await store.accounts.getUser(userId)) throw new MatrixError(400, 'M_USER_IN_USE', 'User ID already taken.');
}

/**
 * Numeric localparts for registrations without a username (and guests), as Synapse makes them:
 * one more than the largest numeric localpart, counted on from there in memory.
 */
export function createLocalpartGenerator(store: Store): () => Promise<string> {
  let next: Promise<number> | undefined;
  let counter = 0;
  return async () => {
    next ??= store.accounts.listUsers().then((users) => {
      let max = 0;
      for (const u of users) if (/^\d+$/.test(u.localpart)) max = Math.max(max, Number(u.localpart));
      return max + 1;
    });
    const base = await next;
    return String(base + counter++);
  };
}
