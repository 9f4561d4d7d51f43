/** MatrixPort: the gateway's one narrow way into Matrix (virtual users, rooms, events, state, subscriptions). */

/**
 * The homeserver refused an event for good (too large, not allowed, content it cannot sign): retrying will not
 * help, so the gateway drops the message instead of leaving it unacknowledged.
 */
export class EventRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventRejectedError';
  }
}

/** A room to create once and find again by its alias. */
export interface EnsureRoomRequest {
  /** The creator, who also sends the initial state. */
  creator: string;
  /** Local alias part: `device-kitchen` becomes `#device-kitchen:server`. */
  aliasLocalpart: string;
  name: string;
  topic?: string;
  /** Users' power levels (the creator gets 100 unless listed). */
  users: Record<string, number>;
  /** Required levels per event type, merged over the defaults. */
  events?: Record<string, number>;
  /** Extra m.room.create content, e.g. `{ type: 'm.space' }`. */
  creationContent?: Record<string, unknown>;
  initialState?: Array<{ type: string; stateKey: string; content: Record<string, unknown> }>;
}

/** A committed room event as the gateway sees it. */
export interface PortEvent {
  roomId: string;
  eventId: string;
  sender: string;
  type: string;
  stateKey?: string;
  content: Record<string, unknown>;
  originServerTs: number;
}

/** A user's standing in a room, for policy checks. */
export interface RoomStanding {
  membership: string | undefined;
  level: number;
  /** The room's current m.room.power_levels content ({} when none). */
  powerLevels: Record<string, unknown>;
}

export interface SendOptions {
  /** Transaction id: sending again with the same (sender, txnId) returns the first event, also after a restart. */
  txnId?: string;
}

export interface MatrixPort {
  readonly serverName: string;
  /** Creates a local account without a password (idempotent); resolves to its user id. */
  registerVirtualUser(localpart: string, displayname: string): Promise<string>;
  /** The room with this alias, created with the request when it does not exist yet. */
  ensureRoom(req: EnsureRoomRequest): Promise<{ roomId: string; created: boolean }>;
  /** Joins a user to a room they were invited to or may join (no-op when joined). */
  joinRoom(userId: string, roomId: string): Promise<void>;
  /** Invites a user (no-op when already joined or invited). */
  invite(sender: string, roomId: string, userId: string): Promise<void>;
  /** Sends a message-like event; resolves with its event id once committed. */
  sendEvent(asUser: string, roomId: string, type: string, content: Record<string, unknown>, opts?: SendOptions): Promise<string>;
  /** The event a (sender, txnId) transaction already produced, if any. */
  findTxn(asUser: string, txnId: string): Promise<string | undefined>;
  /** Sets a state event; resolves with its event id once committed. */
  setState(asUser: string, roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string>;
  /** A current state event's content, or undefined. */
  getState(roomId: string, type: string, stateKey: string): Promise<Record<string, unknown> | undefined>;
  /** A user's membership and power level in a room. */
  standing(roomId: string, userId: string): Promise<RoomStanding>;
  /** Calls `handler` for every committed event in `roomId` ('*' for every room); returns an unsubscribe function. */
  subscribe(roomId: string, handler: (e: PortEvent) => void): () => void;
  /** Local server admins (user ids), who are invited to every device room. */
  admins(): Promise<string[]>;
  /** Links a room into a space: m.space.child in the space, m.space.parent in the room. */
  addToSpace(asUser: string, spaceId: string, roomId: string): Promise<void>;
}
