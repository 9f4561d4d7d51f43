/** State maps: the (type, state_key) -> event id key used across the event graph code. */

/**
 * The key of a state entry in a `StateMap`.
 * @example stateMapKey('m.room.member', '@alice:hs') // 'm.room.member\u0000@alice:hs'
 */
export function stateMapKey(type: string, stateKey: string): string {
  return `${type}\u0000${stateKey}`;
}

/**
 * Splits a `stateMapKey` back into its type and state key.
 * @example parseStateMapKey(stateMapKey('m.room.name', '')) // { type: 'm.room.name', stateKey: '' }
 */
export function parseStateMapKey(key: string): { type: string; stateKey: string } {
  const i = key.indexOf('\u0000');
  return { type: key.slice(0, i), stateKey: key.slice(i + 1) };
}

/** A room state: stateMapKey -> event id. */
export type StateMap = Map<string, string>;
