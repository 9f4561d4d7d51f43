/** History visibility (spec: "Room History Visibility"): which events of a room a user may see, by membership and visibility at each event. */
import type { Store } from '../storage/types.js';
import type { StoredEvent } from '../storage/room-types.js';
import type { EventReader } from './event-reader.js';

interface Point { so: number; value: string }

/** The value in force just before stream position `so` (or at it, when `inclusive`). */
function valueAt(points: readonly Point[], so: number, inclusive: boolean, fallback: string): string {
  let lo = 0, hi = points.length - 1, found = fallback;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = points[mid]!;
    if (p.so < so || (inclusive && p.so === so)) { found = p.value; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/**
 * Builds a filter for one user and room. Linear stream order stands in for the DAG, which is exact for
 * rooms written by this server; events backfilled over federation would need state at each event.
 */
export async function visibilityFilter(store: Store, reader: EventReader, roomId: string, userId: string): Promise<(e: StoredEvent) => boolean> {
  const [members, visibilities] = await Promise.all([
    store.rooms.stateHistory(roomId, 'm.room.member', userId),
    store.rooms.stateHistory(roomId, 'm.room.history_visibility', ''),
  ]);
  const events = await reader.getEvents([...members, ...visibilities].map((p) => p.eventId));
  const toPoints = (rows: typeof members, field: 'membership' | 'history_visibility') => rows
    .map((r) => ({ so: r.streamOrdering, value: String(events.get(r.eventId)?.pdu.content?.[field] ?? '') }));
  const m = toPoints(members, 'membership');
  const v = toPoints(visibilities, 'history_visibility');
  const currentlyJoined = (m.at(-1)?.value ?? 'leave') === 'join';
  return (e) => {
    const so = e.streamOrdering;
    // A user always sees their own membership events (their invite, join, leave, kick or ban).
    if (e.pdu.type === 'm.room.member' && e.pdu.state_key === userId) return true;
    const membership = valueAt(m, so, false, 'leave');
    if (membership === 'join') return true;
    const visibility = valueAt(v, so, false, 'shared');
    if (visibility === 'world_readable') return true;
    if (visibility === 'shared') return currentlyJoined;
    if (visibility === 'invited') return membership === 'invite';
    return false;
  };
}
