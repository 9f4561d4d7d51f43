/** Dot-separated property paths (appendices §"Dot-separated property paths"): splitting with escapes, and lookup. */

/**
 * Splits a path on unescaped dots. `\.` is a literal dot and `\\` a literal backslash; any other
 * escape is left as-is (a backslash followed by that character).
 * @example splitDottedPath('content.m\\.relates_to.rel_type') // ['content', 'm.relates_to', 'rel_type']
 */
export function splitDottedPath(path: string): string[] {
  if (!path.includes('\\')) return path.split('.');
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && (path[i + 1] === '.' || path[i + 1] === '\\')) {
      current += path[++i];
    } else if (c === '.') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The value at `path` inside `root` (objects only; arrays are not indexed), or undefined when absent.
 * @example lookupPath({ content: { 'm.mentions': { room: true } } }, 'content.m\\.mentions.room') // true
 */
export function lookupPath(root: unknown, path: string | readonly string[]): unknown {
  let node = root;
  for (const key of typeof path === 'string' ? splitDottedPath(path) : path) {
    if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
  }
  return node;
}
