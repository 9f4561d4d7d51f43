/** Ignoring users (spec: "Ignoring Users"): reading the `m.ignored_user_list` account data. */

/** The account data type that lists ignored users. */
export const IGNORED_USER_LIST = 'm.ignored_user_list';

/**
 * The user ids ignored by the owner of `content` (the `m.ignored_user_list` content, or undefined when
 * unset): the keys of `ignored_users` that look like user ids. Anything malformed ignores nobody.
 * @example ignoredUsers({ ignored_users: { '@spam:example.org': {} } }).has('@spam:example.org') // true
 */
export function ignoredUsers(content: unknown): Set<string> {
  const out = new Set<string>();
  if (typeof content !== 'object' || content === null) return out;
  const map = (content as { ignored_users?: unknown }).ignored_users;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return out;
  for (const userId of Object.keys(map)) if (userId.startsWith('@')) out.add(userId);
  return out;
}
