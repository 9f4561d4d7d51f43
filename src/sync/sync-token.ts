/** Sync and pagination tokens: `s<events>_<receipts>_<account data>_<typing>_<to-device>_<presence>_<device lists>`, opaque to clients. */
import { MatrixError } from '../http/errors.js';

export interface SyncPosition {
  events: number;
  receipts: number;
  accountData: number;
  typing: number;
  toDevice: number;
  presence: number;
  /** The device-list stream (e2e); older tokens without it read as 0. */
  deviceLists: number;
}

export const ZERO_POSITION: SyncPosition = { events: 0, receipts: 0, accountData: 0, typing: 0, toDevice: 0, presence: 0, deviceLists: 0 };

export function formatToken(p: SyncPosition): string {
  return `s${p.events}_${p.receipts}_${p.accountData}_${p.typing}_${p.toDevice}_${p.presence}_${p.deviceLists}`;
}

/** Parses a sync token; missing trailing parts read as 0 so older tokens stay valid. */
export function parseToken(token: string): SyncPosition {
  const m = /^s(\d+)((?:_\d+)*)$/.exec(token);
  if (!m) throw new MatrixError(400, 'M_INVALID_PARAM', 'Invalid sync token');
  const rest = m[2]!.split('_').slice(1).map(Number);
  return { events: Number(m[1]), receipts: rest[0] ?? 0, accountData: rest[1] ?? 0, typing: rest[2] ?? 0, toDevice: rest[3] ?? 0, presence: rest[4] ?? 0, deviceLists: rest[5] ?? 0 };
}

/** A room-event position for /messages: `s<N>…` (a sync token) or `t<N>` both mean "after the event with stream ordering N". */
export function parseEventPosition(token: string): number {
  const t = /^t(\d+)$/.exec(token);
  if (t) return Number(t[1]);
  return parseToken(token).events;
}

export function eventPositionToken(n: number): string {
  return `t${Math.max(0, n)}`;
}
