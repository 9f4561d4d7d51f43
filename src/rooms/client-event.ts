/** The client formats of an event (ClientEvent and ClientEventWithoutRoomID): redaction applied, unsigned filled in. */
import { redact } from '../events/redaction.js';
import type { RoomVersion } from '../events/room-versions.js';
import type { StoredEvent } from '../storage/room-types.js';

export interface ClientEvent {
  type: string;
  content: Record<string, unknown>;
  event_id: string;
  sender: string;
  origin_server_ts: number;
  room_id?: string;
  state_key?: string;
  redacts?: string;
  unsigned?: Record<string, unknown>;
}

export interface SerializeOptions {
  now: number;
  /** The viewing user and device: `transaction_id` is shown only to the device that sent the event. */
  viewer?: { userId: string; deviceId: string };
  /** The redaction event, already serialised, when the event has been redacted. */
  redactedBecause?: ClientEvent;
  withRoomId?: boolean;
}

/** Serialises a stored event for clients. */
export function toClientEvent(e: StoredEvent, rv: RoomVersion, opts: SerializeOptions): ClientEvent {
  const src = e.redactedBy ? redact(e.pdu, rv) : e.pdu;
  const out: ClientEvent = {
    type: src.type, content: src.content, event_id: e.pdu.event_id, sender: src.sender, origin_server_ts: src.origin_server_ts,
  };
  if (opts.withRoomId !== false) out.room_id = e.pdu.room_id;
  if (typeof src.state_key === 'string') out.state_key = src.state_key;
  const redacts = (e.pdu.content as { redacts?: unknown }).redacts ?? e.pdu.redacts;
  if (e.pdu.type === 'm.room.redaction' && typeof redacts === 'string') {
    // v11 moved `redacts` into content; clients of every version still read the top-level key.
    out.redacts = redacts;
  }
  const unsigned: Record<string, unknown> = { age: Math.max(0, opts.now - e.pdu.origin_server_ts) };
  const stored = e.pdu.unsigned ?? {};
  if (stored.prev_content !== undefined) unsigned.prev_content = stored.prev_content;
  if (stored.replaces_state !== undefined) unsigned.replaces_state = stored.replaces_state;
  if (stored.prev_sender !== undefined) unsigned.prev_sender = stored.prev_sender;
  if (e.txn && opts.viewer && e.txn.userId === opts.viewer.userId && e.txn.deviceId === opts.viewer.deviceId) unsigned.transaction_id = e.txn.txnId;
  if (e.redactedBy && opts.redactedBecause) unsigned.redacted_because = opts.redactedBecause;
  if (stored['m.relations'] !== undefined) unsigned['m.relations'] = stored['m.relations'];
  out.unsigned = unsigned;
  return out;
}

/** Serialises many events, loading the redaction events of redacted ones. */
export async function toClientEvents(
  events: readonly StoredEvent[], rv: RoomVersion, opts: Omit<SerializeOptions, 'redactedBecause'>,
  getEvents: (ids: string[]) => Promise<Map<string, StoredEvent>>,
): Promise<ClientEvent[]> {
  const redactionIds = events.map((e) => e.redactedBy).filter((x): x is string => x !== null);
  const redactions = redactionIds.length ? await getEvents(redactionIds) : new Map<string, StoredEvent>();
  return events.map((e) => {
    const r = e.redactedBy ? redactions.get(e.redactedBy) : undefined;
    return toClientEvent(e, rv, { ...opts, redactedBecause: r ? toClientEvent(r, rv, opts) : undefined });
  });
}
