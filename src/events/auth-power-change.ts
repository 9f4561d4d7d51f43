/** The auth rule for m.room.power_levels events (rule 10 in v1–v5, 9 in v6–v11, 10 in v12): content validity and allowed changes. */
import { type AuthContext, createEventOf, hasKey, isObject, isValidUserId, powerLevelsEventOf } from './auth-common.js';
import { getCreators, getPowerLevel, parsePowerLevel, POWER_LEVEL_INTEGER_KEYS } from './auth-power-levels.js';
import { allowBy, rejectBy, type AuthResult } from './auth-rule-numbers.js';
import type { RoomVersion } from './room-versions.js';
import type { Pdu } from './types.js';

type Content = Record<string, unknown>;

/** v10+ 9.1 and 9.2, and the value formats v1–v9 accept (stringy/floaty power levels). */
function checkValueTypes(content: Content, rv: RoomVersion): AuthResult | undefined {
  const maps = ['events', ...(rv.limitNotificationsPowerLevels ? ['notifications'] : [])];
  if (rv.integerPowerLevels) {
    // 9.1 (v10–v11) / 10.1 (v12) If any of users_default, events_default, state_default, ban, redact, kick or invite are present and not an integer, reject.
    for (const key of POWER_LEVEL_INTEGER_KEYS) {
      if (hasKey(content, key) && parsePowerLevel(content[key], rv) === undefined) {
        return rejectBy(rv, 'pl.namedIntegers', `${key} is not an integer`);
      }
    }
    // 9.2 (v10–v11) / 10.2 (v12) If events or notifications are present and not an object with integer values, reject.
    for (const key of ['events', 'notifications']) {
      if (!hasKey(content, key)) continue;
      const m = content[key];
      if (!isObject(m) || Object.values(m).some((v) => parsePowerLevel(v, rv) === undefined)) {
        return rejectBy(rv, 'pl.mapIntegers', `${key} is not an object of integers`);
      }
    }
    return undefined;
  }
  // v1–v9 (stringy/floaty power levels): a value that is neither an integer, a finite float nor a
  // string holding an integer makes the event invalid. The spec's numbered rules only check `users`;
  // Synapse fails on such values with int(), Ruma and Conduit reject the event: so do we.
  for (const key of POWER_LEVEL_INTEGER_KEYS) {
    if (hasKey(content, key) && content[key] !== null && parsePowerLevel(content[key], rv) === undefined) {
      return rejectBy(rv, 'pl.legacyValues', `${key} is not a valid power level`);
    }
  }
  for (const key of maps) {
    if (!hasKey(content, key)) continue;
    const m = content[key];
    if (!isObject(m) || Object.values(m).some((v) => parsePowerLevel(v, rv) === undefined)) {
      return rejectBy(rv, 'pl.legacyValues', `${key} is not an object of valid power levels`);
    }
  }
  return undefined;
}

/** The levels of one map of the content (`events`, `notifications`, `users`), unreadable values left out. */
function mapOf(content: Content, key: string, rv: RoomVersion): Map<string, number> {
  const out = new Map<string, number>();
  const m = content[key];
  if (!isObject(m)) return out;
  for (const [k, v] of Object.entries(m)) {
    const n = parsePowerLevel(v, rv);
    if (n !== undefined) out.set(k, n);
  }
  return out;
}

function topLevel(content: Content, key: string, rv: RoomVersion): number | undefined {
  return hasKey(content, key) ? parsePowerLevel(content[key], rv) : undefined;
}

/**
 * Checks an m.room.power_levels event against the current power levels in `ctx.authEvents`.
 * Called after the sender was found joined and able to send the event (rules 5–9 / 6–9).
 * @example checkPowerLevelsEvent(event, { rv, authEvents, options: {} }).allowed
 */
export function checkPowerLevelsEvent(event: Pdu, ctx: AuthContext): AuthResult {
  const { rv, authEvents } = ctx;
  const content: Content = isObject(event.content) ? event.content : {};
  const invalid = checkValueTypes(content, rv);
  if (invalid !== undefined) return invalid;

  // Step numbers below are v1–v5 / v6–v9 / v10–v11 / v12.
  // 10.1 / 9.1 / 9.3 / 10.3 If users is not an object with keys that are valid user IDs with values
  // that are integers (or a string that is an integer, before v10), reject.
  if (hasKey(content, 'users')) {
    const users = content.users;
    if (!isObject(users)) return rejectBy(rv, 'pl.users', 'users is not an object');
    for (const [userId, level] of Object.entries(users)) {
      if (!isValidUserId(userId)) return rejectBy(rv, 'pl.users', `users key ${JSON.stringify(userId)} is not a valid user ID`);
      if (parsePowerLevel(level, rv) === undefined) return rejectBy(rv, 'pl.users', `users value of ${userId} is not an integer`);
    }
  }

  // 10.4 (v12) If users contains the create event's sender or any of additional_creators, reject.
  if (rv.privilegedCreators && isObject(content.users)) {
    const users = content.users;
    const creator = getCreators(createEventOf(authEvents), rv).find((c) => hasKey(users, c));
    if (creator !== undefined) return rejectBy(rv, 'pl.creators', `users lists the room creator ${creator}`);
  }

  const previous = powerLevelsEventOf(authEvents);
  // 10.2 / 9.2 / 9.4 / 10.5 If there is no previous m.room.power_levels event in the room, allow.
  if (previous === undefined) return allowBy(rv, 'pl.noPrevious');
  const old: Content = isObject(previous.content) ? previous.content : {};
  const senderLevel = getPowerLevel(event.sender, authEvents, rv);

  // 10.3 / 9.3 / 9.5 / 10.6 For users_default, events_default, state_default, ban, redact, kick and
  // invite, for each one added, changed or removed:
  for (const key of POWER_LEVEL_INTEGER_KEYS) {
    const before = topLevel(old, key, rv);
    const after = topLevel(content, key, rv);
    if (before === after) continue;
    // 10.3.1 / 9.3.1 / 9.5.1 / 10.6.1 If the current value is higher than the sender's current power level, reject.
    if (before !== undefined && before > senderLevel) return rejectBy(rv, 'pl.namedCurrent', `current ${key} ${before} is above the sender's level ${senderLevel}`);
    // 10.3.2 / 9.3.2 / 9.5.2 / 10.6.2 If the new value is higher than the sender's current power level, reject.
    if (after !== undefined && after > senderLevel) return rejectBy(rv, 'pl.namedNew', `new ${key} ${after} is above the sender's level ${senderLevel}`);
  }

  // v6+: the notifications property is checked like events (MSC2209).
  const maps = ['events', ...(rv.limitNotificationsPowerLevels ? ['notifications'] : [])];
  for (const map of maps) {
    const before = mapOf(old, map, rv);
    const after = mapOf(content, map, rv);
    for (const [key, level] of before) {
      // 10.4.1 / 9.4.1 / 9.6.1 / 10.7.1 For each entry changed in or removed from events (or
      // notifications, v6+): if the current value is greater than the sender's level, reject.
      if (after.get(key) !== level && level > senderLevel) {
        return rejectBy(rv, 'pl.mapCurrent', `current ${map}[${key}] ${level} is above the sender's level ${senderLevel}`);
      }
    }
    for (const [key, level] of after) {
      // 10.5.1 / 9.5.1 / 9.7.1 / 10.8.1 For each entry added to or changed in events (or
      // notifications, v6+): if the new value is greater than the sender's level, reject.
      if (before.get(key) !== level && level > senderLevel) {
        return rejectBy(rv, 'pl.mapNew', `new ${map}[${key}] ${level} is above the sender's level ${senderLevel}`);
      }
    }
  }

  const usersBefore = mapOf(old, 'users', rv);
  const usersAfter = mapOf(content, 'users', rv);
  for (const [userId, level] of usersBefore) {
    // 10.6.1 / 9.6.1 / 9.8.1 / 10.9.1 For each entry changed in or removed from users, other than the
    // sender's own: if the current value is greater than or equal to the sender's level, reject.
    if (userId !== event.sender && usersAfter.get(userId) !== level && level >= senderLevel) {
      return rejectBy(rv, 'pl.usersCurrent', `current level ${level} of ${userId} is not below the sender's level ${senderLevel}`);
    }
  }
  for (const [userId, level] of usersAfter) {
    // 10.7.1 / 9.7.1 / 9.9.1 / 10.10.1 For each entry added to or changed in users: if the new value
    // is greater than the sender's current power level, reject.
    if (usersBefore.get(userId) !== level && level > senderLevel) {
      return rejectBy(rv, 'pl.usersNew', `new level ${level} of ${userId} is above the sender's level ${senderLevel}`);
    }
  }
  // 10.8 / 9.8 / 9.10 / 10.11 (v12 prints it as a second "10.") Otherwise, allow.
  return allowBy(rv, 'pl.allow');
}
