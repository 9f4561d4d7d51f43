/** Glob patterns (appendices §"Glob-style matching") compiled to regular expressions, whole-value or at word boundaries. */

/** The word characters of the push rules' word boundary: `[A-Z]`, `[a-z]`, `[0-9]` and `_`. */
const WORD = '[A-Za-z0-9_]';
// A position is a word boundary unless it sits between two word characters (start and end of the value included).
const BOUNDARY = `(?:^|$|(?<!${WORD})|(?!${WORD}))`;

/** How a pattern must match: the entire value, or any substring that starts and ends at a word boundary. */
export type GlobMode = 'whole' | 'word';

/** Compiled patterns kept between evaluations (the caller owns it; see createGlobCache). */
export interface GlobCache {
  get(key: string): RegExp | undefined;
  set(key: string, re: RegExp): void;
}

/**
 * A bounded cache for compiled globs: push rules repeat the same few patterns for every event.
 * It empties itself when it reaches `maxEntries`.
 * @example const cache = createGlobCache(); globMatches('m.notice', 'M.NOTICE', 'whole', cache) // true
 */
export function createGlobCache(maxEntries = 2048): GlobCache {
  const map = new Map<string, RegExp>();
  return {
    get: (key) => map.get(key),
    set(key, re) {
      if (map.size >= maxEntries) map.clear();
      map.set(key, re);
    },
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The regular-expression source of a glob: `*` any run of characters, `?` exactly one. */
function globSource(glob: string): string {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '[\\s\\S]*';
    else if (ch === '?') src += '[\\s\\S]';
    else src += escapeRegExp(ch);
  }
  return src;
}

/**
 * Compiles `pattern` (a glob, or a literal when `literal` is true) into a case-insensitive RegExp.
 * @example globRegExp('lunc?*', 'whole').test('LUNCH') // true
 * @example globRegExp('ex*ple', 'word').test('An exciting triple-whammy') // true
 */
export function globRegExp(pattern: string, mode: GlobMode, literal = false, cache?: GlobCache): RegExp {
  const key = `${mode}${literal ? 'L' : 'G'}${pattern}`;
  const cached = cache?.get(key);
  if (cached) return cached;
  const body = literal ? escapeRegExp(pattern) : globSource(pattern);
  const re = new RegExp(mode === 'whole' ? `^(?:${body})$` : `${BOUNDARY}(?:${body})${BOUNDARY}`, 'iu');
  cache?.set(key, re);
  return re;
}

/**
 * Whether `value` matches the glob `pattern` in `mode`, case-insensitively.
 * @example globMatches('m.notice', 'M.NOTICE', 'whole') // true
 */
export function globMatches(pattern: string, value: string, mode: GlobMode, cache?: GlobCache): boolean {
  // Fast path for the common whole-value literal (`type` is `m.room.message`): no RegExp needed.
  if (mode === 'whole' && !pattern.includes('*') && !pattern.includes('?')) {
    return pattern.length === value.length ? pattern === value || pattern.toLowerCase() === value.toLowerCase() : pattern.toLowerCase() === value.toLowerCase();
  }
  return globRegExp(pattern, mode, false, cache).test(value);
}
