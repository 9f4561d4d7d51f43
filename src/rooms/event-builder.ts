/** Builds a full PDU for a local event: prev/auth events, depth, origin, hashes, signature and event id, per the room version. */
import { randomBytes } from 'node:crypto';
import { getRoomVersion, type RoomVersion } from '../events/room-versions.js';
import { authTypesForEvent } from '../events/auth-events-selection.js';
import { encodeBase64, encodeBase64Url } from '../events/base64.js';
import { referenceHash } from '../events/hashes.js';
import { prepareEventSigning } from '../events/event-signing.js';
import { stateMapKey } from '../events/state-map.js';
import type { Pdu } from '../events/types.js';
import type { StoredEvent } from '../storage/room-types.js';

export interface BuildInput {
  roomId: string | null;
  sender: string;
  type: string;
  content: Record<string, unknown>;
  stateKey?: string;
  redacts?: string;
}

export interface BuildContext {
  rv: RoomVersion;
  serverName: string;
  now: number;
  /** The forward extremities to point at, already loaded. */
  prev: StoredEvent[];
  /** The room's current state (key -> id). */
  state: ReadonlyMap<string, string>;
  /** Loaded events for the ids of `state` that auth selection may pick. */
  stateEvent: (id: string) => StoredEvent | undefined;
  /** `neededAuthKeys(input, rv)`, when the caller has them already. */
  authKeys?: readonly string[];
}

export type BuiltPdu = Pdu & { event_id: string; room_id: string };

const ref = (rv: RoomVersion, e: StoredEvent): string | [string, Record<string, string>] =>
  rv.referencesAsPairs ? [e.pdu.event_id, { sha256: referenceHash(e.pdu, rv) }] : e.pdu.event_id;

/** The state keys whose events the auth selection needs for this event. */
export function neededAuthKeys(input: BuildInput, rv: RoomVersion): string[] {
  const draft = { type: input.type, sender: input.sender, content: input.content, state_key: input.stateKey } as Pdu;
  return authTypesForEvent(draft, rv).map((t) => stateMapKey(t.type, t.stateKey));
}

/** Builds and signs the PDU; also returns the auth events chosen, keyed by state key. */
export function buildEvent(input: BuildInput, ctx: BuildContext): { pdu: BuiltPdu; authEvents: Map<string, Pdu>; toSign: Buffer; contentJson: string; added: string[] } {
  const { rv } = ctx;
  const authEvents = new Map<string, Pdu>();
  const authRefs: Array<string | [string, Record<string, string>]> = [];
  for (const key of ctx.authKeys ?? neededAuthKeys(input, rv)) {
    const id = ctx.state.get(key);
    const e = id === undefined ? undefined : ctx.stateEvent(id);
    if (!e) continue;
    authEvents.set(key, e.pdu);
    authRefs.push(ref(rv, e));
  }
  const depth = ctx.prev.reduce((d, e) => Math.max(d, e.pdu.depth), 0) + 1;
  // Members in code point order: the canonical encoder finds them sorted and does not sort them again.
  const pdu: Record<string, unknown> = { auth_events: authRefs, content: input.content, depth: Math.min(depth, Number.MAX_SAFE_INTEGER) };
  if (rv.eventIdFormat === 'v1') pdu.event_id = `$${randomBytes(12).toString('base64url')}:${ctx.serverName}`;
  if (!rv.v11Redaction) pdu.origin = ctx.serverName;
  pdu.origin_server_ts = ctx.now;
  pdu.prev_events = ctx.prev.map((e) => ref(rv, e));
  if (input.redacts !== undefined && !rv.redactsInContent) pdu.redacts = input.redacts;
  if (!rv.roomIdFromCreateEvent || input.type !== 'm.room.create') pdu.room_id = input.roomId;
  pdu.sender = input.sender;
  if (input.stateKey !== undefined) pdu.state_key = input.stateKey;
  pdu.type = input.type;
  // Hashes now; the signature covers `bytes` and is added by the caller (possibly on another thread).
  const { withHash, bytes, referenceHash, contentJson } = prepareEventSigning(pdu as unknown as Pdu, rv);
  const eventId = rv.eventIdFormat === 'v1' ? (pdu.event_id as string) : '$' + (rv.eventIdFormat === 'v3' ? encodeBase64(referenceHash) : encodeBase64Url(referenceHash));
  const roomId = (withHash.room_id as string | undefined) ?? '!' + encodeBase64Url(referenceHash);
  // `added`: members of the returned PDU that the hashed object (and so `contentJson`) does not have.
  const added = rv.eventIdFormat === 'v1' ? [] : ['event_id'];
  if (withHash.room_id === undefined) added.push('room_id');
  return { pdu: { ...withHash, event_id: eventId, room_id: roomId } as BuiltPdu, authEvents, toSign: bytes, contentJson, added };
}

/**
 * The PDU as it goes over the wire and into the auth rules: without the locally attached `event_id` (v3+, where
 * the id is derived) and without `room_id` on a v12 create event (where the room id is derived from it).
 */
export function wireFormat(pdu: BuiltPdu | Pdu, rv: RoomVersion): Pdu {
  const stripId = rv.eventIdFormat !== 'v1';
  const stripRoom = rv.roomIdFromCreateEvent && pdu.type === 'm.room.create';
  if (!stripId && !stripRoom) return pdu;
  const { event_id: _id, room_id: _room, ...rest } = pdu;
  return { ...rest, ...(stripId ? {} : { event_id: _id }), ...(stripRoom ? {} : { room_id: _room }) } as Pdu;
}

export function roomVersionOf(id: string): RoomVersion {
  const rv = getRoomVersion(id);
  if (!rv) throw new Error(`unknown room version ${id}`);
  return rv;
}
