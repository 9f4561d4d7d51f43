/** Test support: local users with access tokens made straight in the store (no login round-trip). */
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../src/http/auth.js';
import type { TestHub } from './hub.js';

export interface TestUser { userId: string; token: string; deviceId: string }

export async function makeUser(hub: TestHub, localpart: string, admin = false): Promise<TestUser> {
  const userId = `@${localpart}:${hub.config.serverName}`;
  await hub.store.accounts.createUser({ localpart, userId, passwordHash: null, admin, createdTs: Date.now() });
  const deviceId = `DEV${randomBytes(3).toString('hex').toUpperCase()}`;
  await hub.store.devices.upsertDevice(userId, deviceId);
  const token = randomBytes(24).toString('base64url');
  await hub.store.devices.createAccessToken({ tokenHash: hashToken(token), userId, deviceId });
  return { userId, token, deviceId };
}
