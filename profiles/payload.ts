/** Payload helpers shared by the profiles: text, JSON, scalar parsing and flattening of nested values. */
import type { DecodedItem, ReadingValue } from './types.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The payload as UTF-8 text, or null when it is not valid UTF-8.
 * @example payloadText(new TextEncoder().encode('online')) // 'online'
 */
export function payloadText(payload: Uint8Array): string | null {
  try {
    return UTF8.decode(payload);
  } catch {
    return null;
  }
}

/** Result of {@link parseJson}: `ok` false when the payload is not JSON. */
export type JsonResult = { ok: true; value: unknown } | { ok: false };

/**
 * Parses a UTF-8 JSON payload without throwing.
 * @example parseJson(new TextEncoder().encode('{"a":1}')) // { ok: true, value: { a: 1 } }
 */
export function parseJson(payload: Uint8Array | string): JsonResult {
  const text = typeof payload === 'string' ? payload : payloadText(payload);
  if (text === null) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Whether `x` is a plain JSON object (not null, not an array).
 * @example isRecord({}) // true
 */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array);
}

/**
 * A `{ kind: 'ignore' }` item list.
 * @example ignore('not JSON') // [{ kind: 'ignore', reason: 'not JSON' }]
 */
export function ignore(reason: string): DecodedItem[] {
  return [{ kind: 'ignore', reason }];
}

/**
 * Parses a plain-text value: finite numbers, `true`/`false`, otherwise the trimmed text.
 * @example parseScalar(' 21.5 ') // 21.5
 */
export function parseScalar(text: string): ReadingValue {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

/**
 * Whether `x` is a reading value (finite number, string, boolean or null).
 * @example isReadingValue(NaN) // false
 */
export function isReadingValue(x: unknown): x is ReadingValue {
  return x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
}

/**
 * Flattens nested objects into dotted keys, keeping scalar leaves; arrays and non-finite numbers are dropped.
 * @example flattenValues({ ENERGY: { Power: 12 }, Time: 'x' }) // { 'ENERGY.Power': 12, Time: 'x' }
 */
export function flattenValues(obj: Record<string, unknown>, prefix = ''): Record<string, ReadingValue> {
  const out: Record<string, ReadingValue> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isRecord(v)) Object.assign(out, flattenValues(v, key));
    else if (isReadingValue(v)) out[key] = v;
  }
  return out;
}

/**
 * The last dotted/slashed segment of a key, lower-cased: the part that names the quantity.
 * @example leafName('AM2301.Temperature') // 'temperature'
 */
export function leafName(key: string): string {
  const parts = key.split(/[./]/);
  return (parts[parts.length - 1] ?? key).toLowerCase();
}

/**
 * A command argument as a JSON value: numbers, booleans, JSON objects/arrays, otherwise the string itself.
 * @example parseArgValue('128') // 128
 * @example parseArgValue('{"x":1}') // { x: 1 }
 */
export function parseArgValue(arg: string): unknown {
  if (/^[{[]/.test(arg)) {
    const json = parseJson(arg);
    if (json.ok) return json.value;
  }
  return parseScalar(arg);
}
