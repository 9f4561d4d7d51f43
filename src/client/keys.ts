/** Key management (spec §"End-to-End Encryption"): POST /keys/upload, /keys/query, /keys/claim and GET /keys/changes. */
import { clientRoute, type Route } from '../http/route.js';
import { MatrixError, badJson, missingParam } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import type { JsonObject } from '../storage/user-data-types.js';
import { checkDeviceKeys, isObject, parseKeyMap, sameJson } from '../e2e/key-shapes.js';
import { queryLocalKeys } from '../e2e/key-query.js';
import { deviceListDelta } from '../e2e/e2e-sync.js';
import { parseToken } from '../sync/sync-token.js';

/** The server part of a user id. */
const serverOf = (userId: string) => userId.slice(userId.indexOf(':') + 1);

/** What `failures` says for a remote server: Hearth does not federate key requests yet, so it is unreachable. */
const UNREACHABLE = { status: 503, message: 'Federation is not available on this server' };

export function keyRoutes(s: Services): Route[] {
  const local = (userId: string) => userId.startsWith('@') && serverOf(userId) === s.config.serverName;

  return [
    /** POST /_matrix/client/v3/keys/upload */
    ...clientRoute('POST', '/keys/upload', 'user', async (ctx) => {
      const p = ctx.principal!;
      const body = jsonObject(ctx.body);
      const deviceKeys = body.device_keys === undefined ? undefined : checkDeviceKeys(body.device_keys, p.userId, p.deviceId);
      const oneTimeKeys = parseKeyMap(body.one_time_keys, 'one_time_keys');
      const fallbackKeys = parseKeyMap(body.fallback_keys, 'fallback_keys');
      // A one-time key id already stored must come with the same key (as Synapse: 400 otherwise).
      for (const old of await s.store.e2eKeys.findOneTimeKeys(p.userId, p.deviceId, oneTimeKeys)) {
        const fresh = oneTimeKeys.find((k) => k.algorithm === old.algorithm && k.keyId === old.keyId)!;
        if (!sameJson(fresh.key, old.key)) throw new MatrixError(400, 'M_UNKNOWN', `One time key ${old.algorithm}:${old.keyId} already exists`);
      }
      if (deviceKeys && await s.store.e2eKeys.setDeviceKeys(p.userId, p.deviceId, deviceKeys, s.now())) await s.e2e.keysChanged(p.userId);
      await s.store.e2eKeys.addOneTimeKeys(p.userId, p.deviceId, oneTimeKeys);
      for (const k of fallbackKeys) await s.store.e2eKeys.setFallbackKey(p.userId, p.deviceId, k);
      return { one_time_key_counts: { signed_curve25519: 0, ...(await s.store.e2eKeys.countOneTimeKeys(p.userId, p.deviceId)) } };
    }),

    /** POST /_matrix/client/v3/keys/query */
    ...clientRoute('POST', '/keys/query', 'user', async (ctx) => {
      const body = jsonObject(ctx.body);
      if (!isObject(body.device_keys)) throw badJson("'device_keys' must be a JSON object");
      const query = new Map<string, string[]>();
      const failures: Record<string, unknown> = {};
      for (const [userId, devices] of Object.entries(body.device_keys)) {
        if (!Array.isArray(devices) || !devices.every((d) => typeof d === 'string')) throw badJson("'device_keys' values must be a list of strings");
        if (!userId.startsWith('@') || !userId.includes(':')) continue; // an invalid user id is as a user without keys
        if (local(userId)) query.set(userId, devices);
        else failures[serverOf(userId)] = UNREACHABLE;
      }
      return { ...(await queryLocalKeys(s.store, ctx.principal!.userId, query)), failures };
    }),

    /** POST /_matrix/client/v3/keys/claim */
    ...clientRoute('POST', '/keys/claim', 'user', async (ctx) => {
      const body = jsonObject(ctx.body);
      if (!isObject(body.one_time_keys)) throw badJson("'one_time_keys' must be a JSON object");
      const claimed: Record<string, Record<string, JsonObject>> = {};
      const failures: Record<string, unknown> = {};
      for (const [userId, devices] of Object.entries(body.one_time_keys)) {
        if (!isObject(devices) || !Object.values(devices).every((a) => typeof a === 'string')) throw badJson("'one_time_keys' must map user ids to device ids to algorithms");
        if (!local(userId)) { failures[serverOf(userId)] = UNREACHABLE; continue; }
        for (const [deviceId, algorithm] of Object.entries(devices as Record<string, string>)) {
          // Spec: a one-time key when one is left, otherwise the fallback key (which stays, marked used).
          const key = await s.store.e2eKeys.claimOneTimeKey(userId, deviceId, algorithm) ?? await s.store.e2eKeys.claimFallbackKey(userId, deviceId, algorithm);
          if (key) ((claimed[userId] ??= {})[deviceId] ??= {})[`${key.algorithm}:${key.keyId}`] = key.key;
        }
      }
      return { one_time_keys: claimed, failures };
    }),

    /** GET /_matrix/client/v3/keys/changes */
    ...clientRoute('GET', '/keys/changes', 'user', async (ctx) => {
      const from = ctx.query.get('from');
      if (from === null) throw missingParam('Missing from parameter');
      const to = ctx.query.get('to');
      // As Synapse, `to` is only a hint: a missing one means now.
      const upto = to === null ? s.e2e.deviceListPosition() : parseToken(to).deviceLists;
      return deviceListDelta(s.store, ctx.principal!.userId, parseToken(from).deviceLists, upto);
    }),
  ];
}
