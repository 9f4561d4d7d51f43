/** The Zigbee2MQTT profile: one bridge connection; `bridge/devices` announces sub-devices, `<friendly_name>` carries their state. */
import { flattenValues, ignore, isRecord, parseJson, payloadText } from './payload.js';
import { EVENT_TYPES } from './event-types.js';
import { relativeTopic } from './topic.js';
import { encodeZigbee2mqtt, zigbee2mqttCommands } from './zigbee2mqtt-commands.js';
import type { DecodedItem, DeviceRef, Discovery, Profile, Reading } from './types.js';

/** Discovery keys of bridge devices are `ieee:<address>`. */
const KEY_PREFIX = 'ieee:';
/** Keys of a device state that are not readings (OTA status) or are metadata. */
const NOT_VALUES = new Set(['update', 'update_available', 'last_seen']);

/** Walks `exposes` (with nested `features`) collecting units and settable properties (access bit 2). */
function walkExposes(exposes: unknown, units: Record<string, string>, settable: Set<string>): void {
  if (!Array.isArray(exposes)) return;
  for (const e of exposes) {
    if (!isRecord(e)) continue;
    if (typeof e.property === 'string') {
      if (typeof e.unit === 'string') units[e.property] = e.unit;
      if (typeof e.access === 'number' && (e.access & 2) !== 0) settable.add(e.property);
    }
    walkExposes(e.features, units, settable);
  }
}

function discoveryOf(base: string, d: Record<string, unknown>): Discovery | undefined {
  if (typeof d.friendly_name !== 'string' || typeof d.ieee_address !== 'string' || d.type === 'Coordinator') return undefined;
  const def = isRecord(d.definition) ? d.definition : {};
  const units: Record<string, string> = {};
  const settable = new Set<string>();
  walkExposes(def.exposes, units, settable);
  const info: Record<string, unknown> = { ieee_address: d.ieee_address, type: d.type, units, settable: [...settable] };
  for (const k of ['model', 'vendor', 'description'] as const) if (typeof def[k] === 'string') info[k] = def[k];
  if (typeof d.power_source === 'string') info.power_source = d.power_source;
  if (d.supported === false) info.supported = false;
  const fn = d.friendly_name;
  const generic = /^0x[0-9a-f]{16}$/i.test(fn) && typeof info.vendor === 'string' && typeof info.model === 'string';
  return {
    device: fn, key: KEY_PREFIX + d.ieee_address, displayName: generic ? `${info.vendor} ${info.model}` : fn, info,
    commandTopics: [`${base}/${fn}/set`, `${base}/${fn}/get`],
  };
}

function decodeDevices(device: DeviceRef, payload: Uint8Array): DecodedItem[] {
  const json = parseJson(payload);
  if (!json.ok || !Array.isArray(json.value)) return ignore('bridge/devices is not a JSON array');
  const items: DecodedItem[] = [];
  const keys = new Set<string>();
  for (const d of json.value) {
    const found = isRecord(d) ? discoveryOf(device.topic, d) : undefined;
    if (!found) continue;
    keys.add(found.key);
    items.push({ kind: 'discovered', ...found });
  }
  for (const k of device.known ?? []) {
    if (k.key.startsWith(KEY_PREFIX) && !keys.has(k.key)) items.push({ kind: 'discovered', device: k.device, key: k.key, info: {}, removed: true });
  }
  return items.length ? items : ignore('no devices besides the coordinator');
}

/** `{"state":"online"}` (current) or plain `online` (legacy) availability payloads. */
function availability(name: string, payload: Uint8Array): DecodedItem[] {
  const json = parseJson(payload);
  const state = json.ok && isRecord(json.value) ? json.value.state : payloadText(payload)?.trim();
  if (state === 'online' || state === 'offline') return [{ kind: 'status', device: name, online: state === 'online' }];
  return ignore('availability is neither online nor offline');
}

function decodeBridge(device: DeviceRef, sub: string, payload: Uint8Array): DecodedItem[] {
  if (sub === 'state') return availability(device.name, payload);
  if (sub === 'devices') return decodeDevices(device, payload);
  const json = parseJson(payload);
  const obj = json.ok && isRecord(json.value) ? json.value : undefined;
  if (sub === 'event') {
    return obj ? [{ kind: 'event', device: device.name, type: EVENT_TYPES.deviceEvent, content: obj }] : ignore('bridge/event is not a JSON object');
  }
  if (sub.startsWith('response/')) {
    if (!obj) return ignore('bridge response is not a JSON object');
    const ok = obj.status === 'ok';
    const item: DecodedItem = { kind: 'command-result', device: device.name, ok, result: obj.data };
    if (typeof obj.transaction === 'string') item.commandId = obj.transaction;
    if (!ok) item.error = typeof obj.error === 'string' ? obj.error : 'request failed';
    return [item];
  }
  return ignore(`bridge/${sub} is not mapped`);
}

function decodeState(device: DeviceRef, name: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  const json = parseJson(payload);
  if (!json.ok || !isRecord(json.value)) return ignore(`state of ${name} is not a JSON object`);
  const obj = json.value;
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!NOT_VALUES.has(k)) data[k] = v;
  const values = flattenValues(data);
  const known = device.known?.find((k) => k.device === name && k.key.startsWith(KEY_PREFIX));
  const knownUnits = known && isRecord(known.info.units) ? known.info.units : {};
  const units: Record<string, string> = {};
  for (const k of Object.keys(values)) if (typeof knownUnits[k] === 'string') units[k] = knownUnits[k];
  const reading: Reading = Object.keys(units).length ? { values, units } : { values };
  const item: DecodedItem = { kind: 'reading', device: name, reading };
  const ts = typeof obj.last_seen === 'number' ? obj.last_seen : typeof obj.last_seen === 'string' ? Date.parse(obj.last_seen) : NaN;
  if (Number.isFinite(ts)) item.ts = ts;
  if (retained) item.retained = true;
  return [item];
}

function decode(device: DeviceRef, topic: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  const rel = relativeTopic(device.topic, topic);
  if (rel === null) return ignore(`${topic} is not under ${device.topic}`);
  if (rel.startsWith('bridge/')) return decodeBridge(device, rel.slice('bridge/'.length), payload);
  if (/\/(set|get)(\/[^/]+)?$/.test(rel)) return ignore('a command to a device');
  if (rel.endsWith('/availability')) return availability(rel.slice(0, -'/availability'.length), payload);
  return decodeState(device, rel, payload, retained);
}

/**
 * Zigbee2MQTT (1.x and 2.x) as one bridge connection on its base topic. `bridge/devices` yields one
 * `discovered` item per device (key `ieee:<address>`, units and settable properties from `exposes`, and
 * `removed` items for devices gone from the list); `<friendly_name>` JSON yields readings for that device;
 * availability and `bridge/state` yield status; `bridge/response/…` yields command results (by transaction).
 * @example
 * zigbee2mqttProfile.encode({ name: 'z2m', topic: 'zigbee2mqtt', child: 'lamp' },
 *   { id: '$1', command: 'set', args: ['brightness', '128'], sender: '@a:h' })
 * // [{ topic: 'zigbee2mqtt/lamp/set', payload: '{"brightness":128}', qos: 1 }]
 */
export const zigbee2mqttProfile: Profile = {
  id: 'zigbee2mqtt',
  description: 'Zigbee2MQTT bridge (devices announced on bridge/devices)',
  defaultTopic: () => 'zigbee2mqtt',
  subscriptions: (device) => [`${device.topic}/#`],
  // Zigbee2MQTT itself subscribes to its whole base topic.
  commandSubscriptions: (device) => [`${device.topic}/#`],
  ownsTopic: (device, topic) => {
    const rel = relativeTopic(device.topic, topic);
    return rel !== null && !rel.startsWith('bridge/request/') && !/\/(set|get)(\/[^/]+)?$/.test(rel);
  },
  decode,
  encode: encodeZigbee2mqtt,
  commands: zigbee2mqttCommands,
};
