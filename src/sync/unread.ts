/** Unread notification counts per user and room: push rules evaluated over events after the user's read receipt, kept incrementally. */
import { stateMapKey } from '../events/state-map.js';
import { getPowerLevel } from '../events/auth-power-levels.js';
import { authEventMap } from '../events/auth-events-selection.js';
import { evaluatePushRules } from '../push/evaluate.js';
import { createGlobCache } from '../push/glob.js';
import { getPushRulesForUser } from '../push/push-rules.js';
import type { Store } from '../storage/types.js';
import type { EventReader } from '../rooms/event-reader.js';
import type { RoomService } from '../rooms/room-service.js';
import { Lru } from '../rooms/lru.js';

export interface UnreadCounts { notification_count: number; highlight_count: number }

/** `receiptsAt`: the receipts stream position `receiptSo` was read at; while the stream stands still it holds. */
interface Tally extends UnreadCounts { receiptSo: number; countedTo: number; receiptsAt?: number }

/** How far back counting goes when nothing is cached (a room with years of readings is not scanned whole). */
const MAX_SCAN = 1000;

export function createUnreadCounter(deps: {
  store: Store; reader: EventReader; rooms: RoomService; notifier?: { user(u: string): void };
  /** The receipts stream position (receipts.ts): while it stands still, a user's read position in a room is reused. */
  receiptsPosition?: () => number;
}) {
  const { store, reader, rooms } = deps;
  const tallies = new Lru<string, Tally>(2048);
  const globs = createGlobCache();

  async function receiptPosition(roomId: string, userId: string): Promise<number> {
    let best = 0;
    const rows = (await store.rooms.userReceipts(roomId, userId)).filter((r) => r.receiptType === 'm.read' || r.receiptType === 'm.read.private');
    const events = await reader.getEvents(rows.map((r) => r.eventId));
    for (const r of rows) best = Math.max(best, events.get(r.eventId)?.streamOrdering ?? 0);
    return best;
  }

  return {
    async counts(userId: string, roomId: string): Promise<UnreadCounts> {
      const key = `${userId}\u0000${roomId}`;
      const receiptsAt = deps.receiptsPosition?.();
      let t = tallies.get(key);
      const receiptSo = receiptsAt !== undefined && t?.receiptsAt === receiptsAt ? t.receiptSo : await receiptPosition(roomId, userId);
      const head = rooms.position();
      if (!t || t.receiptSo !== receiptSo) t = { receiptSo, countedTo: receiptSo, notification_count: 0, highlight_count: 0 };
      t.receiptsAt = receiptsAt;
      if (t.countedTo < head) {
        const room = await rooms.roomState(roomId);
        if (!room) return { notification_count: 0, highlight_count: 0 };
        // Counting starts at most MAX_SCAN stream positions back, so one pass always reaches the head:
        // a long-unread room counts its latest events and a sync never pays for years of readings.
        const events = await reader.roomEvents({ roomId, from: Math.max(t.countedTo, head - MAX_SCAN), to: head + 1, dir: 'f', limit: MAX_SCAN });
        const others = events.filter((e) => e.pdu.sender !== userId && !e.rejected && !e.redactedBy);
        if (others.length) {
          const rules = await getPushRulesForUser({ store }, userId);
          const plId = room.state.get(stateMapKey('m.room.power_levels', ''));
          const createId = room.state.get(stateMapKey('m.room.create', ''));
          const meId = room.state.get(stateMapKey('m.room.member', userId));
          const evs = await reader.getEvents([plId, createId, meId].filter((x): x is string => !!x));
          const auth = authEventMap([...evs.values()].map((e) => e.pdu));
          const { joined } = await reader.members(roomId, room.state);
          const displayName = meId ? (evs.get(meId)?.pdu.content.displayname as string | undefined) ?? null : null;
          const ctxBase = {
            userId, displayName, roomMemberCount: joined.length,
            powerLevels: plId ? evs.get(plId)?.pdu.content ?? null : null, globCache: globs,
          };
          for (const e of others) {
            const r = evaluatePushRules(rules, e.pdu as never, { ...ctxBase, senderPowerLevel: getPowerLevel(e.pdu.sender, auth, room.rv) });
            if (r.notify) t.notification_count++;
            if (r.notify && r.highlight) t.highlight_count++;
          }
        }
        t.countedTo = head;
      }
      tallies.set(key, t);
      return { notification_count: t.notification_count, highlight_count: t.highlight_count };
    },
  };
}

export type UnreadCounter = ReturnType<typeof createUnreadCounter>;
