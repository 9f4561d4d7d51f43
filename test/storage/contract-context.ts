/** Shared helpers for the storage contract: the store under test, unique names and fixture builders. */
import { createHash, randomBytes } from 'node:crypto';
import type { NewUser, Store, UserRecord } from '../../src/storage/index.js';

/** What each area's contract gets: the open store (replaced if a test reopens it) and a way to open another. */
export interface ContractContext {
  readonly store: Store;
  open(): Promise<Store>;
  /** A name no other test in this run uses (stores are shared by the tests of a file). */
  unique(prefix: string): string;
}

export const SERVER_NAME = 'hearth.test';

/** sha256 as the caller would hash a token before it reaches the store. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A fresh random plaintext token, as /login would mint it. */
export function mintToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Creates a user with a unique localpart; `overrides` replace any field. */
export async function makeUser(ctx: ContractContext, overrides: Partial<NewUser> = {}): Promise<UserRecord> {
  const localpart = overrides.localpart ?? ctx.unique('user');
  return ctx.store.accounts.createUser({
    localpart,
    userId: `@${localpart}:${SERVER_NAME}`,
    passwordHash: 'scrypt$fake',
    admin: false,
    createdTs: 1_700_000_000_000,
    ...overrides,
  });
}

/** Creates a user with one device and returns both ids. */
export async function makeUserWithDevice(ctx: ContractContext, deviceId = 'DEVICE1'): Promise<{ userId: string; deviceId: string }> {
  const { userId } = await makeUser(ctx);
  await ctx.store.devices.upsertDevice(userId, deviceId, 'Phone', 1_700_000_000_000);
  return { userId, deviceId };
}
