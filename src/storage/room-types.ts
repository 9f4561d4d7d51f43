/** The storage contract of rooms and the event graph: events, state groups, current state, extremities, txns, aliases, receipts. */
import type { Pdu } from '../events/types.js';

export interface RoomRecord {
  roomId: string;
  roomVersion: string;
  creator: string | null;
  isPublic: boolean;
  createdTs: number;
}

/** An event as stored: the PDU plus where it sits in this server's stream. */
export interface StoredEvent {
  pdu: Pdu & { event_id: string; room_id: string };
  streamOrdering: number;
  /** The state group of the state after this event (null for outliers). */
  stateGroup: number | null;
  rejected: string | null;
  redactedBy: string | null;
  /** The sending device's transaction, for `unsigned.transaction_id`. */
  txn: { userId: string; deviceId: string; txnId: string } | null;
}

/** One (type, state_key) -> event id entry. */
export interface StateEntry {
  type: string;
  stateKey: string;
  eventId: string;
}

/** Everything written when an event is accepted, in one transaction. */
export interface PersistEvent {
  event: Pdu & { event_id: string; room_id: string };
  streamOrdering: number;
  /** A new state group for the state after the event, as a delta over `prevGroup`, or an existing group. */
  stateGroup: { id: number; prevGroup: number | null; chainLen: number; delta: StateEntry[]; isNew: boolean } | null;
  /** Changes to the room's current state (for a local event: the event itself when it is a state event). */
  currentState: StateEntry[];
  /** Forward extremities after the event. */
  extremities: string[];
  /** The sending device's transaction, stored on the event; `send` is the one scope kept (see getTxn). */
  txn?: { userId: string; deviceId: string; txnId: string; scope: string };
  rejected?: string | null;
  softFailed?: boolean;
  relation?: { relType: string; relatesTo: string; threadRoot: string | null } | null;
  /** `event` as JSON, when the writer already has it (it is stored as is); otherwise the store serialises `event`. */
  json?: string;
}

export interface MembershipRow {
  roomId: string;
  membership: string;
  eventId: string;
}

export interface RoomEventsQuery {
  roomId: string;
  /** Exclusive bounds in stream ordering; `dir` 'b' walks from `from` towards `to` downwards. */
  from: number;
  to: number;
  dir: 'f' | 'b';
  limit: number;
}

export interface ReceiptRow {
  roomId: string;
  userId: string;
  receiptType: string;
  threadId: string;
  eventId: string;
  ts: number;
  streamId: number;
}

export interface RoomStore {
  createRoom(room: RoomRecord): Promise<void>;
  getRoom(roomId: string): Promise<RoomRecord | undefined>;
  setRoomPublic(roomId: string, isPublic: boolean): Promise<void>;
  listPublicRooms(): Promise<string[]>;
  /** Highest stream ordering and state group id in use (0 when none), read once at start. */
  maxIds(): Promise<{ streamOrdering: number; stateGroup: number }>;
  persistEvent(p: PersistEvent): Promise<void>;
  /** Persists several events in one transaction, in order (group commit). */
  persistEvents(ps: readonly PersistEvent[]): Promise<void>;
  getEvent(eventId: string): Promise<StoredEvent | undefined>;
  getEvents(eventIds: readonly string[]): Promise<Map<string, StoredEvent>>;
  /** The entries of one state group row (its delta, not the resolved state). */
  getStateGroup(id: number): Promise<{ prevGroup: number | null; chainLen: number; delta: StateEntry[] } | undefined>;
  getCurrentState(roomId: string): Promise<StateEntry[]>;
  getForwardExtremities(roomId: string): Promise<string[]>;
  /** The event a device's transaction created; only scope `send` is recorded (other scopes find nothing). */
  getTxn(userId: string, deviceId: string, scope: string, txnId: string): Promise<string | undefined>;
  /** Many transactions of one scope at once (the writer's group): the results found, keyed by {@link txnKey}. */
  getTxns(scope: string, txns: ReadonlyArray<TxnRef>): Promise<Map<string, string>>;
  /** The user's current membership in every room the server knows it in. */
  roomsForUser(userId: string): Promise<MembershipRow[]>;
  /** Local members' memberships in a room, from current state. */
  membersOfRoom(roomId: string): Promise<Array<{ userId: string; membership: string; eventId: string }>>;
  roomEvents(q: RoomEventsQuery): Promise<StoredEvent[]>;
  /** Rooms among `roomIds` with an event in (since, until]. */
  roomsChangedBetween(roomIds: readonly string[], since: number, until: number): Promise<Set<string>>;
  /** Stream orderings of the state events of `type` (and `stateKey` when given) in a room, ascending. */
  stateHistory(roomId: string, type: string, stateKey: string | null): Promise<Array<{ streamOrdering: number; eventId: string; stateKey: string }>>;
  relations(roomId: string, eventId: string, relType: string | null): Promise<StoredEvent[]>;
  threadRoots(roomId: string): Promise<string[]>;
  setRedactedBy(eventId: string, redactionId: string): Promise<void>;
  /** The closest event to `ts` in the direction given. */
  eventAtTimestamp(roomId: string, ts: number, dir: 'f' | 'b'): Promise<StoredEvent | undefined>;
  // Aliases (room directory)
  createAlias(alias: string, roomId: string, creator: string): Promise<boolean>;
  getAlias(alias: string): Promise<{ roomId: string; creator: string } | undefined>;
  deleteAlias(alias: string): Promise<boolean>;
  aliasesForRoom(roomId: string): Promise<string[]>;
  setForgotten(userId: string, roomId: string, forgotten: boolean): Promise<void>;
  forgottenRooms(userId: string): Promise<Set<string>>;
  // Receipts
  maxReceiptStreamId(): Promise<number>;
  putReceipt(r: ReceiptRow): Promise<void>;
  receiptsForRooms(roomIds: readonly string[], sinceStreamId: number): Promise<ReceiptRow[]>;
  /** One user's receipts in a room. */
  userReceipts(roomId: string, userId: string): Promise<ReceiptRow[]>;
}

/** A client transaction: who sent it, from which device, with which transaction id. */
export interface TxnRef { userId: string; deviceId: string; txnId: string }

/** One string per transaction, for maps (NUL cannot occur in user ids, device ids or transaction ids in a URL path). */
export const txnKey = (userId: string, deviceId: string, txnId: string): string => `${userId}\u0000${deviceId}\u0000${txnId}`;
