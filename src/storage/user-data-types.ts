/** The storage contract of per-user data: account data (global and per room, on one stream) and filters. */

/** A JSON object as stored: the content of an account data event, or a filter definition. */
export type JsonObject = Record<string, unknown>;

/** One account data entry, as /sync shows it in an `account_data.events` list. */
export interface AccountDataEvent {
  type: string;
  content: JsonObject;
}

/** What changed for a user on the account data stream, grouped like /sync needs it. */
export interface AccountDataChanges {
  /** Global account data, ordered by stream id (oldest change first). */
  global: AccountDataEvent[];
  /** Per-room account data by room id, each list ordered by stream id. */
  rooms: Record<string, AccountDataEvent[]>;
  /** The highest stream id among the returned changes; `sinceStreamId` when there are none. */
  maxStreamId: number;
}

/**
 * Account data `(user_id, room_id, type) -> content` (spec: "Client Config"). `roomId` null (or '')
 * means global. Every write moves the entry to a new, strictly increasing stream id, shared by all users.
 */
export interface AccountDataStore {
  get(userId: string, roomId: string | null, type: string): Promise<JsonObject | undefined>;
  /** Creates or replaces the entry; resolves to its new stream id. */
  set(userId: string, roomId: string | null, type: string, content: JsonObject): Promise<number>;
  /** The user's global account data ordered by type. */
  listGlobal(userId: string): Promise<AccountDataEvent[]>;
  /** The user's account data for one room ordered by type. */
  listForRoom(userId: string, roomId: string): Promise<AccountDataEvent[]>;
  /**
   * Entries of `userId` written after `sinceStreamId` (0: everything) and, when `toStreamId` is given,
   * at or before it; an entry written twice appears once, with its latest content.
   */
  changesSince(userId: string, sinceStreamId: number, toStreamId?: number): Promise<AccountDataChanges>;
  /** The highest stream id written so far (0 when nothing was). */
  currentStreamId(): Promise<number>;
}

/** Filters for /sync and /messages (spec: "Filtering"), stored per user. */
export interface FilterStore {
  /**
   * Stores the filter and resolves to its id: the decimal string of a small integer, counting from "0" per user.
   * Uploading a filter the user already has (the same canonical JSON) resolves to the existing id.
   */
  create(userId: string, filter: JsonObject): Promise<string>;
  /** The filter as uploaded, or undefined for an unknown (or non-numeric) id. */
  get(userId: string, filterId: string): Promise<JsonObject | undefined>;
}
