/** Wire types of the Matrix event graph (PDUs as the spec's JSON), shared by every module of src/events. */

/** A JSON value as canonical JSON allows it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `signatures`: server name -> key id -> unpadded base64 signature. */
export type Signatures = Record<string, Record<string, string>>;

/**
 * A persistent data unit in any room version's format. Room v1/v2 carry `event_id` and
 * reference pairs `[eventId, {sha256}]` in `prev_events`/`auth_events`; v3+ use bare ids.
 * v12 create events carry no `room_id`.
 */
export interface Pdu {
  event_id?: string;
  room_id?: string;
  sender: string;
  origin?: string;
  origin_server_ts: number;
  type: string;
  state_key?: string;
  content: Record<string, any>;
  prev_events: Array<string | [string, Record<string, string>]>;
  auth_events: Array<string | [string, Record<string, string>]>;
  depth: number;
  hashes?: { sha256: string; [alg: string]: string };
  signatures?: Signatures;
  unsigned?: Record<string, any>;
  redacts?: string;
  prev_state?: unknown;
  membership?: string;
  [key: string]: unknown;
}

/** A PDU whose id is known (computed for v3+, carried for v1/v2). */
export type IdentifiedPdu = Pdu & { event_id: string };

/** Key of a state entry: `${type}\u0000${stateKey}` is used where a string key is needed. */
export interface StateKey {
  type: string;
  stateKey: string;
}
