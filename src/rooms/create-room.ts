/** POST /createRoom's logic: the spec's event sequence (create, join, power levels, alias, preset, initial state, name, topic, invites). */
import { randomBytes } from 'node:crypto';
import { DEFAULT_ROOM_VERSION, getRoomVersion } from '../events/room-versions.js';
import { MatrixError } from '../http/errors.js';
import type { RoomService } from './room-service.js';
import type { Store } from '../storage/types.js';

export interface CreateRoomRequest {
  visibility?: 'public' | 'private';
  room_alias_name?: string;
  name?: string;
  topic?: string;
  invite?: string[];
  room_version?: string;
  creation_content?: Record<string, unknown>;
  initial_state?: Array<{ type: string; state_key?: string; content: Record<string, unknown> }>;
  preset?: 'private_chat' | 'public_chat' | 'trusted_private_chat';
  is_direct?: boolean;
  power_level_content_override?: Record<string, unknown>;
}

const PRESETS = {
  private_chat: { join_rule: 'invite', history_visibility: 'shared', guest_access: 'can_join', trusted: false },
  trusted_private_chat: { join_rule: 'invite', history_visibility: 'shared', guest_access: 'can_join', trusted: true },
  public_chat: { join_rule: 'public', history_visibility: 'shared', guest_access: 'forbidden', trusted: false },
} as const;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks the request body's shape (400 M_BAD_JSON / M_INVALID_PARAM / M_UNSUPPORTED_ROOM_VERSION). */
export function validateCreateRoom(body: Record<string, unknown>): CreateRoomRequest {
  const str = (k: string) => { if (body[k] !== undefined && typeof body[k] !== 'string') throw new MatrixError(400, 'M_BAD_JSON', `${k} must be a string`); };
  ['visibility', 'room_alias_name', 'name', 'topic', 'room_version', 'preset'].forEach(str);
  if (body.visibility !== undefined && body.visibility !== 'public' && body.visibility !== 'private') throw new MatrixError(400, 'M_BAD_JSON', 'visibility must be public or private');
  if (body.preset !== undefined && !(String(body.preset) in PRESETS)) throw new MatrixError(400, 'M_BAD_JSON', 'Unknown preset');
  if (body.invite !== undefined && (!Array.isArray(body.invite) || !body.invite.every((u) => typeof u === 'string' && /^@[^:]+:.+$/.test(u)))) throw new MatrixError(400, 'M_INVALID_PARAM', 'invite must be a list of user ids');
  for (const k of ['creation_content', 'power_level_content_override']) if (body[k] !== undefined && !isObj(body[k])) throw new MatrixError(400, 'M_BAD_JSON', `${k} must be an object`);
  if (body.initial_state !== undefined) {
    if (!Array.isArray(body.initial_state) || !body.initial_state.every((s) => isObj(s) && typeof s.type === 'string' && isObj(s.content) && (s.state_key === undefined || typeof s.state_key === 'string'))) {
      throw new MatrixError(400, 'M_INVALID_ROOM_STATE', 'initial_state must be a list of {type, state_key, content}');
    }
  }
  if (body.room_version !== undefined && !getRoomVersion(String(body.room_version))) throw new MatrixError(400, 'M_UNSUPPORTED_ROOM_VERSION', `Room version ${String(body.room_version)} is not supported`);
  return body as CreateRoomRequest;
}

export interface CreateRoomDeps {
  rooms: RoomService;
  store: Store;
  serverName: string;
  memberContent: (userId: string) => Promise<Record<string, unknown>>;
  defaultRoomVersion?: string;
}

/** Creates the room and returns its id. */
export async function createRoom(deps: CreateRoomDeps, creator: string, req: CreateRoomRequest): Promise<{ roomId: string; alias?: string }> {
  const rv = getRoomVersion(req.room_version ?? deps.defaultRoomVersion ?? DEFAULT_ROOM_VERSION)!;
  const alias = req.room_alias_name !== undefined ? `#${req.room_alias_name}:${deps.serverName}` : undefined;
  if (alias !== undefined) {
    if (!/^[^\s:#]+$/.test(req.room_alias_name!)) throw new MatrixError(400, 'M_INVALID_PARAM', 'Invalid characters in room alias');
    if (await deps.store.rooms.getAlias(alias)) throw new MatrixError(400, 'M_ROOM_IN_USE', 'Room alias already taken');
  }
  const preset = PRESETS[req.preset ?? (req.visibility === 'public' ? 'public_chat' : 'private_chat')];
  const createContent: Record<string, unknown> = { ...(req.creation_content ?? {}), room_version: rv.id };
  if (!rv.implicitRoomCreator) createContent.creator = creator;
  const roomIdHint = rv.roomIdFromCreateEvent ? null : `!${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}:${deps.serverName}`;
  const created = await deps.rooms.createRoomWithCreateEvent(creator, rv, createContent, roomIdHint);
  const roomId = created.pdu.room_id;
  const send = (type: string, stateKey: string | undefined, content: Record<string, unknown>, sender = creator) =>
    deps.rooms.send({ roomId, sender, type, stateKey, content });

  await send('m.room.member', creator, { ...(await deps.memberContent(creator)), membership: 'join' });
  const users: Record<string, number> = rv.privilegedCreators ? {} : { [creator]: 100 };
  if (preset.trusted) for (const u of req.invite ?? []) if (!rv.privilegedCreators || u !== creator) users[u] = 100;
  const powerLevels: Record<string, unknown> = {
    users, users_default: 0,
    events: {
      'm.room.name': 50, 'm.room.power_levels': 100, 'm.room.history_visibility': 100, 'm.room.canonical_alias': 50,
      'm.room.avatar': 50, 'm.room.tombstone': rv.privilegedCreators ? 150 : 100, 'm.room.server_acl': 100, 'm.room.encryption': 100,
    },
    events_default: 0, state_default: 50, ban: 50, kick: 50, redact: 50, invite: 0, historical: 100,
    ...(req.power_level_content_override ?? {}),
  };
  await send('m.room.power_levels', '', powerLevels);
  if (alias !== undefined) {
    await deps.store.rooms.createAlias(alias, roomId, creator);
    await send('m.room.canonical_alias', '', { alias });
  }
  const initial = new Map((req.initial_state ?? []).map((s) => [`${s.type}\u0000${s.state_key ?? ''}`, s]));
  const presetState: Array<[string, Record<string, unknown>]> = [
    ['m.room.join_rules', { join_rule: preset.join_rule }],
    ['m.room.history_visibility', { history_visibility: preset.history_visibility }],
    ['m.room.guest_access', { guest_access: preset.guest_access }],
  ];
  for (const [type, content] of presetState) if (!initial.has(`${type}\u0000`)) await send(type, '', content);
  for (const s of initial.values()) await send(s.type, s.state_key ?? '', s.content);
  if (req.name !== undefined) await send('m.room.name', '', { name: req.name });
  if (req.topic !== undefined) await send('m.room.topic', '', { topic: req.topic });
  for (const invitee of req.invite ?? []) {
    await send('m.room.member', invitee, { ...(await deps.memberContent(invitee)), membership: 'invite', ...(req.is_direct ? { is_direct: true } : {}) });
  }
  if (req.visibility === 'public') await deps.store.rooms.setRoomPublic(roomId, true);
  return { roomId, alias };
}
