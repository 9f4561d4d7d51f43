/** Hashing, signing and verifying whole PDUs (server-server §"Signing Events" and §"Validating hashes and signatures"). */
import { Buffer } from 'node:buffer';
import { KeyObject } from 'node:crypto';
import { decodeBase64, encodeBase64, encodeBase64Url } from './base64.js';
import { createCanonicalMemo } from './canonical-json.js';
import { omittedKeys, sha256Base64, sha256Digest } from './hashes.js';
import { redact } from './redaction.js';
import { resolveRoomVersion, type RoomVersion } from './room-versions.js';
import {
  checkEntitySignatures, createSigner, createVerifyKeyCache, type Signer, type VerifyKey, type VerifyKeyCache,
} from './signing.js';
import type { Pdu, Signatures } from './types.js';

/** A server's verification key as the key store knows it; `validUntilTs` is its `valid_until_ts` (or `expired_ts`). */
export interface ServerVerifyKey {
  key: VerifyKey;
  validUntilTs?: number;
}

/** Finds the verification key `keyId` of `serverName`; undefined when it is not known. */
export type ServerKeyLookup = (serverName: string, keyId: string) => VerifyKey | ServerVerifyKey | undefined;

export interface VerifyEventOptions {
  /** KeyObject cache to reuse across calls (a `createEventVerifier` keeps its own). */
  keyCache?: VerifyKeyCache;
}

/**
 * The outcome of the signature and hash checks on a received PDU.
 * - `signatureValid: false`: the event fails "Passes signature checks" and is dropped (never persisted,
 *   never redacted-and-kept: it is rejected outright).
 * - `signatureValid: true, hashValid: false`: the event "is redacted before being processed further";
 *   use `redacted` instead of the event received.
 */
export interface EventVerification {
  /** Both checks passed. */
  ok: boolean;
  signatureValid: boolean;
  hashValid: boolean;
  /** Servers whose required signature was missing or wrong. */
  failed?: string[];
  /** Human-readable reasons, one per failure. */
  reasons?: string[];
  /** The redacted event, present when the hash check failed and the redacted copy must be used. */
  redacted?: Pdu;
  /** The event id: computed from the signed bytes for v3+, carried for v1/v2 (when present). */
  eventId?: string;
}

function serverNameOf(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const i = id.indexOf(':');
  return i > 0 && i < id.length - 1 ? id.slice(i + 1) : undefined;
}

function addServerOf(servers: string[], id: unknown, what: string): void {
  const server = serverNameOf(id);
  if (server === undefined) throw new TypeError(`malformed ${what}: ${String(id)}`);
  if (!servers.includes(server)) servers.push(server);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The servers whose signatures a PDU needs (server-server §"Validating hashes and signatures"):
 * the sender's server, except for an invite made from a third-party invite; for v1/v2 also the server
 * of the event id; for v8+ restricted joins also the server of `join_authorised_via_users_server`.
 * Throws `TypeError` when an id that names a required server is malformed.
 * @example requiredSignatureServers({ sender: '@a:x', event_id: '$1:y', ... }, '1') // ['x', 'y']
 */
export function requiredSignatureServers(event: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string): string[] {
  const rv = resolveRoomVersion(roomVersion);
  const e = event as Record<string, unknown>;
  const content = isObject(e['content']) ? e['content'] : {};
  const servers: string[] = [];
  const isMember = e['type'] === 'm.room.member';
  // "unless the event is a 3rd party invite, only the signature(s) from the originating server are required"
  const thirdPartyInvite = isMember && content['membership'] === 'invite' && 'third_party_invite' in content;
  if (!thirdPartyInvite) addServerOf(servers, e['sender'], 'sender');
  // "Room versions 1 and 2 also require that a signature is present from the domain in the event_id."
  if (rv.eventIdFormat === 'v1') addServerOf(servers, e['event_id'], 'event_id');
  // v8+ auth rules: a join with `join_authorised_via_users_server` must be signed by that user's server.
  if (rv.restrictedJoins && isMember && content['membership'] === 'join' && 'join_authorised_via_users_server' in content) {
    addServerOf(servers, content['join_authorised_via_users_server'], 'join_authorised_via_users_server');
  }
  return servers;
}

function checkHash(event: Record<string, unknown>, actual: Buffer): boolean {
  const hashes = event['hashes'];
  const expected = isObject(hashes) ? hashes['sha256'] : undefined;
  if (typeof expected !== 'string') return false;
  let given: Uint8Array;
  try {
    given = decodeBase64(expected);
  } catch {
    return false;
  }
  return Buffer.from(given.buffer, given.byteOffset, given.byteLength).equals(actual);
}

function verifyWithCache(event: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string, lookup: ServerKeyLookup, cache: VerifyKeyCache): EventVerification {
  const rv = resolveRoomVersion(roomVersion);
  const e = event as Record<string, unknown>;
  let redacted: Pdu;
  let signed: string;
  let servers: string[];
  let actualHash: Buffer;
  try {
    // "The event is redacted following the redaction algorithm" and checked without signatures/unsigned.
    redacted = redact(e, rv);
    // The redacted copy shares most members with the event: the memo encodes each of them once.
    const memo = createCanonicalMemo(e, { lenientNumbers: !rv.strictCanonicalJson });
    signed = memo.encode(redacted, omittedKeys(rv, 'reference'));
    // v6+: an event that is not canonical JSON anywhere (even in redactable content) is invalid and dropped.
    actualHash = sha256Digest(memo.encode(e, omittedKeys(rv, 'content')));
    servers = requiredSignatureServers(e, rv);
  } catch (err) {
    return { ok: false, signatureValid: false, hashValid: false, reasons: [(err as Error).message] };
  }
  const bytes = Buffer.from(signed, 'utf8');
  const ts = typeof e['origin_server_ts'] === 'number' ? e['origin_server_ts'] : 0;
  const failed: string[] = [];
  const reasons: string[] = [];
  for (const server of servers) {
    const check = checkEntitySignatures(bytes, e['signatures'], server, (keyId) => {
      const found = lookup(server, keyId);
      if (found === undefined) return undefined;
      if (found instanceof Uint8Array || found instanceof KeyObject) return cache.keyObject(found);
      // v5+: "the valid_until_ts ... is at least as large as the origin_server_ts"; an expired key is skipped.
      if (rv.enforceKeyValidity && found.validUntilTs !== undefined && found.validUntilTs < ts) return undefined;
      return cache.keyObject(found.key);
    });
    if (!check.ok) {
      failed.push(server);
      reasons.push(check.reason ?? `signature check failed for ${server}`);
    }
  }
  const signatureValid = failed.length === 0;
  const hashValid = checkHash(e, actualHash);
  if (!hashValid) reasons.push('content hash mismatch');
  const result: EventVerification = { ok: signatureValid && hashValid, signatureValid, hashValid };
  if (failed.length > 0) result.failed = failed;
  if (reasons.length > 0) result.reasons = reasons;
  if (signatureValid && !hashValid) result.redacted = redacted;
  // The signed bytes are exactly the reference hash input, so the v3+ event id costs one sha256.
  if (rv.eventIdFormat === 'v1') {
    if (typeof e['event_id'] === 'string') result.eventId = e['event_id'];
  } else {
    const hash = sha256Digest(bytes);
    result.eventId = '$' + (rv.eventIdFormat === 'v3' ? encodeBase64(hash) : encodeBase64Url(hash));
  }
  return result;
}

/**
 * Checks a received PDU's signatures, then its content hash. Signatures are checked on the redacted
 * event, for every required server (`requiredSignatureServers`); keys the lookup does not know are
 * skipped, every known ed25519 key of a required server must verify, and at least one must be known.
 * For v5+ a key whose `validUntilTs` is before the event's `origin_server_ts` is skipped.
 *
 * A hash mismatch means: redact the event and keep going (`result.redacted`). A bad or missing
 * signature means: drop the event.
 *
 * @example
 * const r = verifyEvent(pdu, '10', (server, keyId) => keyStore.get(server, keyId));
 * if (!r.signatureValid) drop(); else persist(r.hashValid ? pdu : r.redacted);
 */
export function verifyEvent(
  event: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string, lookup: ServerKeyLookup, opts: VerifyEventOptions = {},
): EventVerification {
  return verifyWithCache(event, roomVersion, lookup, opts.keyCache ?? createVerifyKeyCache(64));
}

/** A reusable verifier: one lookup, one KeyObject cache. */
export interface EventVerifier {
  verify(event: Pdu | Record<string, unknown>, roomVersion: RoomVersion | string): EventVerification;
}

/**
 * Builds a verifier that keeps KeyObjects across events: the hot path for joins and backfill.
 * @example const verifier = createEventVerifier(lookup); for (const pdu of pdus) verifier.verify(pdu, '10');
 */
export function createEventVerifier(lookup: ServerKeyLookup, opts: VerifyEventOptions = {}): EventVerifier {
  const cache = opts.keyCache ?? createVerifyKeyCache();
  return { verify: (event, roomVersion) => verifyWithCache(event, roomVersion, lookup, cache) };
}

/**
 * Adds `hashes.sha256` (the content hash) and this server's signature over the redacted event, per
 * §"Adding hashes and signatures to outgoing events". Returns a copy; existing signatures are kept.
 * @example const signed = signEvent(pdu, '10', 'example.org', 'ed25519:1', seed);
 */
export function signEvent<T extends Pdu | Record<string, unknown>>(
  event: T, roomVersion: RoomVersion | string, serverName: string, keyId: string, key: Uint8Array | Signer,
): T & { hashes: { sha256: string }; signatures: Signatures } {
  if (!keyId.startsWith('ed25519:')) throw new RangeError(`unsupported signing algorithm in ${keyId}`);
  const rv = resolveRoomVersion(roomVersion);
  const signer = key instanceof Uint8Array ? createSigner(key) : key;
  const e = event as Record<string, unknown>;
  // The content hash is calculated first and stored under `hashes.sha256`.
  const memo = createCanonicalMemo(e, { lenientNumbers: !rv.strictCanonicalJson });
  const oldHashes = isObject(e['hashes']) ? e['hashes'] : {};
  const hashes = { ...oldHashes, sha256: sha256Base64(memo.encode(e, omittedKeys(rv, 'content'))) };
  const withHash = { ...e, hashes };
  // The event object is then redacted, and signed as described in Signing JSON.
  const signed = memo.encode(redact(withHash, rv), omittedKeys(rv, 'reference'));
  const signature = encodeBase64(signer.sign(Buffer.from(signed, 'utf8')));
  // The signature is then copied back to the original event object.
  const old = (isObject(e['signatures']) ? e['signatures'] : {}) as Signatures;
  const signatures: Signatures = { ...old, [serverName]: { ...old[serverName], [keyId]: signature } };
  return { ...withHash, signatures } as unknown as T & { hashes: { sha256: string }; signatures: Signatures };
}

/** Signs events as one server with one key, building the private KeyObject once. */
export interface EventSigner {
  readonly serverName: string;
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  sign<T extends Pdu | Record<string, unknown>>(event: T, roomVersion: RoomVersion | string): T & { hashes: { sha256: string }; signatures: Signatures };
  /** Signs already-encoded bytes, returning the unpadded base64 signature. */
  signBytes(bytes: Uint8Array): string;
  /** The same, on libuv's thread pool instead of the calling thread. */
  signBytesAsync(bytes: Uint8Array): Promise<string>;
}

/**
 * Builds an event signer for this server's key.
 * @example const signer = createEventSigner('example.org', 'ed25519:a_1', seed); signer.sign(pdu, '10');
 */
export function createEventSigner(serverName: string, keyId: string, seed: Uint8Array): EventSigner {
  const signer = createSigner(seed);
  return {
    serverName, keyId, publicKey: signer.publicKey,
    sign: (event, roomVersion) => signEvent(event, roomVersion, serverName, keyId, signer),
    signBytes: (bytes) => encodeBase64(signer.sign(bytes)),
    signBytesAsync: async (bytes) => encodeBase64(await signer.signAsync(bytes)),
  };
}

/**
 * Prepares an event for signing: adds `hashes.sha256` and returns the bytes to sign (the redacted event without
 * `signatures` and `unsigned`) with their SHA-256, which is the event's reference hash, and the canonical JSON the
 * content hash covers (`contentJson`). Signing can then happen
 * elsewhere (another thread) while the event id is already known.
 * @example const p = prepareEventSigning(pdu, '10'); const id = '$' + encodeBase64Url(p.referenceHash);
 */
export function prepareEventSigning<T extends Pdu | Record<string, unknown>>(
  event: T, roomVersion: RoomVersion | string,
): { withHash: T & { hashes: { sha256: string } }; bytes: Buffer; referenceHash: Buffer; contentJson: string } {
  const rv = resolveRoomVersion(roomVersion);
  const e = event as Record<string, unknown>;
  const memo = createCanonicalMemo(e, { lenientNumbers: !rv.strictCanonicalJson });
  const oldHashes = isObject(e['hashes']) ? e['hashes'] : {};
  // Hashed straight from the string (UTF-8 inside the hash call): only its length is needed besides.
  const content = memo.encode(e, omittedKeys(rv, 'content'));
  const hashes = { ...oldHashes, sha256: sha256Base64(content) };
  const withHash = { ...e, hashes } as T & { hashes: { sha256: string } };
  const bytes = Buffer.from(memo.encode(redact(withHash, rv) as Record<string, unknown>, omittedKeys(rv, 'reference')), 'utf8');
  return { withHash, bytes, referenceHash: sha256Digest(bytes), contentJson: content };
}

/**
 * Adds one server's signature (unpadded base64) to an event, keeping the signatures it has.
 * @example withSignature(p.withHash, 'hub.example', 'ed25519:a_1', signatureB64)
 */
export function withSignature<T extends Record<string, unknown>>(event: T, serverName: string, keyId: string, signature: string): T & { signatures: Signatures } {
  const old = (isObject(event['signatures']) ? event['signatures'] : {}) as Signatures;
  return { ...event, signatures: { ...old, [serverName]: { ...old[serverName], [keyId]: signature } } };
}

/**
 * Signs an event and returns its reference hash too, from one encoding: the bytes signed (the redacted event
 * without `signatures` and `unsigned`) are exactly the bytes the reference hash is taken over, so an event id
 * costs no second redaction and canonical JSON.
 * @example const { signed, referenceHash } = signEventWithReference(pdu, '10', signer); '$' + encodeBase64Url(referenceHash)
 */
export function signEventWithReference<T extends Pdu | Record<string, unknown>>(
  event: T, roomVersion: RoomVersion | string, signer: EventSigner,
): { signed: T & { hashes: { sha256: string }; signatures: Signatures }; referenceHash: Buffer } {
  const p = prepareEventSigning(event, roomVersion);
  const signed = withSignature(p.withHash as Record<string, unknown>, signer.serverName, signer.keyId, signer.signBytes(p.bytes));
  return { signed: signed as unknown as T & { hashes: { sha256: string }; signatures: Signatures }, referenceHash: p.referenceHash };
}
