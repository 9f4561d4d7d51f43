/** Test support: a syncing matrix-js-sdk client and waits on what it sees (invites, timeline events, state). */
import * as sdk from 'matrix-js-sdk';
import { logger } from 'matrix-js-sdk/lib/logger.js';
import type { TestUser } from './users.js';

logger.setLevel('silent');

// matrix-js-sdk arms a plain setTimeout (poll timeout + 80 s) for every /sync and never clears it, which keeps a
// finished test file alive for ~2 minutes. Long timers are unref'd so they no longer hold the process open.
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
  const t = realSetTimeout(fn, ms, ...rest);
  if ((ms ?? 0) >= 60_000) t.unref();
  return t;
}) as typeof setTimeout;

/** Starts `c` syncing and resolves once its first sync is done. */
export async function startSyncing(c: sdk.MatrixClient, initialSyncLimit = 50): Promise<void> {
  const ready = new Promise<void>((resolve) => {
    const onSync = (state: string) => { if (state === 'PREPARED' || state === 'SYNCING') { c.off(sdk.ClientEvent.Sync, onSync); resolve(); } };
    c.on(sdk.ClientEvent.Sync, onSync);
  });
  await c.startClient({ initialSyncLimit });
  await ready;
}

/** Registers `username` with m.login.dummy (the hub must run with --registration open) and returns its client, not yet syncing. */
export async function registerSdkClient(baseUrl: string, username: string, password: string): Promise<sdk.MatrixClient> {
  const res = await sdk.createClient({ baseUrl }).registerRequest({ username, password, auth: { type: 'm.login.dummy' } });
  return sdk.createClient({ baseUrl, accessToken: res.access_token, userId: res.user_id, deviceId: res.device_id });
}

/** Starts a client for `user` and resolves once its first sync is done. */
export async function startSdkClient(baseUrl: string, user: TestUser): Promise<sdk.MatrixClient> {
  const c = sdk.createClient({ baseUrl, accessToken: user.token, userId: user.userId, deviceId: user.deviceId });
  await startSyncing(c);
  return c;
}

/** Resolves with the first value `check` returns that is not undefined, re-checking on every sdk event. */
export function until<T>(c: sdk.MatrixClient, check: () => T | undefined, ms = 8000, what = 'the client'): Promise<T> {
  return new Promise((resolve, reject) => {
    const events = [sdk.RoomEvent.Timeline, sdk.ClientEvent.Sync, sdk.RoomStateEvent.Events, sdk.RoomEvent.MyMembership] as const;
    const off = () => { for (const e of events) c.off(e as sdk.ClientEvent.Sync, tick); };
    const timer = setTimeout(() => { off(); reject(new Error(`timed out waiting for ${what}`)); }, ms);
    const tick = () => {
      const v = check();
      if (v !== undefined) { clearTimeout(timer); off(); resolve(v); }
    };
    for (const e of events) c.on(e as sdk.ClientEvent.Sync, tick);
    tick();
  });
}

/** Waits for an invite to `roomId` and joins it. */
export async function joinWhenInvited(c: sdk.MatrixClient, roomId: string): Promise<void> {
  await until(c, () => (c.getRoom(roomId)?.getMyMembership() === 'invite' || c.getRoom(roomId)?.getMyMembership() === 'join' ? true : undefined), 8000, `an invite to ${roomId}`);
  if (c.getRoom(roomId)?.getMyMembership() !== 'join') await c.joinRoom(roomId);
  await until(c, () => (c.getRoom(roomId)?.getMyMembership() === 'join' ? true : undefined), 8000, `joining ${roomId}`);
}

/** Timeline events of a room as the client has them. */
export function timeline(c: sdk.MatrixClient, roomId: string): sdk.MatrixEvent[] {
  return c.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
}

/** Waits for a timeline event in `roomId` that `pred` accepts. */
export function waitForEvent(c: sdk.MatrixClient, roomId: string, pred: (e: sdk.MatrixEvent) => boolean, ms = 8000, what = 'an event'): Promise<sdk.MatrixEvent> {
  return until(c, () => timeline(c, roomId).find(pred), ms, what);
}

/** The content of a current state event as the client has it. */
export function stateContent(c: sdk.MatrixClient, roomId: string, type: string, stateKey = ''): Record<string, unknown> | undefined {
  return c.getRoom(roomId)?.currentState.getStateEvents(type, stateKey)?.getContent();
}
