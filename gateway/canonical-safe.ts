/** Makes device JSON fit Matrix canonical JSON: numbers that are not safe integers (21.5, 1e20) become decimal strings. */

/**
 * Room versions 6 and later sign only integers in ±(2^53−1); a float in event content would make the event
 * unsignable. Device payloads are full of floats, so every content the gateway sends passes through here.
 * @example canonicalSafe({ temperature: 21.5, count: 3 }) // { temperature: '21.5', count: 3 }
 */
export function canonicalSafe<T>(value: T): T {
  return convert(value) as T;
}

function convert(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : Number.isFinite(value) ? JSON.stringify(value) : null;
  if (Array.isArray(value)) return value.some(needsWork) ? value.map(convert) : value;
  if (typeof value === 'object' && value !== null) {
    if (!needsWork(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = convert(v);
    return out;
  }
  return value;
}

function needsWork(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.some(needsWork);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(needsWork);
  return false;
}
