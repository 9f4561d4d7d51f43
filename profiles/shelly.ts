/** The Shelly Gen2+ profile (RPC over MQTT): `<prefix>/online`, `events/rpc` notifications, `status/<component>`, RPC replies. */
import { encodeShelly, shellyCommands, shellySource } from './shelly-commands.js';
import { flattenValues, ignore, isRecord, parseJson, payloadText } from './payload.js';
import { EVENT_TYPES } from './event-types.js';
import { relativeTopic } from './topic.js';
import type { DecodedItem, DeviceRef, Profile, Reading, ReadingValue } from './types.js';


/** Components whose status is a reading (not sys, wifi, cloud, mqtt, ble, ...). */
const READING_COMPONENT = /^(switch|cover|light|rgb|rgbw|cct|input|temperature|humidity|devicepower|illuminance|voltmeter|em|em1|pm1|smoke|flood):\d+$/;
/** Status fields that are bookkeeping, not measurements. */
const SKIPPED_FIELDS = new Set(['id', 'source', 'minute_ts', 'tF']);

const FIELD_UNITS: Readonly<Record<string, string>> = {
  apower: 'W', act_power: 'W', total_act_power: 'W', aprt_power: 'VA', total_aprt_power: 'VA', voltage: 'V',
  current: 'A', total_current: 'A', freq: 'Hz', tC: '°C', rh: '%', lux: 'lx', percent: '%', V: 'V',
  brightness: '%', current_pos: '%', target_pos: '%',
};

function fieldUnit(key: string): string | undefined {
  if (/aenergy\.total$/.test(key)) return 'Wh';
  const leaf = key.slice(key.lastIndexOf('.') + 1);
  return FIELD_UNITS[leaf] ?? (/_voltage$/.test(leaf) ? 'V' : /_current$/.test(leaf) ? 'A' : /_act_power$/.test(leaf) ? 'W' : undefined);
}

/** Readings from `{ "switch:0": {...}, "temperature:0": {...}, ... }`; undefined when no component maps. */
function readingOf(components: Record<string, unknown>): Reading | undefined {
  const values: Record<string, ReadingValue> = {};
  const units: Record<string, string> = {};
  for (const [component, status] of Object.entries(components)) {
    if (!READING_COMPONENT.test(component) || !isRecord(status)) continue;
    for (const [k, v] of Object.entries(flattenValues(status, component))) {
      if (SKIPPED_FIELDS.has(k.slice(k.lastIndexOf('.') + 1))) continue;
      values[k] = v;
      const unit = typeof v === 'number' ? fieldUnit(k) : undefined;
      if (unit) units[k] = unit;
    }
  }
  if (!Object.keys(values).length) return undefined;
  return Object.keys(units).length ? { values, units } : { values };
}

function readingItem(device: DeviceRef, reading: Reading, ts: unknown, retained: boolean): DecodedItem {
  const item: DecodedItem = { kind: 'reading', device: device.name, reading };
  if (typeof ts === 'number' && Number.isFinite(ts)) item.ts = Math.round(ts * 1000);
  if (retained) item.retained = true;
  return item;
}

function decodeNotification(device: DeviceRef, msg: Record<string, unknown>, retained: boolean): DecodedItem[] {
  const params = isRecord(msg.params) ? msg.params : undefined;
  if (!params) return ignore('notification without params');
  if (msg.method === 'NotifyStatus' || msg.method === 'NotifyFullStatus') {
    const reading = readingOf(params);
    return reading ? [readingItem(device, reading, params.ts, retained)] : ignore('no reading components in the notification');
  }
  if (msg.method === 'NotifyEvent' && Array.isArray(params.events)) {
    const items: DecodedItem[] = params.events.filter(isRecord).map((content) => ({ kind: 'event', device: device.name, type: EVENT_TYPES.deviceEvent, content }));
    return items.length ? items : ignore('NotifyEvent without events');
  }
  return ignore(`notification ${String(msg.method)} is not mapped`);
}

function decodeReply(device: DeviceRef, msg: Record<string, unknown>): DecodedItem[] {
  const commandId = typeof msg.id === 'string' ? msg.id : typeof msg.id === 'number' ? String(msg.id) : undefined;
  const item: DecodedItem = isRecord(msg.error)
    ? { kind: 'command-result', device: device.name, ok: false, error: `${String(msg.error.message ?? 'RPC error')} (${String(msg.error.code)})` }
    : { kind: 'command-result', device: device.name, ok: true, result: msg.result ?? null };
  if (commandId !== undefined) item.commandId = commandId;
  return [item];
}

function decode(device: DeviceRef, topic: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  const rel = relativeTopic(device.topic, topic);
  if (rel === null) return ignore(`${topic} is not under ${device.topic}`);
  if (rel === 'online') {
    const text = payloadText(payload)?.trim();
    return text === 'true' || text === 'false' ? [{ kind: 'status', device: device.name, online: text === 'true' }] : ignore('online is neither true nor false');
  }
  if (rel === 'rpc' || rel.startsWith('command')) return ignore('a request to the device');
  const json = parseJson(payload);
  if (!json.ok || !isRecord(json.value)) return ignore(`${rel} is not a JSON object`);
  if (rel === 'events/rpc') return decodeNotification(device, json.value, retained);
  if (topic === `${shellySource(device.topic)}/rpc`) return decodeReply(device, json.value);
  const status = /^status\/([\w]+:\d+)$/.exec(rel);
  if (status) {
    const reading = readingOf({ [status[1]!]: json.value });
    return reading ? [readingItem(device, reading, undefined, retained)] : ignore(`${status[1]} is not a reading component`);
  }
  return ignore(`${rel} is not mapped`);
}

/**
 * Shelly Gen2/Gen3/Gen4 devices on their MQTT topic prefix (default `<model>-<mac>`). Enable "RPC status
 * notifications" (events/rpc) and/or "generic status update" (status/<component>) on the device.
 * Readings are keyed `<component>.<field>` (`switch:0.apower`, `temperature:0.tC`); RPC replies arrive on
 * `<prefix>/hearth/rpc` because requests carry `src: "<prefix>/hearth"`.
 * @example
 * shellyProfile.decode({ name: 'plug', topic: 'shellyplus1pm-441793a3c8b8' }, 'shellyplus1pm-441793a3c8b8/online', new TextEncoder().encode('true'), true)
 * // [{ kind: 'status', device: 'plug', online: true }]
 */
export const shellyProfile: Profile = {
  id: 'shelly',
  description: 'Shelly Gen2+ devices (RPC over MQTT)',
  defaultTopic: (name) => name,
  subscriptions: (device) => [`${device.topic}/#`],
  commandSubscriptions: (device) => [`${device.topic}/rpc`, `${device.topic}/command`, `${device.topic}/command/#`],
  ownsTopic: (device, topic) => {
    const rel = relativeTopic(device.topic, topic);
    return rel !== null && rel !== 'rpc' && rel !== 'command' && !rel.startsWith('command/');
  },
  decode,
  encode: encodeShelly,
  commands: shellyCommands,
};
