/** The Home Assistant MQTT discovery profile: config topics announce devices and entities; their state topics give readings. */
import { discoveryOfConfig, parseConfigTopic } from './homeassistant-discovery.js';
import type { HaEntity } from './homeassistant-discovery.js';
import { encodeHomeassistant, homeassistantCommands, knownEntities } from './homeassistant-commands.js';
import { renderValueTemplate } from './homeassistant-template.js';
import { ignore, isRecord, parseJson, parseScalar, payloadText, flattenValues } from './payload.js';
import { relativeTopic } from './topic.js';
import type { DecodedItem, DeviceRef, Profile, ReadingValue } from './types.js';

const MISSING = new Set(['', 'unknown', 'unavailable', 'None', 'none', 'null']);
const ON_OFF_COMPONENTS = new Set(['binary_sensor', 'switch', 'light', 'fan', 'siren', 'humidifier']);

/** An entity's state as a reading value, or undefined when it should be skipped. */
function stateValue(e: HaEntity, raw: unknown): ReadingValue | undefined {
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
  if (text === undefined) return raw === null ? null : undefined;
  if (ON_OFF_COMPONENTS.has(e.component)) {
    const on = e.component === 'binary_sensor' ? e.payloadOn ?? 'ON' : e.stateOn ?? e.payloadOn ?? 'ON';
    const off = e.component === 'binary_sensor' ? e.payloadOff ?? 'OFF' : e.stateOff ?? e.payloadOff ?? 'OFF';
    if (text === on) return true;
    if (text === off) return false;
    return MISSING.has(text) ? null : undefined;
  }
  if (MISSING.has(text.trim())) return null;
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return parseScalar(text);
}

function decodeConfig(device: DeviceRef, rel: string, payload: Uint8Array): DecodedItem[] {
  const t = parseConfigTopic(rel);
  if (!t) return ignore(`${rel} is not a discovery topic`);
  if (payload.length === 0) {
    const was = device.known?.find((k) => k.key === rel);
    return was ? [{ kind: 'discovered', device: was.device, key: rel, info: {}, removed: true }] : ignore('removal of an unknown config');
  }
  const json = parseJson(payload);
  if (!json.ok || !isRecord(json.value)) return ignore('discovery config is not a JSON object');
  const d = discoveryOfConfig(t, rel, json.value);
  return d ? [{ kind: 'discovered', ...d }] : ignore('device discovery without components');
}

function decodeStates(device: DeviceRef, topic: string, text: string, retained: boolean): DecodedItem[] {
  const readings = new Map<string, { values: Record<string, ReadingValue>; units: Record<string, string> }>();
  const statuses = new Map<string, boolean>();
  const skipped: string[] = [];
  for (const { device: child, entity: e } of knownEntities(device)) {
    for (const a of e.availability ?? []) {
      if (a.topic !== topic) continue;
      const r = renderValueTemplate(a.valueTemplate, text);
      const v = r.ok ? String(r.value) : text;
      if (v === a.payloadAvailable || v === a.payloadNotAvailable) statuses.set(child, v === a.payloadAvailable);
    }
    if (e.stateTopic !== topic) continue;
    const r = renderValueTemplate(e.valueTemplate, text);
    if (!r.ok) { skipped.push(`${e.key}: ${r.reason}`); continue; }
    const entry = readings.get(child) ?? { values: {}, units: {} };
    const json = e.schema === 'json' && typeof r.value === 'string' ? parseJson(r.value) : undefined;
    if (json?.ok && isRecord(json.value)) {
      for (const [k, v] of Object.entries(flattenValues(json.value))) entry.values[`${e.key}.${k}`] = k === 'state' ? stateValue(e, v) ?? v : v;
    } else {
      const v = stateValue(e, r.value);
      if (v === undefined) { skipped.push(`${e.key}: unexpected state ${text}`); continue; }
      entry.values[e.key] = v;
      if (e.unit) entry.units[e.key] = e.unit;
    }
    readings.set(child, entry);
  }
  const items: DecodedItem[] = [];
  for (const [child, online] of statuses) items.push({ kind: 'status', device: child, online });
  for (const [child, { values, units }] of readings) {
    const item: DecodedItem = { kind: 'reading', device: child, reading: Object.keys(units).length ? { values, units } : { values } };
    if (retained) item.retained = true;
    items.push(item);
  }
  if (items.length) return items;
  return ignore(skipped.length ? skipped.join('; ') : `no known entity uses ${topic}`);
}

function decode(device: DeviceRef, topic: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  const rel = relativeTopic(device.topic, topic);
  if (rel !== null && rel.endsWith('/config')) return decodeConfig(device, rel, payload);
  const text = payloadText(payload);
  if (text === null) return ignore('state payload is not UTF-8');
  return decodeStates(device, topic, text, retained);
}

function knownTopics(device: DeviceRef, which: 'stateTopics' | 'commandTopics'): string[] {
  const out = new Set<string>();
  for (const k of device.known ?? []) for (const t of k[which] ?? []) out.add(t);
  return [...out];
}

/**
 * Home Assistant MQTT discovery, as one connection on the discovery prefix (`homeassistant`). Config topics
 * (per component, and device-based `homeassistant/device/<id>/config` with `cmps`) yield `discovered` items
 * keyed by config topic; the state and availability topics they name yield readings and status for the HA
 * device (its first identifier). Value templates: `{{ value }}`, `{{ value_json.a.b }}` with float/int/round/default.
 * @example
 * homeassistantProfile.decode({ name: 'ha', topic: 'homeassistant' }, 'homeassistant/sensor/t1/config',
 *   new TextEncoder().encode('{"name":"Temperature","stat_t":"t1/state","unit_of_meas":"°C","dev":{"ids":"t1"}}'), true)
 * // [{ kind: 'discovered', device: 't1', key: 'sensor/t1/config', ..., stateTopics: ['t1/state'] }]
 */
export const homeassistantProfile: Profile = {
  id: 'homeassistant',
  description: 'Home Assistant MQTT discovery (homeassistant/<component>/…/config)',
  defaultTopic: () => 'homeassistant',
  subscriptions: (device) => [`${device.topic}/#`, ...knownTopics(device, 'stateTopics')],
  // `<prefix>/status` is Home Assistant's birth message, which devices watch to re-announce themselves.
  commandSubscriptions: (device) => [`${device.topic}/status`, ...knownTopics(device, 'commandTopics')],
  ownsTopic: (device, topic) =>
    (relativeTopic(device.topic, topic)?.endsWith('/config') ?? false) || knownTopics(device, 'stateTopics').includes(topic),
  decode,
  encode: encodeHomeassistant,
  commands: homeassistantCommands,
};
