/** MSC3079 CBOR: the v1 integer key table (Appendix A) and the conversions JSON value ⇄ CBOR bytes with integer keys. */
import { Decoder, Encoder } from 'cbor-x';

/** Appendix A, version 1: string key → integer. Later versions only add keys. */
export const CBOR_KEYS_V1: Readonly<Record<string, number>> = Object.freeze({
  event_id: 1, type: 2, content: 3, state_key: 4, room_id: 5, sender: 6, user_id: 7, origin_server_ts: 8,
  unsigned: 9, prev_content: 10, state: 11, timeline: 12, events: 13, limited: 14, prev_batch: 15,
  transaction_id: 16, age: 17, redacted_because: 18, next_batch: 19, presence: 20, avatar_url: 21,
  account_data: 22, rooms: 23, join: 24, membership: 25, displayname: 26, body: 27, msgtype: 28, format: 29,
  formatted_body: 30, ephemeral: 31, invite_state: 32, leave: 33, third_party_invite: 34, is_direct: 35,
  hashes: 36, signatures: 37, depth: 38, prev_events: 39, prev_state: 40, auth_events: 41, origin: 42,
  creator: 43, join_rule: 44, history_visibility: 45, ban: 46, events_default: 47, kick: 48, redact: 49,
  state_default: 50, users: 51, users_default: 52, reason: 53, visibility: 54, room_alias_name: 55, name: 56,
  topic: 57, invite: 58, invite_3pid: 59, room_version: 60, creation_content: 61, initial_state: 62,
  preset: 63, servers: 64, identifier: 65, user: 66, medium: 67, address: 68, password: 69, token: 70,
  device_id: 71, initial_device_display_name: 72, access_token: 73, home_server: 74, well_known: 75,
  base_url: 76, device_lists: 77, to_device: 78, peek: 79, last_seen_ip: 80, display_name: 81, typing: 82,
  last_seen_ts: 83, algorithm: 84, sender_key: 85, session_id: 86, ciphertext: 87, one_time_keys: 88,
  timeout: 89, recent_rooms: 90, chunk: 91, 'm.fully_read': 92, device_keys: 93, failures: 94,
  device_display_name: 95, prev_sender: 96, replaces_state: 97, changed: 98, unstable_features: 99,
  versions: 100, devices: 101, errcode: 102, error: 103, room_alias: 104,
});

/** The table as maps both ways (maps, so keys such as `toString` or `__proto__` are never looked up on a prototype). */
const INTS_V1: ReadonlyMap<string, number> = new Map(Object.entries(CBOR_KEYS_V1));
const NAMES_V1: ReadonlyMap<number, string> = new Map(Object.entries(CBOR_KEYS_V1).map(([k, v]) => [v, k]));

/** The body could not be turned into JSON (not CBOR, several items, byte strings, tags, huge integers, ...). */
export class CborBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CborBodyError';
  }
}

// cbor-x: plain CBOR maps with integer keys (no records, no tag 259), maps decoded as Map so 8 and "8" stay apart.
// (`useTag259ForMaps` is read by cbor-x but missing from its typings.)
const encoder = new Encoder({ useRecords: false, variableMapSize: true, useTag259ForMaps: false } as ConstructorParameters<typeof Encoder>[0]);
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A JS number as CBOR wants it: integers beyond 32 bits as BigInt, or cbor-x would write them as doubles. */
function numberOut(n: number): number | bigint | null {
  if (!Number.isFinite(n)) return null; // as JSON.stringify does
  return Number.isInteger(n) && Math.abs(n) > 0xffffffff ? BigInt(n) : n;
}

/** Walks a value with JSON.stringify's semantics (toJSON, undefined dropped), mapping keys through `keys`. */
function toCborValue(v: unknown, keys: ReadonlyMap<string, number> | undefined): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(): unknown }).toJSON();
  switch (typeof v) {
    case 'string': case 'boolean': return v;
    case 'number': return numberOut(v);
    case 'bigint': return v;
    case 'object': break;
    default: return null;
  }
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((x) => { const y = toCborValue(x, keys); return y === undefined ? null : y; });
  const out = new Map<string | number, unknown>();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    out.set(keys?.get(k) ?? k, toCborValue(x, keys));
  }
  return out;
}

/** Decoded CBOR → JSON value: integer keys expanded (a string key wins over its integer twin), others rejected. */
function toJsonValue(v: unknown, names: ReadonlyMap<number, string> | undefined, depth: number): Json {
  if (depth > 100) throw new CborBodyError('CBOR nested too deeply');
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    // Floats are accepted wherever JSON accepts a number (integral ones then read as integers); NaN/∞ are not JSON.
    if (!Number.isFinite(v)) throw new CborBodyError('CBOR number is not finite');
    return v;
  }
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new CborBodyError('CBOR integer out of range');
    return Number(v);
  }
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, names, depth + 1));
  if (v instanceof Map) {
    const out = new Map<string, Json>();
    const strings: Array<[string, unknown]> = [];
    for (const [k, x] of v as Map<unknown, unknown>) {
      if (typeof k === 'string') strings.push([k, x]);
      else if (typeof k === 'number' && Number.isInteger(k)) out.set(names?.get(k) ?? String(k), toJsonValue(x, names, depth + 1));
      else if (typeof k === 'bigint') out.set(String(k), toJsonValue(x, names, depth + 1));
      // other key types (booleans, floats, byte strings) have no JSON form: dropped, as the reference codec does
    }
    // String keys last: "a string key wins over its integer twin"; "8" is never expanded.
    for (const [k, x] of strings) out.set(k, toJsonValue(x, names, depth + 1));
    return Object.fromEntries(out); // own data properties, as JSON.parse makes (also for "__proto__")
  }
  if (v === undefined) throw new CborBodyError('CBOR undefined has no JSON form');
  throw new CborBodyError('CBOR byte strings, tags and other non-JSON items are not accepted');
}

/** Orders a map's keys as canonical CBOR does (RFC 7049 §3.9: shorter encoding first, then bytewise). */
function canonicalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalise);
  if (!(v instanceof Map)) return v;
  const entries = [...v].map(([k, x]) => ({ k, x: canonicalise(x), bytes: Buffer.from(encoder.encode(k)) }));
  entries.sort((a, b) => a.bytes.length - b.bytes.length || Buffer.compare(a.bytes, b.bytes));
  return new Map(entries.map((e) => [e.k, e.x]));
}

export interface EncodeOptions {
  /** Use the v1 integer keys (default true); false writes plain string keys. */
  integerKeys?: boolean;
  /** Sort map keys canonically (deterministic bytes, e.g. for test vectors). */
  canonical?: boolean;
}

/**
 * A JSON value (what a route handler returns) as CBOR, keys replaced by their v1 integers.
 * @example encodeCbor({ type: 'm.room.message' }).toString('hex') // 'a1026e6d2e726f6f6d2e6d657373616765'
 */
export function encodeCbor(value: unknown, opts: EncodeOptions = {}): Buffer {
  let v = toCborValue(value, opts.integerKeys === false ? undefined : INTS_V1);
  if (opts.canonical) v = canonicalise(v);
  return Buffer.from(encoder.encode(v));
}

/**
 * CBOR bytes (one item) as a JSON value, v1 integer keys expanded; throws CborBodyError when that is impossible.
 * @example decodeCbor(Buffer.from('a1026e6d2e726f6f6d2e6d657373616765', 'hex')) // { type: 'm.room.message' }
 */
export function decodeCbor(bytes: Uint8Array, opts: { integerKeys?: boolean } = {}): unknown {
  let items: unknown[];
  try {
    items = decoder.decodeMultiple(bytes) as unknown[];
  } catch {
    throw new CborBodyError('Content not CBOR');
  }
  if (items.length !== 1) throw new CborBodyError('The body must be exactly one CBOR item');
  return toJsonValue(items[0], opts.integerKeys === false ? undefined : NAMES_V1, 0);
}
