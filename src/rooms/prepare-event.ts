/** One step of the writer: build a PDU on a live room, check the auth rules, and derive what to persist (no I/O but loads). */
import { checkAuth } from '../events/auth-rules.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { RoomVersion } from '../events/room-versions.js';
import { stateMapKey } from '../events/state-map.js';
import { MatrixError, forbidden } from '../http/errors.js';
import type { PersistEvent, StoredEvent } from '../storage/room-types.js';
import { buildEvent, neededAuthKeys, wireFormat, type BuildInput, type BuiltPdu } from './event-builder.js';
import { MAX_STATE_CHAIN } from './event-reader.js';

/** Largest PDU, in bytes of canonical JSON (spec: "Size limits"). */
export const MAX_EVENT_BYTES = 65536;
/** At most this many prev_events (spec: PDU limits). */
const MAX_PREV = 10;

/** A room as the writer sees it: version, current state, current state group and forward extremities. */
export interface LiveRoom {
  roomId: string;
  rv: RoomVersion;
  state: Map<string, string>;
  stateGroup: number | null;
  chainLen: number;
  extremities: string[];
}

export interface PrepareContext {
  serverName: string;
  /** What this server's `hashes` and `signatures` add to an event's size: `signedEventOverhead`, worked out once. */
  signedOverhead: number;
  now: number;
  getEvents(ids: readonly string[]): Promise<Map<string, StoredEvent>>;
  nextStreamOrdering(): number;
  nextStateGroup(): number;
}

export interface Prepared {
  record: PersistEvent;
  /** The bytes the server's signature must cover; `sign` adds it to the PDU in place. */
  toSign: Buffer;
  /** The canonical JSON the content hash covered: the stored JSON is built from it once the event is signed. */
  contentJson: string;
  /** Members of the PDU that `contentJson` lacks besides `hashes` and `signatures` (`event_id`, `unsigned`, …). */
  added: string[];
  stored: StoredEvent;
  /** The live room after the event (the caller installs it once the event commits). */
  after: LiveRoom;
}

/** Builds and authorises one event against `room` (null for a room's create event). */
export async function prepareEvent(
  room: LiveRoom | null, rv: RoomVersion, input: BuildInput & { txn?: { deviceId: string; txnId: string } }, ctx: PrepareContext,
): Promise<Prepared> {
  const state = room?.state ?? new Map<string, string>();
  const prev = room ? [...(await ctx.getEvents(room.extremities.slice(-MAX_PREV))).values()] : [];
  const authKeys = neededAuthKeys(input, rv);
  const authIds = authKeys.map((k) => state.get(k)).filter((x): x is string => x !== undefined);
  const createId = state.get(stateMapKey('m.room.create', ''));
  const loaded = await ctx.getEvents(createId ? [...authIds, createId] : authIds);
  const { pdu, authEvents, toSign, contentJson, added } = buildEvent(input, { rv, serverName: ctx.serverName, now: ctx.now, prev, state, stateEvent: (id) => loaded.get(id), authKeys });
  // Size limits: the complete event in the federation format, signatures included, as canonical JSON. That is the
  // canonical JSON the content hash covered plus the `hashes` and `signatures` members this server adds.
  if (Buffer.byteLength(contentJson, 'utf8') + ctx.signedOverhead > MAX_EVENT_BYTES) {
    throw new MatrixError(413, 'M_TOO_LARGE', `Event is larger than ${MAX_EVENT_BYTES} bytes`);
  }
  // Room v12 does not list the create event in auth_events, but the rules still consult it.
  if (createId && loaded.get(createId)) authEvents.set(stateMapKey('m.room.create', ''), loaded.get(createId)!.pdu);
  // The auth rules see the event as it goes over the wire (v12 create events carry no room_id).
  const verdict = checkAuth(rv.roomIdFromCreateEvent && pdu.type === 'm.room.create' ? { ...wireFormat(pdu, rv), event_id: pdu.event_id } : pdu, authEvents, rv);
  if (!verdict.allowed) throw forbidden(verdict.reason ?? 'Event not allowed by the auth rules');

  const isState = typeof pdu.state_key === 'string';
  const key = isState ? stateMapKey(pdu.type, pdu.state_key as string) : '';
  const replaced = isState ? state.get(key) : undefined;
  if (replaced) {
    // Clients read a state change from unsigned.prev_content (not covered by hashes or signatures).
    const old = loaded.get(replaced) ?? (await ctx.getEvents([replaced])).get(replaced);
    added.push('unsigned');
    pdu.unsigned = { replaces_state: replaced, ...(old ? { prev_content: old.pdu.content, prev_sender: old.pdu.sender } : {}) };
  }
  const nextState = isState ? new Map(state).set(key, pdu.event_id) : state;
  const prevGroup = room?.stateGroup ?? null;
  let group: NonNullable<PersistEvent['stateGroup']>;
  if (!isState && prevGroup !== null) group = { id: prevGroup, prevGroup: null, chainLen: room!.chainLen, delta: [], isNew: false };
  else {
    // Past MAX_STATE_CHAIN deltas a group is stored whole, so reading any state costs a bounded number of queries.
    const full = prevGroup === null || (room?.chainLen ?? 0) + 1 >= MAX_STATE_CHAIN;
    const delta = full
      ? [...nextState].map(([k, id]) => { const i = k.indexOf('\u0000'); return { type: k.slice(0, i), stateKey: k.slice(i + 1), eventId: id }; })
      : [{ type: pdu.type, stateKey: pdu.state_key as string, eventId: pdu.event_id }];
    group = { id: ctx.nextStateGroup(), prevGroup: full ? null : prevGroup, chainLen: full ? 0 : room!.chainLen + 1, delta, isNew: true };
  }
  const streamOrdering = ctx.nextStreamOrdering();
  const txn = input.txn ? { userId: input.sender, deviceId: input.txn.deviceId, txnId: input.txn.txnId } : null;
  const record: PersistEvent = {
    event: pdu, streamOrdering, stateGroup: group,
    currentState: isState ? [{ type: pdu.type, stateKey: pdu.state_key as string, eventId: pdu.event_id }] : [],
    extremities: [pdu.event_id],
    txn: txn ? { ...txn, scope: 'send' } : undefined,
    relation: relationOf(pdu),
  };
  const stored: StoredEvent = { pdu, streamOrdering, stateGroup: group.id, rejected: null, redactedBy: null, txn };
  const after: LiveRoom = { roomId: pdu.room_id, rv, state: nextState, stateGroup: group.id, chainLen: group.chainLen, extremities: [pdu.event_id] };
  return { record, stored, after, toSign, contentJson, added };
}

/** `,"hashes":{"sha256":"…"}` (43 base64 characters) and `,"signatures":{…:{…:"…"}}` (ed25519: 86), less the two names. */
const ADDED_FIXED = `,"hashes":{"sha256":"${'x'.repeat(43)}"},"signatures":{:{:"${'x'.repeat(86)}"}}`.length;

/** Bytes the `hashes` and `signatures` members add to the canonical JSON of an event this server signs. */
export function signedEventOverhead(serverName: string, keyId: string): number {
  return ADDED_FIXED + Buffer.byteLength(canonicalJson(serverName)) + Buffer.byteLength(canonicalJson(keyId));
}

/**
 * Adds this server's signature to a prepared event (the PDU object is shared by the record and the stored event), and
 * gives the record its stored JSON: the canonical JSON the content hash covered, with the members that encoding
 * leaves out appended. JSON does not care about member order, and this saves a JSON.stringify of the whole event.
 */
export function attachSignature(p: Prepared, serverName: string, keyId: string, signature: string): void {
  const pdu = p.stored.pdu as Record<string, unknown>;
  pdu.signatures = { [serverName]: { [keyId]: signature } };
  let tail = ',"hashes":' + JSON.stringify(pdu.hashes) + ',"signatures":' + JSON.stringify(pdu.signatures);
  for (const key of p.added) tail += ',"' + key + '":' + JSON.stringify(pdu[key]);
  // An event always has members, so the encoding ends in `…}` after at least one of them.
  p.record.json = p.contentJson.slice(0, -1) + tail + '}';
}

/** `m.relates_to` of an event, for the relations index (threads, edits, annotations, references). */
function relationOf(pdu: BuiltPdu): PersistEvent['relation'] {
  const rel = (pdu.content as { 'm.relates_to'?: { rel_type?: unknown; event_id?: unknown } })['m.relates_to'];
  if (!rel || typeof rel.rel_type !== 'string' || typeof rel.event_id !== 'string') return null;
  return { relType: rel.rel_type, relatesTo: rel.event_id, threadRoot: rel.rel_type === 'm.thread' ? rel.event_id : null };
}
