/** The storage contract of server-wide room-state reads for the directories: room state by type, joined members with their events. */

/** The content of one current state event, with its room. */
export interface RoomStateContent {
  roomId: string;
  content: Record<string, unknown>;
}

/** A joined member with the content of their m.room.member event (empty past a redaction except `membership`). */
export interface JoinedMember {
  roomId: string;
  userId: string;
  content: Record<string, unknown>;
}

/** Reads across every room the server knows, for the user directory (spec §"User directory") and the room directory. */
export interface DirectoryStore {
  /** The content, as stored (redaction not applied), of the current state event `(type, '')` of every room that has one. */
  roomsWithState(type: string): Promise<RoomStateContent[]>;
  /** The joined members of the given rooms, from current state. */
  joinedMembers(roomIds: readonly string[]): Promise<JoinedMember[]>;
}
