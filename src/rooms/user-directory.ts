/** User directory search: the users visible to the searcher (shared rooms, public or world-readable rooms), matched and ranked. */
import type { Store } from '../storage/types.js';

export interface UserDirectoryResult {
  user_id: string;
  display_name?: string;
  avatar_url?: string;
}

interface Candidate extends UserDirectoryResult {
  rank: number;
}

/**
 * Ranks a user against the search words: 0 when a word is the whole localpart or display name, 1 when every word
 * starts the localpart or a word of the display name, 2 when every word is only somewhere inside; undefined when
 * some word matches nowhere (case-insensitive, on the user id and the display name).
 */
export function rankUser(userId: string, displayName: string | undefined, words: readonly string[]): number | undefined {
  const id = userId.toLowerCase();
  const local = id.slice(1, id.includes(':') ? id.indexOf(':') : undefined);
  const name = (displayName ?? '').toLowerCase();
  const nameWords = name.split(/\s+/).filter(Boolean);
  let rank = 0;
  for (const w of words) {
    if (!id.includes(w) && !name.includes(w)) return undefined;
    if (w === local || w === name) continue;
    rank = Math.max(rank, local.startsWith(w) || nameWords.some((n) => n.startsWith(w)) ? 1 : 2);
  }
  return rank;
}

/**
 * POST /user_directory/search, like Synapse's default (`search_all_users: false`): users who share a room with the
 * searcher, and users joined to rooms whose join rule is public or whose history is world-readable (spec §"User directory").
 * Results rank by match quality, then users with a display name, then user id.
 */
export async function searchUserDirectory(store: Store, searcher: string, searchTerm: string, limit: number): Promise<{ results: UserDirectoryResult[]; limited: boolean }> {
  const words = searchTerm.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { results: [], limited: false };
  const rooms = new Set((await store.rooms.roomsForUser(searcher)).filter((m) => m.membership === 'join').map((m) => m.roomId));
  for (const r of await store.directory.roomsWithState('m.room.join_rules')) if (r.content.join_rule === 'public') rooms.add(r.roomId);
  for (const r of await store.directory.roomsWithState('m.room.history_visibility')) if (r.content.history_visibility === 'world_readable') rooms.add(r.roomId);
  // A user may carry a different display name in each room: keep the best-ranked match, preferring one with a name.
  const found = new Map<string, Candidate>();
  for (const m of await store.directory.joinedMembers([...rooms])) {
    const displayName = typeof m.content.displayname === 'string' && m.content.displayname !== '' ? m.content.displayname : undefined;
    const rank = rankUser(m.userId, displayName, words);
    if (rank === undefined) continue;
    const best = found.get(m.userId);
    if (best && (best.rank < rank || (best.rank === rank && (best.display_name !== undefined || displayName === undefined)))) continue;
    const avatar = typeof m.content.avatar_url === 'string' && m.content.avatar_url !== '' ? m.content.avatar_url : undefined;
    found.set(m.userId, {
      user_id: m.userId, rank, ...(displayName !== undefined ? { display_name: displayName } : {}), ...(avatar !== undefined ? { avatar_url: avatar } : {}),
    });
  }
  const sorted = [...found.values()].sort((a, b) => (a.rank - b.rank)
    || (Number(b.display_name !== undefined) - Number(a.display_name !== undefined))
    || (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
  return { results: sorted.slice(0, limit).map(({ rank: _rank, ...r }) => r), limited: sorted.length > limit };
}
