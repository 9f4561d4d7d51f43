/** Structural checks of a PDU against its room version's event format and the spec's size limits. */
import { Buffer } from 'node:buffer';
import { canonicalJson } from './canonical-json.js';
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import type { Pdu } from './types.js';

/**
 * client-server §"Size limits": the complete event, as canonical JSON, at most 65536 bytes.
 * @example MAX_PDU_BYTES // 65536
 */
export const MAX_PDU_BYTES = 65536;
/**
 * Limit shared by user ids, room ids, event ids, `type` and `state_key` (in UTF-8 bytes).
 * @example Buffer.byteLength(pdu.type) <= MAX_ID_BYTES
 */
export const MAX_ID_BYTES = 255;
/**
 * pdu schemas: `prev_events` "Must contain less than or equal to 20 events".
 * @example pdu.prev_events.length <= MAX_PREV_EVENTS
 */
export const MAX_PREV_EVENTS = 20;
/**
 * pdu schemas: `auth_events` "Must contain less than or equal to 10 events".
 * @example pdu.auth_events.length <= MAX_AUTH_EVENTS
 */
export const MAX_AUTH_EVENTS = 10;

/** The result of `validatePduFormat`: the event is valid when `errors` is empty. */
export interface PduFormatCheck {
  valid: boolean;
  errors: string[];
}

const V1_V3_DEPTH_MAX = 2 ** 63 - 1;
const EVENT_ID_V1 = /^\$[^:]+:.+$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function checkReferences(name: string, refs: unknown, max: number, rv: RoomVersion, errors: string[]): void {
  if (!Array.isArray(refs)) {
    errors.push(`${name} must be an array`);
    return;
  }
  if (refs.length > max) errors.push(`${name} has ${refs.length} entries, at most ${max} allowed`);
  for (const ref of refs as unknown[]) {
    if (rv.referencesAsPairs) {
      // v1/v2: lists of `[event_id, {sha256}]` pairs.
      if (!Array.isArray(ref) || ref.length !== 2 || typeof ref[0] !== 'string' || !isObject(ref[1])) {
        errors.push(`${name} entries must be [event_id, hashes] pairs`);
        return;
      }
      if (utf8Length(ref[0]) > MAX_ID_BYTES) errors.push(`${name} holds an event id over ${MAX_ID_BYTES} bytes`);
    } else {
      // v3+: plain lists of event ids.
      if (typeof ref !== 'string' || !ref.startsWith('$')) {
        errors.push(`${name} entries must be event ids`);
        return;
      }
      if (utf8Length(ref) > MAX_ID_BYTES) errors.push(`${name} holds an event id over ${MAX_ID_BYTES} bytes`);
    }
  }
}

function checkIdField(e: Record<string, unknown>, key: string, sigil: string | undefined, required: boolean, errors: string[]): void {
  const v = e[key];
  if (v === undefined) {
    if (required) errors.push(`${key} is required`);
    return;
  }
  if (typeof v !== 'string') {
    errors.push(`${key} must be a string`);
    return;
  }
  if (sigil !== undefined && !v.startsWith(sigil)) errors.push(`${key} must start with ${sigil}`);
  if (utf8Length(v) > MAX_ID_BYTES) errors.push(`${key} exceeds ${MAX_ID_BYTES} bytes`);
}

/**
 * Checks a PDU's shape for its room version: required keys and their types (pdu_v1/v3/v4/v6/v11/v12
 * schemas), the reference format, depth range, the 65536-byte limit on the whole event as canonical
 * JSON, the 255-byte limits on `sender`, `room_id`, `event_id`, `type` and `state_key`, and (v6+)
 * strict canonical JSON. It does not apply auth rules (e.g. v12 create events must not carry a room_id).
 *
 * @example validatePduFormat(pdu, '10') // { valid: true, errors: [] }
 */
export function validatePduFormat(event: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string): PduFormatCheck {
  const rv = resolveRoomVersion(roomVersion);
  const errors: string[] = [];
  if (!isObject(event)) return { valid: false, errors: ['event must be an object'] };
  const e = event as Record<string, unknown>;

  checkIdField(e, 'sender', '@', true, errors);
  // v12: the room id is omitted from m.room.create events; required everywhere else.
  const roomIdRequired = !(rv.roomIdFromCreateEvent && e['type'] === 'm.room.create');
  checkIdField(e, 'room_id', '!', roomIdRequired, errors);
  checkIdField(e, 'type', undefined, true, errors);
  checkIdField(e, 'state_key', undefined, false, errors);
  if (rv.eventIdFormat === 'v1') {
    checkIdField(e, 'event_id', '$', true, errors);
    if (typeof e['event_id'] === 'string' && !EVENT_ID_V1.test(e['event_id'])) errors.push('event_id must be $opaque_id:domain');
  }

  const ts = e['origin_server_ts'];
  if (typeof ts !== 'number' || !Number.isInteger(ts)) errors.push('origin_server_ts must be an integer');
  if (!isObject(e['content'])) errors.push('content must be an object');
  const depth = e['depth'];
  const maxDepth = rv.strictCanonicalJson ? Number.MAX_SAFE_INTEGER : V1_V3_DEPTH_MAX;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0 || depth > maxDepth) {
    errors.push('depth must be a non-negative integer within range');
  }
  const hashes = e['hashes'];
  if (!isObject(hashes) || typeof hashes['sha256'] !== 'string') errors.push('hashes.sha256 is required');
  const signatures = e['signatures'];
  if (!isObject(signatures) || !Object.values(signatures).every((s) => isObject(s) && Object.values(s).every((v) => typeof v === 'string'))) {
    errors.push('signatures must map server names to key ids to strings');
  }
  if (e['unsigned'] !== undefined && !isObject(e['unsigned'])) errors.push('unsigned must be an object');
  checkReferences('prev_events', e['prev_events'], MAX_PREV_EVENTS, rv, errors);
  checkReferences('auth_events', e['auth_events'], MAX_AUTH_EVENTS, rv, errors);

  // Size limit over the federation format (including signatures), and v6+ strict canonical JSON.
  try {
    const omit = rv.eventIdFormat === 'v1' ? undefined : new Set(['event_id']);
    const size = utf8Length(canonicalJson(e, { lenientNumbers: !rv.strictCanonicalJson, omitTopLevel: omit }));
    if (size > MAX_PDU_BYTES) errors.push(`event is ${size} bytes as canonical JSON, at most ${MAX_PDU_BYTES} allowed`);
  } catch (err) {
    errors.push(`not canonical JSON: ${(err as Error).message}`);
  }
  return { valid: errors.length === 0, errors };
}
