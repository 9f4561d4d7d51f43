/** The Homie profile (v4 `homie/<id>/…` and v5 `homie/5/<id>/…`): `$state`, attributes or `$description`, property values and `/set`. */
import { ignore, isRecord, parseJson, payloadText, parseScalar } from './payload.js';
import { EVENT_TYPES } from './event-types.js';
import { relativeTopic } from './topic.js';
import type { CommandHelp, DecodedItem, DeviceRef, Profile, Publish, ReadingValue } from './types.js';


const ONLINE_STATES: Readonly<Record<string, boolean>> = { ready: true, alert: true, disconnected: false, lost: false, sleeping: false };
/** Device and node attributes worth keeping (v4; `$stats`, `$fw`, `$localip`… are dropped). */
const KEPT_ATTRIBUTES = new Set(['$homie', '$name', '$nodes', '$extensions', '$implementation', '$type', '$properties']);
const PROPERTY_ATTRIBUTES = new Set(['$name', '$datatype', '$unit', '$format', '$settable', '$retained']);

/** What is known about one property: from v5 `$description` or v4 `$datatype`/`$unit`/`$settable` attributes. */
interface PropertyMeta { datatype?: string; unit?: string; settable?: boolean; format?: string }

function knownValue(device: DeviceRef, key: string): unknown {
  return device.known?.find((k) => k.key === key)?.info.value;
}

function propertyMeta(device: DeviceRef, node: string, prop: string): PropertyMeta {
  const desc = device.known?.find((k) => k.key === '$description')?.info.description;
  if (isRecord(desc)) {
    const nodes = isRecord(desc.nodes) ? desc.nodes : {};
    const props = isRecord(nodes[node]) && isRecord(nodes[node].properties) ? nodes[node].properties : {};
    if (!isRecord(props[prop])) return {};
    const p = props[prop];
    // v5: `settable` defaults to false.
    const meta: PropertyMeta = { settable: p.settable === true };
    if (typeof p.datatype === 'string') meta.datatype = p.datatype;
    if (typeof p.unit === 'string') meta.unit = p.unit;
    if (typeof p.format === 'string') meta.format = p.format;
    return meta;
  }
  const attr = (a: string) => knownValue(device, `${node}/${prop}/${a}`);
  const meta: PropertyMeta = {};
  const [datatype, unit, settable, format] = [attr('$datatype'), attr('$unit'), attr('$settable'), attr('$format')];
  if (typeof datatype === 'string') meta.datatype = datatype;
  if (typeof unit === 'string') meta.unit = unit;
  if (typeof format === 'string') meta.format = format;
  // v4: `$settable` defaults to false, once the property is described at all.
  if (settable !== undefined || datatype !== undefined) meta.settable = settable === 'true';
  return meta;
}

/** A property payload as a value of its datatype; undefined when it does not parse. */
function typedValue(text: string, datatype: string | undefined): ReadingValue | undefined {
  switch (datatype) {
    case 'integer':
    case 'float': {
      const n = parseScalar(text);
      return typeof n === 'number' ? n : undefined;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case undefined:
      return text === '' ? undefined : parseScalar(text);
    default:
      return text;
  }
}

function decodeProperty(device: DeviceRef, node: string, prop: string, text: string, retained: boolean): DecodedItem[] {
  const meta = propertyMeta(device, node, prop);
  const value = typedValue(text, meta.datatype);
  if (value === undefined) return ignore(`${node}/${prop}: "${text}" is not a valid ${meta.datatype ?? 'value'}`);
  const key = `${node}.${prop}`;
  const item: DecodedItem = { kind: 'reading', device: device.name, reading: meta.unit ? { values: { [key]: value }, units: { [key]: meta.unit } } : { values: { [key]: value } } };
  if (retained) item.retained = true;
  return [item];
}

function decodeDollar(device: DeviceRef, rel: string, text: string): DecodedItem[] {
  if (rel === '$state') {
    const online = ONLINE_STATES[text];
    if (online === undefined) return ignore(`$state ${text} is transitional or unknown`);
    return [{ kind: 'status', device: device.name, online, detail: text }];
  }
  if (rel === '$description') {
    const json = parseJson(text);
    if (!json.ok || !isRecord(json.value)) return ignore('$description is not a JSON object');
    const d = json.value;
    return [{ kind: 'discovered', device: device.name, key: rel, info: { description: d }, ...(typeof d.name === 'string' ? { displayName: d.name } : {}) }];
  }
  const alert = /^\$alert\/([\w-]+)$/.exec(rel);
  if (alert) return [{ kind: 'event', device: device.name, type: EVENT_TYPES.deviceAlert, content: text ? { id: alert[1], message: text } : { id: alert[1], cleared: true } }];
  const log = /^\$log\/(warn|error|fatal)$/.exec(rel);
  if (log) return [{ kind: 'event', device: device.name, type: EVENT_TYPES.deviceLog, content: { level: log[1], message: text } }];
  if (KEPT_ATTRIBUTES.has(rel)) {
    return [{ kind: 'discovered', device: device.name, key: rel, info: { value: text }, ...(rel === '$name' && text ? { displayName: text } : {}) }];
  }
  return ignore(`${rel} is not mapped`);
}

function decode(device: DeviceRef, topic: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  const rel = relativeTopic(device.topic, topic);
  if (rel === null) return ignore(`${topic} is not under ${device.topic}`);
  const text = payloadText(payload);
  if (text === null) return ignore('payload is not UTF-8');
  if (rel.startsWith('$')) return decodeDollar(device, rel, text);
  const parts = rel.split('/');
  if (parts.length === 2 && parts[1]!.startsWith('$')) {
    return KEPT_ATTRIBUTES.has(parts[1]!) ? [{ kind: 'discovered', device: device.name, key: rel, info: { value: text } }] : ignore(`${rel} is not mapped`);
  }
  if (parts.length === 2) return decodeProperty(device, parts[0]!, parts[1]!, text, retained);
  if (parts.length === 3 && PROPERTY_ATTRIBUTES.has(parts[2]!)) return [{ kind: 'discovered', device: device.name, key: rel, info: { value: text } }];
  return ignore(parts[parts.length - 1] === 'set' ? 'a command to the device' : `${rel} is not mapped`);
}

const BOOLEAN_WORDS: Readonly<Record<string, string>> = { on: 'true', off: 'false', true: 'true', false: 'false' };

function encode(device: DeviceRef, command: { command: string; args: string[] }): Publish[] | { error: string } {
  if (command.command !== 'set') return { error: `Unknown command !${command.command}. Use !set <node>/<property> <value>.` };
  const m = /^([a-z0-9][a-z0-9-]*)[./]([a-z0-9][a-z0-9-]*)$/.exec(command.args[0] ?? '');
  if (!m || command.args.length < 2) return { error: 'Usage: !set <node>/<property> <value>' };
  const [, node, prop] = m as unknown as [string, string, string];
  const meta = propertyMeta(device, node, prop);
  if (meta.settable === false) return { error: `${node}/${prop} is not settable.` };
  let value = command.args.slice(1).join(' ');
  if (meta.datatype === 'boolean') value = BOOLEAN_WORDS[value.toLowerCase()] ?? value;
  return [{ topic: `${device.topic}/${node}/${prop}/set`, payload: value, qos: 1 }];
}

function commands(device: DeviceRef): CommandHelp[] {
  const settable = (device.known ?? []).filter((k) => k.key.endsWith('/$settable') && k.info.value === 'true').map((k) => k.key.slice(0, -'/$settable'.length));
  const desc = device.known?.find((k) => k.key === '$description')?.info.description;
  if (isRecord(desc) && isRecord(desc.nodes)) {
    for (const [node, n] of Object.entries(desc.nodes)) {
      if (!isRecord(n) || !isRecord(n.properties)) continue;
      for (const [prop, p] of Object.entries(n.properties)) if (isRecord(p) && p.settable === true) settable.push(`${node}/${prop}`);
    }
  }
  return [{ name: 'set', args: '<node>/<property> <value>', help: `Set a property${settable.length ? ` (${settable.join(', ')})` : ''}.` }];
}

/** The broadcast tree of the device's Homie version. */
const broadcast = (base: string): string => (base.startsWith('homie/5/') ? 'homie/5/$broadcast/#' : 'homie/$broadcast/#');

/**
 * Homie v4 and v5; the base topic is `homie/<id>` (v3/v4) or `homie/5/<id>` (v5). `$state` gives status
 * (ready/alert online; disconnected/lost/sleeping offline), attributes (v4) and `$description` (v5) give
 * `discovered` items keyed by their topic, property values give readings `<node>.<property>` typed by
 * `$datatype` with `$unit`.
 * @example
 * homieProfile.encode({ name: 'car', topic: 'homie/super-car' }, { id: '$1', command: 'set', args: ['engine/speed', '40'], sender: '@a:h' })
 * // [{ topic: 'homie/super-car/engine/speed/set', payload: '40', qos: 1 }]
 */
export const homieProfile: Profile = {
  id: 'homie',
  description: 'Homie convention v4 and v5 devices',
  defaultTopic: (name) => `homie/${name}`,
  subscriptions: (device) => [`${device.topic}/#`],
  commandSubscriptions: (device) => [`${device.topic}/+/+/set`, broadcast(device.topic)],
  ownsTopic: (device, topic) => relativeTopic(device.topic, topic) !== null && !topic.endsWith('/set'),
  decode,
  encode,
  commands,
};
