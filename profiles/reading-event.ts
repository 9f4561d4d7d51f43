/** Turns a device Reading into the `m.room.message` / `m.notice` content every Matrix client can show. */
import type { Reading, ReadingValue } from './types.js';

/**
 * Room event type of a reading.
 * @example { type: READING_EVENT_TYPE, content: readingEventContent('Hall', reading) }
 */
export const READING_EVENT_TYPE = 'm.room.message';
/**
 * Namespaced content key carrying the structured values.
 * @example content[READING_KEY].values.temperature // 20.6
 */
export const READING_KEY = 'org.hearth.reading';

/** Structured part of a reading event. */
export interface ReadingPayload {
  values: Record<string, ReadingValue>;
  units: Record<string, string>;
  /** ms since epoch, when the device said when it measured. */
  ts?: number;
}

export interface ReadingEventContent {
  msgtype: 'm.notice';
  body: string;
  [READING_KEY]: ReadingPayload;
}

/** Conventional units of well-known quantity names (lower-cased, separators removed). */
const COMMON_UNITS: Readonly<Record<string, string>> = {
  temperature: '°C', temp: '°C', dewpoint: '°C', humidity: '%', pressure: 'hPa', illuminance: 'lx',
  illuminancelux: 'lx', lux: 'lx', battery: '%', power: 'W', apower: 'W', energy: 'kWh', voltage: 'V',
  current: 'A', co2: 'ppm', carbondioxide: 'ppm', eco2: 'ppm', tvoc: 'ppb', pm25: 'µg/m³', pm10: 'µg/m³',
  pm1: 'µg/m³', linkquality: 'lqi', frequency: 'Hz', rssi: 'dBm', moisture: '%', soilmoisture: '%',
};

/**
 * The conventional unit of a value key, judged by its last segment or last `_` word, if it is well known.
 * @example commonUnit('AM2301.Temperature') // '°C'
 * @example commonUnit('living_room_humidity') // '%'
 */
export function commonUnit(key: string): string | undefined {
  const lower = key.toLowerCase();
  if (/pm2[._]?5$/.test(lower)) return 'µg/m³';
  // Slices rather than splits: this runs for every value of every reading.
  const leaf = lower.slice(Math.max(lower.lastIndexOf('.'), lower.lastIndexOf('/')) + 1);
  const squashed = /[^a-z0-9]/.test(leaf) ? leaf.replace(/[^a-z0-9]/g, '') : leaf;
  const lastWord = leaf.slice(Math.max(leaf.lastIndexOf('_'), leaf.lastIndexOf('-')) + 1);
  return COMMON_UNITS[squashed] ?? COMMON_UNITS[lastWord];
}

/**
 * Formats a number for people: integers as-is, others with at most two decimals (two significant
 * digits below 0.01).
 * @example formatNumber(20.5999) // '20.6'
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  if (abs > 0 && abs < 0.01) return String(Number(n.toPrecision(2)));
  return String(Number(n.toFixed(2)));
}

/**
 * A value key as words: separators become spaces, camelCase is split, purely alphabetic words lower-cased.
 * @example humanLabel('ENERGY.ApparentPower') // 'energy apparent power'
 */
export function humanLabel(key: string): string {
  if (/^[a-z]+$/.test(key)) return key; // the usual key, already one lower-case word
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[._/\s]+/)
    .filter(Boolean)
    .map((w) => (/^[A-Za-z]+$/.test(w) ? w.toLowerCase() : w))
    .join(' ');
}

function describeValue(key: string, value: ReadingValue, unit: string | undefined): string | null {
  if (value === null) return null;
  const label = humanLabel(key);
  if (typeof value === 'number') {
    const quantity = unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
    // A bare temperature reads best as just "20.6 °C".
    return key.toLowerCase() === 'temperature' && unit ? quantity : `${quantity} ${label}`;
  }
  if (typeof value === 'boolean') return `${label}: ${value ? 'yes' : 'no'}`;
  return `${label}: ${value}`;
}

/**
 * The content of a reading event: a human `body` plus the values, units (explicit, else conventional for
 * numeric well-known keys) and timestamp under `org.hearth.reading`.
 * @example
 * readingEventContent('Kitchen', { values: { temperature: 20.6, humidity: 45 } })
 * // { msgtype: 'm.notice', body: 'Kitchen: 20.6 °C, 45 % humidity',
 * //   'org.hearth.reading': { values: {...}, units: { temperature: '°C', humidity: '%' } } }
 */
export function readingEventContent(deviceLabel: string, reading: Reading, ts?: number): ReadingEventContent {
  const units: Record<string, string> = {};
  const parts: string[] = [];
  for (const [key, value] of Object.entries(reading.values)) {
    const unit = reading.units?.[key] ?? (typeof value === 'number' ? commonUnit(key) : undefined);
    if (unit) units[key] = unit;
    const part = describeValue(key, value, unit);
    if (part) parts.push(part);
  }
  // Keys in code point order, as canonical JSON writes them: the event's hashing then copies them as they are.
  const values = { ...reading.values };
  const payload: ReadingPayload = ts === undefined ? { units, values } : { ts, units, values };
  const body = `${deviceLabel}: ${parts.length ? parts.join(', ') : 'no values'}`;
  return { body, msgtype: 'm.notice', [READING_KEY]: payload };
}
