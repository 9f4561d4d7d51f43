/** Server-side key backups (spec §"Server-side key backups"): /room_keys/version[/{version}] and /room_keys/keys[/{roomId}[/{sessionId}]]. */
import { clientRoute, type RequestContext, type Route } from '../http/route.js';
import { MatrixError, badJson, invalidParam, missingParam, notFound } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import type { RoomKeyBackup, RoomKeyEntry } from '../storage/e2e-types.js';
import type { JsonObject } from '../storage/user-data-types.js';
import { isObject } from '../e2e/key-shapes.js';

const unknownVersion = () => notFound('Unknown backup version');

/** KeyBackupData (definitions/key_backup_data.yaml) from the wire; 400 M_BAD_JSON when malformed. */
function parseKeyData(x: unknown): RoomKeyBackup {
  if (!isObject(x) || !Number.isInteger(x.first_message_index) || !Number.isInteger(x.forwarded_count)
    || typeof x.is_verified !== 'boolean' || !isObject(x.session_data)) {
    throw badJson('Key data needs first_message_index, forwarded_count, is_verified and session_data');
  }
  return { firstMessageIndex: x.first_message_index as number, forwardedCount: x.forwarded_count as number, isVerified: x.is_verified, sessionData: x.session_data };
}

const toWire = (k: RoomKeyBackup) => ({ first_message_index: k.firstMessageIndex, forwarded_count: k.forwardedCount, is_verified: k.isVerified, session_data: k.sessionData });

/** `{sessions: {id: data}}` of one room. */
function parseSessions(roomId: string, x: unknown): RoomKeyEntry[] {
  if (!isObject(x) || !isObject(x.sessions)) throw badJson('Expected {"sessions": {...}}');
  return Object.entries(x.sessions).map(([sessionId, data]) => ({ roomId, sessionId, key: parseKeyData(data) }));
}

/** Groups entries as `{rooms: {roomId: {sessions: {...}}}}`. */
function roomsOf(entries: readonly RoomKeyEntry[]): Record<string, { sessions: Record<string, unknown> }> {
  const rooms: Record<string, { sessions: Record<string, unknown> }> = {};
  for (const e of entries) (rooms[e.roomId] ??= { sessions: {} }).sessions[e.sessionId] = toWire(e.key);
  return rooms;
}

export function keyBackupRoutes(s: Services): Route[] {
  const versionParam = (ctx: RequestContext): string => {
    const v = ctx.query.get('version');
    if (v === null) throw missingParam('Missing version parameter');
    return v;
  };

  /** The version's `{etag, count}` after a change to its keys (RoomKeysUpdateResponse). */
  async function updateResponse(userId: string, version: string) {
    const info = await s.store.keyBackup.getVersion(userId, version);
    return { etag: String(info?.etag ?? 0), count: await s.store.keyBackup.countKeys(userId, version) };
  }

  /** PUT of keys: only into the current version (spec: "Keys can only be written to the most recently created version"). */
  async function putKeys(ctx: RequestContext, entries: () => RoomKeyEntry[]) {
    const userId = ctx.principal!.userId;
    const version = versionParam(ctx);
    const current = await s.store.keyBackup.getVersion(userId);
    if (!current || current.version !== version) {
      if (!(await s.store.keyBackup.getVersion(userId, version))) throw unknownVersion();
      throw new MatrixError(403, 'M_WRONG_ROOM_KEYS_VERSION', 'Wrong backup version.', { current_version: current!.version });
    }
    await s.store.keyBackup.putKeys(userId, version, entries());
    return updateResponse(userId, version);
  }

  async function existingVersion(ctx: RequestContext): Promise<string> {
    const version = versionParam(ctx);
    if (!(await s.store.keyBackup.getVersion(ctx.principal!.userId, version))) throw unknownVersion();
    return version;
  }

  async function deleteKeys(ctx: RequestContext, roomId?: string, sessionId?: string) {
    const version = await existingVersion(ctx);
    await s.store.keyBackup.deleteKeys(ctx.principal!.userId, version, roomId, sessionId);
    return updateResponse(ctx.principal!.userId, version);
  }

  async function versionInfo(userId: string, version?: string) {
    const v = await s.store.keyBackup.getVersion(userId, version);
    if (!v) throw version === undefined ? notFound('No current backup version') : unknownVersion();
    return { algorithm: v.algorithm, auth_data: v.authData, count: await s.store.keyBackup.countKeys(userId, v.version), etag: String(v.etag), version: v.version };
  }

  function versionBody(ctx: RequestContext): { algorithm: string; authData: JsonObject; body: JsonObject } {
    const body = jsonObject(ctx.body);
    if (body.algorithm === undefined || body.auth_data === undefined) throw missingParam('Missing params: algorithm, auth_data');
    if (typeof body.algorithm !== 'string' || !isObject(body.auth_data)) throw badJson('algorithm must be a string and auth_data an object');
    return { algorithm: body.algorithm, authData: body.auth_data, body };
  }

  return [
    /** POST /_matrix/client/v3/room_keys/version */
    ...clientRoute('POST', '/room_keys/version', 'user', async (ctx) => {
      const { algorithm, authData } = versionBody(ctx);
      return { version: await s.store.keyBackup.createVersion(ctx.principal!.userId, algorithm, authData) };
    }),
    /** GET /_matrix/client/v3/room_keys/version */
    ...clientRoute('GET', '/room_keys/version', 'user', (ctx) => versionInfo(ctx.principal!.userId)),
    /** GET /_matrix/client/v3/room_keys/version/{version} */
    ...clientRoute('GET', '/room_keys/version/{version}', 'user', (ctx) => versionInfo(ctx.principal!.userId, ctx.params.version!)),
    /** PUT /_matrix/client/v3/room_keys/version/{version}: only auth_data changes. */
    ...clientRoute('PUT', '/room_keys/version/{version}', 'user', async (ctx) => {
      const userId = ctx.principal!.userId;
      const version = ctx.params.version!;
      const { algorithm, authData, body } = versionBody(ctx);
      if (body.version !== undefined && body.version !== version) throw invalidParam('Version in body does not match');
      const current = await s.store.keyBackup.getVersion(userId, version);
      if (!current) throw unknownVersion();
      if (current.algorithm !== algorithm) throw invalidParam('Algorithm does not match');
      await s.store.keyBackup.updateVersion(userId, version, authData);
      return {};
    }),
    /** DELETE /_matrix/client/v3/room_keys/version/{version}: also succeeds for a version deleted before. */
    ...clientRoute('DELETE', '/room_keys/version/{version}', 'user', async (ctx) => {
      if (!(await s.store.keyBackup.deleteVersion(ctx.principal!.userId, ctx.params.version!))) throw unknownVersion();
      return {};
    }),

    /** PUT /_matrix/client/v3/room_keys/keys */
    ...clientRoute('PUT', '/room_keys/keys', 'user', (ctx) => putKeys(ctx, () => {
      const body = jsonObject(ctx.body);
      if (!isObject(body.rooms)) throw badJson('Expected {"rooms": {...}}');
      return Object.entries(body.rooms).flatMap(([roomId, room]) => parseSessions(roomId, room));
    })),
    /** PUT /_matrix/client/v3/room_keys/keys/{roomId} */
    ...clientRoute('PUT', '/room_keys/keys/{roomId}', 'user', (ctx) => putKeys(ctx, () => parseSessions(ctx.params.roomId!, jsonObject(ctx.body)))),
    /** PUT /_matrix/client/v3/room_keys/keys/{roomId}/{sessionId} */
    ...clientRoute('PUT', '/room_keys/keys/{roomId}/{sessionId}', 'user', (ctx) => putKeys(ctx, () => [
      { roomId: ctx.params.roomId!, sessionId: ctx.params.sessionId!, key: parseKeyData(jsonObject(ctx.body)) },
    ])),

    /** GET /_matrix/client/v3/room_keys/keys */
    ...clientRoute('GET', '/room_keys/keys', 'user', async (ctx) => {
      const version = await existingVersion(ctx);
      return { rooms: roomsOf(await s.store.keyBackup.getKeys(ctx.principal!.userId, version)) };
    }),
    /** GET /_matrix/client/v3/room_keys/keys/{roomId}: a room without keys is `{"sessions": {}}`, as Synapse. */
    ...clientRoute('GET', '/room_keys/keys/{roomId}', 'user', async (ctx) => {
      const version = await existingVersion(ctx);
      const roomId = ctx.params.roomId!;
      return roomsOf(await s.store.keyBackup.getKeys(ctx.principal!.userId, version, roomId))[roomId] ?? { sessions: {} };
    }),
    /** GET /_matrix/client/v3/room_keys/keys/{roomId}/{sessionId} */
    ...clientRoute('GET', '/room_keys/keys/{roomId}/{sessionId}', 'user', async (ctx) => {
      const version = await existingVersion(ctx);
      const [entry] = await s.store.keyBackup.getKeys(ctx.principal!.userId, version, ctx.params.roomId!, ctx.params.sessionId!);
      if (!entry) throw notFound('No room_keys found');
      return toWire(entry.key);
    }),

    /** DELETE /_matrix/client/v3/room_keys/keys */
    ...clientRoute('DELETE', '/room_keys/keys', 'user', (ctx) => deleteKeys(ctx)),
    /** DELETE /_matrix/client/v3/room_keys/keys/{roomId} */
    ...clientRoute('DELETE', '/room_keys/keys/{roomId}', 'user', (ctx) => deleteKeys(ctx, ctx.params.roomId!)),
    /** DELETE /_matrix/client/v3/room_keys/keys/{roomId}/{sessionId} */
    ...clientRoute('DELETE', '/room_keys/keys/{roomId}/{sessionId}', 'user', (ctx) => deleteKeys(ctx, ctx.params.roomId!, ctx.params.sessionId!)),
  ];
}
