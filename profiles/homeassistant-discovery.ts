/** Home Assistant MQTT discovery: config topics and payloads (per component and device-based) into Discovery entries. */
import { expandDeviceConfig, expandOptions } from './homeassistant-abbreviations.js';
import { isRecord } from './payload.js';
import type { Discovery } from './types.js';

/** Where an entity's availability comes from. */
export interface HaAvailability {
  topic: string;
  payloadAvailable: string;
  payloadNotAvailable: string;
  valueTemplate?: string;
}

/** One entity, as kept in `Discovery.info.entities`. Only JSON-safe fields. */
export interface HaEntity {
  component: string;
  /** Key of the entity's value in readings (slug of its name, else device class, object id or component). */
  key: string;
  stateTopic?: string;
  valueTemplate?: string;
  unit?: string;
  deviceClass?: string;
  commandTopic?: string;
  commandTemplate?: string;
  payloadOn?: string;
  payloadOff?: string;
  stateOn?: string;
  stateOff?: string;
  /** Command payloads by verb (open, close, stop, lock, unlock, press). */
  payloads?: Record<string, string>;
  schema?: string;
  retain?: boolean;
  qos?: number;
  availability?: HaAvailability[];
}

/** A parsed config topic `<prefix>/<component>/[<node_id>/]<object_id>/config`. */
export interface HaConfigTopic {
  component: string;
  nodeId?: string;
  objectId: string;
}

/**
 * Parses the part of a config topic below the discovery prefix.
 * @example parseConfigTopic('sensor/garden/temp/config') // { component: 'sensor', nodeId: 'garden', objectId: 'temp' }
 */
export function parseConfigTopic(rel: string): HaConfigTopic | null {
  const m = /^([\w-]+)\/(?:([\w-]+)\/)?([\w-]+)\/config$/.exec(rel);
  if (!m) return null;
  return m[2] ? { component: m[1]!, nodeId: m[2], objectId: m[3]! } : { component: m[1]!, objectId: m[3]! };
}

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined);
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');

function availabilityOf(o: Record<string, unknown>): HaAvailability[] | undefined {
  const entries = Array.isArray(o.availability) ? o.availability.filter(isRecord)
    : typeof o.availability_topic === 'string'
      ? [{ topic: o.availability_topic, payload_available: o.payload_available, payload_not_available: o.payload_not_available, value_template: o.availability_template }]
      : [];
  const out: HaAvailability[] = [];
  for (const a of entries) {
    if (typeof a.topic !== 'string') continue;
    const av: HaAvailability = { topic: a.topic, payloadAvailable: str(a.payload_available) ?? 'online', payloadNotAvailable: str(a.payload_not_available) ?? 'offline' };
    if (typeof a.value_template === 'string') av.valueTemplate = a.value_template;
    out.push(av);
  }
  return out.length ? out : undefined;
}

const VERB_OPTIONS: ReadonlyArray<[string, string, string]> = [
  ['open', 'payload_open', 'OPEN'], ['close', 'payload_close', 'CLOSE'], ['stop', 'payload_stop', 'STOP'],
  ['lock', 'payload_lock', 'LOCK'], ['unlock', 'payload_unlock', 'UNLOCK'], ['press', 'payload_press', 'PRESS'],
];
const VERB_COMPONENTS: Readonly<Record<string, string[]>> = { cover: ['open', 'close', 'stop'], valve: ['open', 'close', 'stop'], lock: ['lock', 'unlock', 'open'], button: ['press'] };

/**
 * Builds the entity record from expanded options.
 * @example entityOf('sensor', 'temp', { name: 'Temperature', state_topic: 's', unit_of_measurement: '°C' })
 * // { component: 'sensor', key: 'temperature', stateTopic: 's', unit: '°C' }
 */
export function entityOf(component: string, objectId: string, o: Record<string, unknown>): HaEntity {
  const name = typeof o.name === 'string' && o.name.trim() ? slug(o.name) : '';
  const e: HaEntity = { component, key: name || str(o.device_class) || str(o.object_id) || objectId || component };
  const set = <K extends keyof HaEntity>(k: K, v: HaEntity[K] | undefined): void => { if (v !== undefined) e[k] = v; };
  set('stateTopic', str(o.state_topic));
  set('valueTemplate', str(o.value_template) ?? (o.schema === 'json' ? undefined : str(o.state_value_template)));
  set('unit', str(o.unit_of_measurement));
  set('deviceClass', str(o.device_class));
  set('commandTopic', str(o.command_topic));
  set('commandTemplate', str(o.command_template));
  set('payloadOn', str(o.payload_on));
  set('payloadOff', str(o.payload_off));
  set('stateOn', str(o.state_on));
  set('stateOff', str(o.state_off));
  set('schema', str(o.schema));
  if (typeof o.retain === 'boolean') e.retain = o.retain;
  if (typeof o.qos === 'number') e.qos = o.qos;
  const verbs = VERB_COMPONENTS[component];
  if (verbs) {
    e.payloads = {};
    for (const [verb, option, def] of VERB_OPTIONS) if (verbs.includes(verb)) e.payloads[verb] = str(o[option]) ?? def;
  }
  set('availability', availabilityOf(o));
  return e;
}

function deviceIdOf(device: Record<string, unknown> | undefined, fallback: string): string {
  const ids = device?.identifiers;
  const first = Array.isArray(ids) ? ids[0] : ids;
  if (typeof first === 'string' && first) return first;
  const cns = device?.connections;
  if (Array.isArray(cns) && Array.isArray(cns[0])) return cns[0].join(':');
  return fallback;
}

function topicsOf(entities: HaEntity[]): { stateTopics: string[]; commandTopics: string[] } {
  const state = new Set<string>();
  const command = new Set<string>();
  for (const e of entities) {
    if (e.stateTopic) state.add(e.stateTopic);
    for (const a of e.availability ?? []) state.add(a.topic);
    if (e.commandTopic) command.add(e.commandTopic);
  }
  return { stateTopics: [...state], commandTopics: [...command] };
}

function discovery(deviceId: string, key: string, device: Record<string, unknown> | undefined, entities: HaEntity[], fallbackName?: string): Discovery {
  const info: Record<string, unknown> = { entities };
  if (device) info.device = device;
  const d: Discovery = { device: deviceId, key, info, ...topicsOf(entities) };
  const displayName = typeof device?.name === 'string' ? device.name : fallbackName;
  if (displayName) d.displayName = displayName;
  return d;
}

/**
 * A Discovery from a config payload (already JSON-parsed); `key` is the config topic below the prefix.
 * @example
 * discoveryOfConfig({ component: 'switch', objectId: 'plug' }, 'switch/plug/config', { name: 'Plug', cmd_t: 'p/set', dev: { ids: 'p1' } })
 * // { device: 'p1', key: 'switch/plug/config', info: { entities: [...], device: {...} }, stateTopics: [], commandTopics: ['p/set'] }
 */
export function discoveryOfConfig(t: HaConfigTopic, key: string, payload: Record<string, unknown>): Discovery | null {
  if (t.component === 'device') {
    const cfg = expandDeviceConfig(payload);
    const entities = Object.entries(cfg.components).map(([id, c]) => entityOf(str(c.platform) ?? 'sensor', id, c));
    if (!entities.length) return null;
    return discovery(deviceIdOf(cfg.device, t.objectId), key, cfg.device, entities);
  }
  const o = expandOptions(payload);
  const device = isRecord(o.device) ? o.device : undefined;
  const fallback = str(o.unique_id) ?? (t.nodeId ? `${t.nodeId}_${t.objectId}` : t.objectId);
  return discovery(deviceIdOf(device, fallback), key, device, [entityOf(t.component, t.objectId, o)], str(o.name));
}
