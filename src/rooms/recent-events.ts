/**
 * The newest events of each room, by stream position, as the one writer commits them: incremental /sync and unread
 * counts ask "what did this room get since position N" many times a second, and this answers from memory instead
 * of a query and a JSON parse per room. It keeps ids only; the events themselves come from the event cache, which
 * follows redactions.
 *
 * Coverage: the writer starts it at the position committed when it started; from then on every committed event
 * passes through `add`, in order. A room's list is complete above `floor(room)`: the start, raised when the room's
 * oldest entries are dropped, and for rooms without a list, raised past every list dropped whole.
 */

interface RoomList { sos: number[]; ids: string[]; floor: number }

export interface RecentEventsOptions {
  /** Entries kept per room. */
  perRoom?: number;
  /** Rooms with a list (the least recently written list is dropped past this). */
  rooms?: number;
}

export interface RecentEvents {
  /** Memory is complete from `position` on (the writer's committed position at start). */
  start(position: number): void;
  /** A committed event, in stream order. */
  add(roomId: string, streamOrdering: number, eventId: string): void;
  /**
   * Ids of the room's events with `to < so < from`, newest first (dir b), or with `from < so < to`, oldest first
   * (dir f), at most `limit`; undefined when memory does not cover the range.
   */
  range(roomId: string, from: number, to: number, dir: 'b' | 'f', limit: number): Array<{ so: number; id: string }> | undefined;
  /** Which of `roomIds` got events in (since, until]; undefined when memory does not cover `since`. */
  changedBetween(roomIds: readonly string[], since: number, until: number): Set<string> | undefined;
}

export function createRecentEvents(opts: RecentEventsOptions = {}): RecentEvents {
  const perRoom = opts.perRoom ?? 64;
  const maxRooms = opts.rooms ?? 2000;
  const lists = new Map<string, RoomList>();
  /** Coverage of rooms without a list; -1: not started, nothing is covered. */
  let baseFloor = -1;

  const floorOf = (roomId: string) => lists.get(roomId)?.floor ?? baseFloor;

  /** Index of the first entry with so > x (binary search; entries ascend). */
  function after(sos: number[], x: number): number {
    let lo = 0, hi = sos.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (sos[mid]! > x) hi = mid; else lo = mid + 1; }
    return lo;
  }

  return {
    start(position) {
      lists.clear();
      baseFloor = position;
    },
    add(roomId, so, id) {
      if (baseFloor < 0) return;
      let list = lists.get(roomId);
      if (list) lists.delete(roomId); // re-inserted below: the map's order is least recently written first
      else {
        list = { sos: [], ids: [], floor: baseFloor };
        if (lists.size >= maxRooms) {
          const [oldestRoom, oldest] = lists.entries().next().value as [string, RoomList];
          lists.delete(oldestRoom);
          // Its events are forgotten: rooms without a list are covered only past its newest one.
          baseFloor = Math.max(baseFloor, oldest.sos.at(-1) ?? oldest.floor);
          list.floor = baseFloor;
        }
      }
      lists.set(roomId, list);
      if (so <= (list.sos.at(-1) ?? list.floor)) return; // not newer than what is known: only commits, in order, are added
      list.sos.push(so);
      list.ids.push(id);
      if (list.sos.length > perRoom) {
        list.floor = list.sos[0]!;
        list.sos.shift();
        list.ids.shift();
      }
    },
    range(roomId, from, to, dir, limit) {
      if (baseFloor < 0) return undefined;
      const lower = dir === 'b' ? to : from;
      const upper = dir === 'b' ? from : to;
      if (lower < floorOf(roomId)) return undefined;
      const list = lists.get(roomId);
      if (!list) return [];
      const lo = after(list.sos, lower);
      const hi = after(list.sos, upper - 1); // entries with so < upper end before hi
      const out: Array<{ so: number; id: string }> = [];
      if (dir === 'b') for (let i = hi - 1; i >= lo && out.length < limit; i--) out.push({ so: list.sos[i]!, id: list.ids[i]! });
      else for (let i = lo; i < hi && out.length < limit; i++) out.push({ so: list.sos[i]!, id: list.ids[i]! });
      return out;
    },
    changedBetween(roomIds, since, until) {
      if (baseFloor < 0 || since < baseFloor) return undefined;
      const out = new Set<string>();
      for (const roomId of roomIds) {
        const list = lists.get(roomId);
        if (!list) continue;
        if (since < list.floor) return undefined; // this room's older entries were dropped
        const i = after(list.sos, since);
        if (i < list.sos.length && list.sos[i]! <= until) out.add(roomId);
      }
      return out;
    },
  };
}
