/** Backend-neutral rules of the per-user data stores: grouping account data changes, and the filter id grammar. */
import type { AccountDataChanges, AccountDataEvent, JsonObject } from './user-data-types.js';

/** A filter id as the API spells it: a decimal integer without sign or leading zeros (at most 15 digits). */
export const FILTER_ID = /^(0|[1-9][0-9]{0,14})$/;

/** One account data row as both backends read it for a change feed. */
export interface AccountDataChangeRow {
  roomId: string;
  type: string;
  content: string;
  streamId: number;
}

/** Groups change rows (ordered by stream id) into global and per-room lists, as /sync shows them. */
export function groupChanges(rows: readonly AccountDataChangeRow[], since: number): AccountDataChanges {
  const out: AccountDataChanges = { global: [], rooms: {}, maxStreamId: since };
  for (const row of rows) {
    const event: AccountDataEvent = { type: row.type, content: JSON.parse(row.content) as JsonObject };
    if (row.roomId === '') out.global.push(event);
    else (out.rooms[row.roomId] ??= []).push(event);
    if (row.streamId > out.maxStreamId) out.maxStreamId = row.streamId;
  }
  return out;
}
