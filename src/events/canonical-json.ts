/** Canonical JSON (appendices §"Canonical JSON"): the one byte encoding that hashes and signatures cover. */
import { Buffer } from 'node:buffer';

/**
 * The largest magnitude canonical JSON allows: numbers must lie in [-(2**53)+1, (2**53)-1].
 * @example CANONICAL_JSON_MAX_INT === 2 ** 53 - 1 // true
 */
export const CANONICAL_JSON_MAX_INT = Number.MAX_SAFE_INTEGER;

export interface CanonicalJsonOptions {
  /**
   * Room versions 1–5 do not enforce canonical JSON ("Servers SHOULD be capable of handling JSON which
   * is considered invalid"): when true, finite floats and integers beyond ±(2**53−1) are written as
   * JavaScript prints them instead of throwing. NaN and ±Infinity always throw. Default false.
   */
  lenientNumbers?: boolean;
  /** Top-level object keys to leave out, as if deleted first (e.g. `signatures`, `unsigned`). */
  omitTopLevel?: ReadonlySet<string>;
}

/**
 * A value that canonical JSON cannot encode.
 * @example try { canonicalJson(1.5); } catch (e) { e instanceof CanonicalJsonError; } // true
 */
export class CanonicalJsonError extends TypeError {
  override name = 'CanonicalJsonError';
}


/** Characters that need an escape, or a well-formedness check (surrogates). */
// eslint-disable-next-line no-control-regex
const NEEDS_CARE = /["\\\u0000-\u001f\uD800-\uDFFF]/;

/**
 * Compares two strings by Unicode code point. JavaScript's `<` compares UTF-16 code units, which orders
 * astral characters (surrogate pairs, 0xD800–0xDFFF) before U+E000–U+FFFF; shifting the units fixes that.
 * @example ['😀', '\uFFFD'].sort(compareCodePoints) // ['\uFFFD', '😀']
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Writes a string per the grammar: `"`, `\` and U+0000–U+001F are the only escapes, with the short forms
 * \b \t \n \f \r and otherwise lowercase \u00XX. That is exactly what JSON.stringify emits for a
 * well-formed string; a lone surrogate has no UTF-8 encoding and is rejected.
 */
function encodeString(s: string): string {
  // Fast path: nothing to escape and no surrogates, so the string is written as is.
  if (!NEEDS_CARE.test(s)) return '"' + s + '"';
  if (!isWellFormed(s)) throw new CanonicalJsonError('canonical JSON: string contains a lone surrogate');
  return JSON.stringify(s);
}

function encodeNumber(n: number, lenient: boolean): string {
  // Numbers must be integers in [-(2**53)+1, (2**53)-1] without exponent or fraction; -0 is written 0.
  if (Number.isSafeInteger(n)) return n === 0 ? '0' : String(n);
  if (lenient && Number.isFinite(n)) {
    // An integer-valued double is most likely an integer the sender wrote out in full: print it exactly.
    return Number.isInteger(n) ? BigInt(n).toString() : JSON.stringify(n);
  }
  throw new CanonicalJsonError(`canonical JSON: ${String(n)} is not an integer in ±(2**53−1)`);
}

/**
 * An object's keys in code point order. Keys are often in order already (objects built that way, canonical JSON
 * parsed back), and short lists are sorted in place: Array.prototype.sort copies its input, and events are encoded
 * several times each.
 */
function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  let i = 1;
  while (i < keys.length && compareCodePoints(keys[i - 1]!, keys[i]!) < 0) i++;
  if (i >= keys.length) return keys;
  if (keys.length > 16) return keys.sort(compareCodePoints);
  for (; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && compareCodePoints(keys[j]!, k) > 0; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = k;
  }
  return keys;
}

function encode(value: unknown, lenient: boolean, omit: ReadonlySet<string> | undefined): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      return encodeNumber(value, lenient);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      if (lenient || (value <= BigInt(CANONICAL_JSON_MAX_INT) && value >= -BigInt(CANONICAL_JSON_MAX_INT))) {
        return value.toString();
      }
      throw new CanonicalJsonError('canonical JSON: bigint out of range');
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) throw new CanonicalJsonError('canonical JSON: undefined array element');
          if (i > 0) out += ',';
          out += encode(item, lenient, undefined);
        }
        return out + ']';
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError('canonical JSON: only plain objects and arrays can be encoded');
      }
      const obj = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const key of sortedKeys(obj)) {
        const v = obj[key];
        // Like JSON.stringify, an `undefined` member is simply absent.
        if (v === undefined || (omit !== undefined && omit.has(key))) continue;
        if (!first) out += ',';
        first = false;
        out += encodeString(key) + ':' + encode(v, lenient, undefined);
      }
      return out + '}';
    }
    default:
      throw new CanonicalJsonError(`canonical JSON: cannot encode a ${typeof value}`);
  }
}

/**
 * Encodes a JSON value as Canonical JSON: keys sorted by Unicode code point, no insignificant
 * whitespace, the shortest escapes of the grammar, integers only. The result is a JS string; its UTF-8
 * bytes (`Buffer.from(s, 'utf8')`) are what gets hashed and signed.
 *
 * Throws `CanonicalJsonError` on floats, NaN, ±Infinity, integers outside ±(2**53−1) (unless
 * `lenientNumbers`), lone surrogates, `undefined` array elements and non-plain objects.
 *
 * @example canonicalJson({ b: '2', a: '1', c: { '本': 2, '日': 1 } }) // '{"a":"1","b":"2","c":{"日":1,"本":2}}'
 */
export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  return encode(value, options.lenientNumbers === true, options.omitTopLevel);
}

/** Encodes top-level objects that share members with one source object, encoding each shared member once. */
export interface CanonicalMemo {
  /** Canonical JSON of `obj` without the `omit` keys; members identical (`===`) to the source's are reused. */
  encode(obj: object, omit?: ReadonlySet<string>): string;
}

/**
 * A memo over `source`'s top-level members, for encoding an event and its redacted copy (which shares
 * most members with it) without canonicalising the shared members twice. Valid while nothing is mutated.
 * @example const memo = createCanonicalMemo(event); memo.encode(redact(event, '10')); memo.encode(event);
 */
export function createCanonicalMemo(source: object, options: CanonicalJsonOptions = {}): CanonicalMemo {
  const lenient = options.lenientNumbers === true;
  const src = source as Record<string, unknown>;
  const memo = new Map<string, string>();
  return {
    encode(value, omit) {
      const proto = Object.getPrototypeOf(value) as unknown;
      if (Array.isArray(value) || (proto !== Object.prototype && proto !== null)) {
        throw new CanonicalJsonError('canonical JSON memo: only plain objects can be encoded');
      }
      const obj = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const key of sortedKeys(obj)) {
        const v = obj[key];
        if (v === undefined || (omit !== undefined && omit.has(key))) continue;
        let enc: string | undefined;
        if (v === src[key]) {
          enc = memo.get(key);
          if (enc === undefined) memo.set(key, (enc = encode(v, lenient, undefined)));
        } else {
          enc = encode(v, lenient, undefined);
        }
        if (!first) out += ',';
        first = false;
        out += encodeString(key) + ':' + enc;
      }
      return out + '}';
    },
  };
}

/**
 * Canonical JSON as UTF-8 bytes: what Matrix signs and hashes.
 * @example canonicalJsonBytes({ a: '日' }).length // 10
 */
export function canonicalJsonBytes(value: unknown, options: CanonicalJsonOptions = {}): Uint8Array {
  return Buffer.from(canonicalJson(value, options), 'utf8');
}
