/** Content hashes and reference hashes of events (server-server §"Calculating the content hash / reference hash"). */
import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';
import { encodeBase64 } from './base64.js';
import { canonicalJson, type CanonicalJsonOptions } from './canonical-json.js';
import { redact } from './redaction.js';
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import type { Pdu } from './types.js';

const CONTENT_OMIT: ReadonlySet<string> = new Set(['unsigned', 'signatures', 'hashes']);
const CONTENT_OMIT_V3: ReadonlySet<string> = new Set(['unsigned', 'signatures', 'hashes', 'event_id']);
const REFERENCE_OMIT: ReadonlySet<string> = new Set(['signatures', 'unsigned', 'age_ts']);
const REFERENCE_OMIT_V3: ReadonlySet<string> = new Set(['signatures', 'unsigned', 'age_ts', 'event_id']);

/**
 * How numbers are checked for a room version: v6+ enforce canonical JSON strictly, v1–v5 are lenient.
 * @example canonicalOptionsFor('5') // { lenientNumbers: true }
 */
export function canonicalOptionsFor(roomVersion: RoomVersion | string): CanonicalJsonOptions {
  return { lenientNumbers: !resolveRoomVersion(roomVersion).strictCanonicalJson };
}

/**
 * The keys left out of hashed and signed JSON for a room version. In v3+ the event id is derived from
 * the event, so a locally attached `event_id` is never part of the federation format and is ignored.
 * @example omittedKeys(resolveRoomVersion('10'), 'content').has('event_id') // true
 */
export function omittedKeys(rv: RoomVersion, kind: 'content' | 'reference'): ReadonlySet<string> {
  const v3 = rv.eventIdFormat !== 'v1';
  if (kind === 'content') return v3 ? CONTENT_OMIT_V3 : CONTENT_OMIT;
  return v3 ? REFERENCE_OMIT_V3 : REFERENCE_OMIT;
}

/** One-shot `crypto.hash` (Node ≥ 20.12) is cheaper than a Hash object per call; older Node 20 lacks it. */
const oneShotHash = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;

/**
 * SHA-256 of bytes, or of a string's UTF-8 bytes.
 * @example sha256Digest('{}').toString('hex') // '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
 */
export function sha256Digest(data: string | Uint8Array): Buffer {
  if (oneShotHash !== undefined) return oneShotHash('sha256', data, 'buffer');
  return nodeCrypto.createHash('sha256').update(data).digest();
}

/**
 * SHA-256 as unpadded base64, the form of `hashes.sha256`. Encoded by the hash call itself: no Buffer for the digest.
 * @example sha256Base64('{}') // 'RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o'
 */
export function sha256Base64(data: string | Uint8Array): string {
  // 32 bytes are 44 base64 characters, the last of them one `=` of padding.
  if (oneShotHash !== undefined) return oneShotHash('sha256', data, 'base64').slice(0, 43);
  return encodeBase64(nodeCrypto.createHash('sha256').update(data).digest());
}

/**
 * Raw SHA-256 content hash: canonical JSON of the event without `unsigned`, `signatures` and `hashes`.
 * With a room version, numbers follow that version's strictness and (v3+) `event_id` is ignored;
 * without one, the encoding is strict and only those three keys are dropped.
 * @example contentHashBytes(event).length // 32
 */
export function contentHashBytes(event: Pdu | Record<string, unknown>, roomVersion?: RoomVersion | string): Buffer {
  if (roomVersion === undefined) return sha256Digest(canonicalJson(event, { omitTopLevel: CONTENT_OMIT }));
  const rv = resolveRoomVersion(roomVersion);
  return sha256Digest(canonicalJson(event, { lenientNumbers: !rv.strictCanonicalJson, omitTopLevel: omittedKeys(rv, 'content') }));
}

/**
 * The content hash as stored in `hashes.sha256`: unpadded base64 of `contentHashBytes`.
 * @example contentHash(minimalEvent) // '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos' (spec test vector)
 */
export function contentHash(event: Pdu | Record<string, unknown>, roomVersion?: RoomVersion | string): string {
  return encodeBase64(contentHashBytes(event, roomVersion));
}

/**
 * Raw SHA-256 reference hash: of the redacted event without `signatures` and `unsigned`, as canonical JSON.
 * @example referenceHashBytes(event, '10').length // 32
 */
export function referenceHashBytes(event: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string): Buffer {
  const rv = resolveRoomVersion(roomVersion);
  // 1. The event is put through the redaction algorithm.
  const redacted = redact(event, rv);
  // 2. `signatures` and `unsigned` are removed; 3. canonical JSON; 4. sha256.
  return sha256Digest(canonicalJson(redacted, { lenientNumbers: !rv.strictCanonicalJson, omitTopLevel: omittedKeys(rv, 'reference') }));
}

/**
 * The reference hash as standard unpadded base64 (the form v1/v2 `prev_events` pairs carry; event ids
 * use `computeEventId`).
 * @example referenceHash(event, '3') // e.g. 'CD66HAED5npg6074c6pDtLKalHjVfYb2q4Q3LZgrW6o'
 */
export function referenceHash(event: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string): string {
  return encodeBase64(referenceHashBytes(event, roomVersion));
}
