/** Room upgrades, the content side: which state moves to the new room, and the power levels of the new and the old room. */
import { parsePowerLevel, POWER_LEVEL_INTEGER_KEYS } from '../events/auth-power-levels.js';
import type { RoomVersion } from '../events/room-versions.js';

/** State copied to the replacement room with its state key '' (spec §"Room Upgrades" step 3's list, plus canonical alias moved later). */
export const COPIED_STATE_TYPES: readonly string[] = [
  'm.room.join_rules', 'm.room.history_visibility', 'm.room.guest_access', 'm.room.name', 'm.room.topic', 'm.room.avatar',
  'm.room.encryption', 'm.room.server_acl',
];

/** State copied under every state key (space relations, as Synapse does). */
export const COPIED_KEYED_STATE_TYPES: readonly string[] = ['m.space.parent', 'm.space.child'];

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A power level map (`users`, `events`, `notifications`) with every value read as an integer of the old version; unreadable ones dropped. */
function levelMap(m: unknown, oldRv: RoomVersion): Record<string, number> {
  const out: Record<string, number> = {};
  if (isObj(m)) for (const [k, v] of Object.entries(m)) { const n = parsePowerLevel(v, oldRv); if (n !== undefined) out[k] = n; }
  return out;
}

/**
 * The new room's power levels from the old room's: every level normalised to an integer (the new version may forbid
 * strings); v12+ creators removed from `users` (their power is implicit and listing them is rejected, auth rule 10.4);
 * from a v12+ room to an older version, the old creators keep their power as 100 and every level is capped at 100
 * (the new room's creator starts at 100 and cannot grant more; v12 rooms put m.room.tombstone at 150).
 */
export function upgradedPowerLevels(old: Json, oldRv: RoomVersion, newRv: RoomVersion, oldCreators: readonly string[], newCreators: readonly string[]): Json {
  const out: Json = { ...old };
  for (const k of POWER_LEVEL_INTEGER_KEYS) {
    if (!(k in old)) continue;
    const n = parsePowerLevel(old[k], oldRv);
    if (n === undefined) delete out[k]; else out[k] = n;
  }
  for (const k of ['events', 'notifications']) if (k in old) out[k] = levelMap(old[k], oldRv);
  const users = levelMap(old.users, oldRv);
  if (oldRv.privilegedCreators && !newRv.privilegedCreators) for (const c of oldCreators) users[c] ??= 100;
  if (newRv.privilegedCreators) for (const c of newCreators) delete users[c];
  out.users = users;
  if (oldRv.privilegedCreators && !newRv.privilegedCreators) return capLevels(out, 100);
  return out;
}

/** Every level of the (normalised) content at most `max`. */
function capLevels(pl: Json, max: number): Json {
  const out: Json = { ...pl };
  for (const [k, v] of Object.entries(pl)) {
    if (typeof v === 'number') out[k] = Math.min(v, max);
    else if (isObj(v) && k !== 'notifications') out[k] = Object.fromEntries(Object.entries(v).map(([u, n]) => [u, typeof n === 'number' ? Math.min(n, max) : n]));
  }
  return out;
}

/** The level needed to send every copied state event and the bans: the upgrader is raised to it while copying (as Synapse). */
export function levelNeededToCopy(pl: Json): number {
  const events = isObj(pl.events) ? Object.values(pl.events).filter((v): v is number => typeof v === 'number') : [];
  const num = (k: string, dflt: number) => (typeof pl[k] === 'number' ? (pl[k] as number) : dflt);
  return Math.max(num('state_default', 50), num('ban', 50), ...events);
}

/** The power levels with `userId` raised to at least `level`; the same object when already there. */
export function withUserAtLeast(pl: Json, userId: string, level: number): Json {
  const users = isObj(pl.users) ? pl.users : {};
  const current = typeof users[userId] === 'number' ? (users[userId] as number) : typeof pl.users_default === 'number' ? pl.users_default : 0;
  return current >= level ? pl : { ...pl, users: { ...users, [userId]: level } };
}

/**
 * The old room's power levels after the upgrade (spec step 6): `events_default` and `invite` raised to the greater
 * of 50 and `users_default + 1`, so ordinary members can no longer talk or invite; undefined when already so.
 */
export function restrictedPowerLevels(pl: Json, rv: RoomVersion): Json | undefined {
  const read = (k: string, dflt: number) => (k in pl ? parsePowerLevel(pl[k], rv) ?? dflt : dflt);
  const floor = Math.max(50, read('users_default', 0) + 1);
  if (read('events_default', 0) >= floor && read('invite', 0) >= floor) return undefined;
  return { ...pl, events_default: Math.max(read('events_default', 0), floor), invite: Math.max(read('invite', 0), floor) };
}
