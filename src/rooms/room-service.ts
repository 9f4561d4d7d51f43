/** The room service: the one writer of room events. Builds full PDUs, checks the auth rules, persists with state, notifies. */
import { checkAuth } from '../events/auth-rules.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { EventSigner } from '../events/event-signing.js';
import type { RoomVersion } from '../events/room-versions.js';
import { stateMapKey } from '../events/state-map.js';
import type { Pdu } from '../events/types.js';
import { MatrixError, forbidden } from '../http/errors.js';
import type { Logger } from '../log.js';
import type { StoredEvent, Store } from '../storage/index.js';
import type { Notifier } from '../sync/notifier.js';
import { buildEvent, neededAuthKeys, roomVersionOf, type BuildInput, type BuiltPdu } from './event-builder.js';
import type { EventReader } from './event-reader.js';
import { MAX_STATE_CHAIN } from './event-reader.js';
import { Mutex } from './mutex.js';

export interface SendInput extends BuildInput {
  roomId: string;
  /** The sending device's transaction: a retry with the same id returns the first event. */
  txn?: { deviceId: string; txnId: string };
}

export interface SendResult {
  eventId: string;
  streamOrdering: number;
  pdu: BuiltPdu;
}

/** A room as the writer sees it: version, current state, current state group and forward extremities. */
interface LiveRoom {
  roomId: string;
  rv: RoomVersion;
  state: Map<string, string>;
  stateGroup: number | null;
  chainLen: number;
  extremities: string[];
}

export interface RoomServiceDeps {
  store: Store;
  reader: EventReader;
  signer: EventSigner;
  serverName: string;
  notifier: Notifier;
  now: () => number;
  log: Logger;
}

/** Largest PDU, in bytes of canonical JSON (spec: "Size limits"). */
export const MAX_EVENT_BYTES = 65536;
/** At most this many prev_events (spec: PDU limits). */
const MAX_PREV = 10;

export async function createRoomService(deps: RoomServiceDeps) {
  const { store, reader, signer, serverName, notifier, now, log } = deps;
  const writer = new Mutex();
  const live = new Map<string, LiveRoom>();
  const ids = await store.rooms.maxIds();
  let streamOrdering = ids.streamOrdering;
  let stateGroupId = ids.stateGroup;

  async function loadRoom(roomId: string): Promise<LiveRoom | undefined> {
    const hit = live.get(roomId);
    if (hit) return hit;
    const room = await store.rooms.getRoom(roomId);
    if (!room) return undefined;
    const extremities = await store.rooms.getForwardExtremities(roomId);
    const state = new Map((await store.rooms.getCurrentState(roomId)).map((s) => [stateMapKey(s.type, s.stateKey), s.eventId]));
    let stateGroup: number | null = null;
    let chainLen = 0;
    for (const e of (await reader.getEvents(extremities)).values()) {
      if (e.stateGroup !== null && (stateGroup === null || e.stateGroup > stateGroup)) stateGroup = e.stateGroup;
    }
    if (stateGroup !== null) chainLen = (await store.rooms.getStateGroup(stateGroup))?.chainLen ?? 0;
    const lr: LiveRoom = { roomId, rv: roomVersionOf(room.roomVersion), state, stateGroup, chainLen, extremities };
    live.set(roomId, lr);
    return lr;
  }

  /** Builds, authorises and persists one event. Must run inside the writer. */
  async function sendLocked(room: LiveRoom | null, input: SendInput, userTxn: SendInput['txn'], rvForCreate?: RoomVersion): Promise<SendResult> {
    const rv = room?.rv ?? rvForCreate!;
    const state = room?.state ?? new Map<string, string>();
    const prev = room ? [...(await reader.getEvents(room.extremities.slice(-MAX_PREV))).values()] : [];
    const authIds = neededAuthKeys(input, rv).map((k) => state.get(k)).filter((x): x is string => x !== undefined);
    const createId = state.get(stateMapKey('m.room.create', ''));
    const loaded = await reader.getEvents(createId ? [...authIds, createId] : authIds);
    const { pdu, authEvents } = buildEvent(input, { rv, serverName, signer, now: now(), prev, state, stateEvent: (id) => loaded.get(id) });
    if (Buffer.byteLength(canonicalJson(pdu, { lenientNumbers: !rv.strictCanonicalJson })) > MAX_EVENT_BYTES) {
      throw new MatrixError(413, 'M_TOO_LARGE', `Event is larger than ${MAX_EVENT_BYTES} bytes`);
    }
    // Room v12 does not list the create event in auth_events, but the rules still consult it.
    if (createId && loaded.get(createId)) authEvents.set(stateMapKey('m.room.create', ''), loaded.get(createId)!.pdu);
    const verdict = checkAuth(pdu as Pdu, authEvents, rv);
    if (!verdict.allowed) throw forbidden(verdict.reason ?? 'Event not allowed by the auth rules');

    const isState = typeof pdu.state_key === 'string';
    const key = isState ? stateMapKey(pdu.type, pdu.state_key as string) : '';
    const replaced = isState ? state.get(key) : undefined;
    if (replaced) {
      // Clients read a state change from unsigned.prev_content (not covered by hashes or signatures).
      const old = loaded.get(replaced) ?? (await reader.getEvent(replaced));
      pdu.unsigned = { replaces_state: replaced, ...(old ? { prev_content: old.pdu.content, prev_sender: old.pdu.sender } : {}) };
    }
    const nextState = isState ? new Map(state).set(key, pdu.event_id) : state;
    let group: NonNullable<Parameters<Store['rooms']['persistEvent']>[0]['stateGroup']> | null;
    const prevGroup = room?.stateGroup ?? null;
    if (!isState && prevGroup !== null) group = { id: prevGroup, prevGroup: null, chainLen: room!.chainLen, delta: [], isNew: false };
    else {
      const full = prevGroup === null || (room?.chainLen ?? 0) + 1 >= MAX_STATE_CHAIN;
      const entries = full
        ? [...nextState].map(([k, id]) => { const i = k.indexOf('\u0000'); return { type: k.slice(0, i), stateKey: k.slice(i + 1), eventId: id }; })
        : [{ type: pdu.type, stateKey: pdu.state_key as string, eventId: pdu.event_id }];
      group = { id: ++stateGroupId, prevGroup: full ? null : prevGroup, chainLen: full ? 0 : room!.chainLen + 1, delta: entries, isNew: true };
    }
    const relation = relationOf(pdu);
    const so = ++streamOrdering;
    try {
      await store.rooms.persistEvent({
        event: pdu, streamOrdering: so, stateGroup: group,
        currentState: isState ? [{ type: pdu.type, stateKey: pdu.state_key as string, eventId: pdu.event_id }] : [],
        extremities: [pdu.event_id],
        txn: userTxn ? { userId: input.sender, deviceId: userTxn.deviceId, txnId: userTxn.txnId, scope: 'send' } : undefined,
        relation,
      });
    } catch (err) {
      streamOrdering--;
      if (group.isNew) stateGroupId--;
      throw err;
    }
    const stored: StoredEvent = {
      pdu, streamOrdering: so, stateGroup: group.id, rejected: null, redactedBy: null,
      txn: userTxn ? { userId: input.sender, deviceId: userTxn.deviceId, txnId: userTxn.txnId } : null,
    };
    reader.remember(stored, nextState);
    const target = room ?? { roomId: pdu.room_id, rv, state: new Map(), stateGroup: null, chainLen: 0, extremities: [] };
    target.state = nextState;
    target.stateGroup = group.id;
    target.chainLen = group.chainLen;
    target.extremities = [pdu.event_id];
    if (!room) live.set(pdu.room_id, target);
    notifier.roomEvent({ roomId: pdu.room_id, streamOrdering: so, event: pdu });
    return { eventId: pdu.event_id, streamOrdering: so, pdu };
  }

  return {
    /** Sends one event into an existing room as a local user (client, device or server). */
    send(input: SendInput): Promise<SendResult> {
      return writer.run(async () => {
        if (input.txn) {
          const prior = await store.rooms.getTxn(input.sender, input.txn.deviceId, 'send', input.txn.txnId);
          if (prior) {
            const e = await reader.getEvent(prior);
            if (e) return { eventId: prior, streamOrdering: e.streamOrdering, pdu: e.pdu as BuiltPdu };
          }
        }
        const room = await loadRoom(input.roomId);
        if (!room) throw new MatrixError(404, 'M_NOT_FOUND', 'Unknown room');
        return sendLocked(room, input, input.txn);
      });
    },
    /** Creates a room: persists the room record and its m.room.create event, returning the room id. */
    createRoomWithCreateEvent(creator: string, rv: RoomVersion, content: Record<string, unknown>, roomIdHint: string | null): Promise<SendResult> {
      return writer.run(async () => {
        const input: SendInput = { roomId: roomIdHint ?? '', sender: creator, type: 'm.room.create', stateKey: '', content };
        const result = await sendLocked(null, input, undefined, rv).catch(async (err) => { throw err; });
        await store.rooms.createRoom({ roomId: result.pdu.room_id, roomVersion: rv.id, creator, isPublic: false, createdTs: now() });
        return result;
      });
    },
    /** The highest stream ordering committed so far. */
    position(): number { return streamOrdering; },
    /** The room's version and current state ids, or undefined for an unknown room. */
    async roomState(roomId: string): Promise<{ rv: RoomVersion; state: ReadonlyMap<string, string> } | undefined> {
      const room = await loadRoom(roomId);
      return room && { rv: room.rv, state: room.state };
    },
    /** Current state events of a room, loaded. */
    async currentStateEvents(roomId: string): Promise<Map<string, StoredEvent>> {
      const room = await loadRoom(roomId);
      if (!room) return new Map();
      const events = await reader.getEvents([...room.state.values()]);
      const out = new Map<string, StoredEvent>();
      for (const [k, id] of room.state) { const e = events.get(id); if (e) out.set(k, e); }
      return out;
    },
    log,
  };
}

/** `m.relates_to` of an event, for the relations index (threads, edits, annotations, replies are not relations). */
function relationOf(pdu: BuiltPdu): { relType: string; relatesTo: string; threadRoot: string | null } | null {
  const rel = (pdu.content as { 'm.relates_to'?: { rel_type?: unknown; event_id?: unknown } })['m.relates_to'];
  if (!rel || typeof rel.rel_type !== 'string' || typeof rel.event_id !== 'string') return null;
  return { relType: rel.rel_type, relatesTo: rel.event_id, threadRoot: rel.rel_type === 'm.thread' ? rel.event_id : null };
}

export type RoomService = Awaited<ReturnType<typeof createRoomService>>;
