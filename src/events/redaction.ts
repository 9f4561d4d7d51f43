/** The redaction algorithm of every room version (rooms/v1, v6, v8, v9, v11 §"Redactions"). */
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import type { Pdu } from './types.js';

/**
 * v1–v10: the top-level keys that survive redaction (v1 §"Redactions"). Listed in code point order, so the
 * redacted copy is built with its keys in canonical order and the encoder does not sort them again.
 */
const TOP_LEVEL_V1: readonly string[] = [
  'auth_events', 'content', 'depth', 'event_id', 'hashes', 'membership', 'origin', 'origin_server_ts',
  'prev_events', 'prev_state', 'room_id', 'sender', 'signatures', 'state_key', 'type',
];
/** v11+: `origin`, `membership` and `prev_state` are no longer protected (v11 §"Redactions"); in code point order. */
const TOP_LEVEL_V11: readonly string[] = [
  'auth_events', 'content', 'depth', 'event_id', 'hashes', 'origin_server_ts', 'prev_events', 'room_id',
  'sender', 'signatures', 'state_key', 'type',
];

const POWER_LEVELS_V1 = ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'];
const POWER_LEVELS_V11 = [...POWER_LEVELS_V1, 'invite'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(src: Record<string, unknown>, keys: readonly string[], into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(src, k)) into[k] = src[k];
  return into;
}

/** The content keys kept for an event type, per the room version's list. */
function redactContent(type: unknown, content: Record<string, unknown>, rv: RoomVersion): Record<string, unknown> {
  switch (type) {
    case 'm.room.member': {
      // v1: m.room.member allows key `membership`; v9+: also `join_authorised_via_users_server`.
      const out = pick(content, rv.redactionKeepsAuthorisingUser ? ['membership', 'join_authorised_via_users_server'] : ['membership']);
      // v11: additionally the `signed` key of `third_party_invite`. The spec is silent on a
      // `third_party_invite` without `signed`; like Synapse we then keep an empty object.
      if (rv.v11Redaction && isObject(content['third_party_invite'])) {
        out['third_party_invite'] = pick(content['third_party_invite'], ['signed']);
      }
      return out;
    }
    case 'm.room.create':
      // v11: m.room.create allows all keys; v1–v10: only `creator`.
      return rv.v11Redaction ? { ...content } : pick(content, ['creator']);
    case 'm.room.join_rules':
      // v1: `join_rule`; v8+: also `allow`.
      return pick(content, rv.restrictedJoins ? ['join_rule', 'allow'] : ['join_rule']);
    case 'm.room.power_levels':
      // v1: ban, events, events_default, kick, redact, state_default, users, users_default; v11: + invite.
      return pick(content, rv.v11Redaction ? POWER_LEVELS_V11 : POWER_LEVELS_V1);
    case 'm.room.aliases':
      // v1–v5: m.room.aliases allows `aliases`; v6 removed this case.
      return rv.redactionKeepsAliases ? pick(content, ['aliases']) : {};
    case 'm.room.history_visibility':
      return pick(content, ['history_visibility']);
    case 'm.room.redaction':
      // v11: m.room.redaction allows key `redacts` (MSC2174 moved it into content).
      return rv.v11Redaction ? pick(content, ['redacts']) : {};
    default:
      return {};
  }
}

/**
 * Redacts an event per its room version: strips every top-level key not in the version's list and
 * every content key the event type does not protect. `unsigned` is removed too (it is not in the
 * list). Idempotent, and it never modifies its input; kept values are shared with the input, so treat
 * the result as read-only or clone it.
 *
 * @example redact({ type: 'm.room.message', content: { body: 'hi' }, ... }, '10').content // {}
 * @example redact(powerLevels, '11').content.invite // kept from v11 on
 */
export function redact<T extends Pdu | Record<string, unknown>>(event: T, roomVersion: RoomVersion | string): Pdu {
  const rv = resolveRoomVersion(roomVersion);
  const src = event as Record<string, unknown>;
  const out = pick(src, rv.v11Redaction ? TOP_LEVEL_V11 : TOP_LEVEL_V1);
  const content = isObject(src['content']) ? src['content'] : {};
  out['content'] = redactContent(src['type'], content, rv);
  return out as unknown as Pdu;
}
