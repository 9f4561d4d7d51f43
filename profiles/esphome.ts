/** The ESPHome profile (native MQTT component): `<node>/status`, `<node>/<component>/<object_id>/state` and `/command`. */
import { flattenValues, ignore, isRecord, parseJson, payloadText, parseScalar } from './payload.js';
import { EVENT_TYPES } from './event-types.js';
import { isTopicLevel, relativeTopic } from './topic.js';
import type { Command, CommandHelp, DecodedItem, DeviceRef, Profile, Publish, ReadingValue } from './types.js';

const ON_OFF = new Set(['binary_sensor', 'switch', 'fan']);
const NUMERIC = new Set(['sensor', 'number']);

/** A `state` payload as values under `key`; undefined when it does not parse. */
function stateValues(component: string, key: string, text: string): Record<string, ReadingValue> | undefined {
  if (component === 'light') {
    const json = parseJson(text);
    if (!json.ok || !isRecord(json.value)) return undefined;
    const values = flattenValues(json.value, key);
    const state = values[`${key}.state`];
    if (state === 'ON' || state === 'OFF') values[`${key}.state`] = state === 'ON';
    return values;
  }
  if (ON_OFF.has(component)) return text === 'ON' || text === 'OFF' ? { [key]: text === 'ON' } : undefined;
  if (NUMERIC.has(component)) {
    if (text.toLowerCase() === 'nan') return { [key]: null };
    const n = parseScalar(text);
    return typeof n === 'number' ? { [key]: n } : undefined;
  }
  return { [key]: text };
}

function decode(device: DeviceRef, topic: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  const rel = relativeTopic(device.topic, topic);
  if (rel === null) return ignore(`${topic} is not under ${device.topic}`);
  const text = payloadText(payload);
  if (text === null) return ignore('payload is not UTF-8');
  if (rel === 'status') {
    return text === 'online' || text === 'offline' ? [{ kind: 'status', device: device.name, online: text === 'online' }] : ignore('status is neither online nor offline');
  }
  const m = /^([a-z_]+)\/([^/]+)\/(?:([^/]+)\/)?(state|command)$/.exec(rel);
  if (!m) return ignore(`${rel} is not mapped`);
  const [, component, objectId, sub, verb] = m as unknown as [string, string, string, string | undefined, string];
  if (verb === 'command') return ignore('a command to the device');
  if (component === 'event') {
    const json = parseJson(text);
    return json.ok && isRecord(json.value) ? [{ kind: 'event', device: device.name, type: EVENT_TYPES.deviceEvent, content: { name: objectId, ...json.value } }] : ignore('event state is not a JSON object');
  }
  const key = sub ? `${objectId}.${sub}` : objectId;
  // Sub-states (cover position, climate mode and temperatures) are numbers or words.
  const values = sub ? { [key]: parseScalar(text) } : stateValues(component, key, text);
  if (!values) return ignore(`${component} ${objectId}: unexpected state "${text}"`);
  const item: DecodedItem = { kind: 'reading', device: device.name, reading: { values } };
  if (retained) item.retained = true;
  return [item];
}

const WORDS: Readonly<Record<string, string>> = { on: 'ON', off: 'OFF', toggle: 'TOGGLE', open: 'OPEN', close: 'CLOSE', stop: 'STOP', lock: 'LOCK', unlock: 'UNLOCK' };
/** Allowed actions per component. */
const ACTIONS: Readonly<Record<string, string[]>> = {
  switch: ['on', 'off', 'toggle'], fan: ['on', 'off', 'toggle'], cover: ['open', 'close', 'stop', 'toggle'], lock: ['lock', 'unlock', 'open'],
};

function encode(device: DeviceRef, command: Command): Publish[] | { error: string } {
  const { command: component, args } = command;
  const [name, action, extra] = args;
  const usage = commands().find((c) => c.name === component);
  if (!usage) return { error: `Unknown command !${component}.` };
  if (!name || !isTopicLevel(name)) return { error: `Usage: !${component} ${usage.args}` };
  const send = (payload: string, sub = ''): Publish[] => [{ topic: `${device.topic}/${component}/${name}/${sub}command`, payload, qos: 1 }];
  const act = action?.toLowerCase() ?? '';
  if (ACTIONS[component]) {
    if (component === 'cover' && act === 'position' && /^\d+$/.test(extra ?? '') && Number(extra) <= 100) return send(extra!, 'position/');
    return ACTIONS[component]!.includes(act) ? send(WORDS[act]!) : { error: `Usage: !${component} ${usage.args}` };
  }
  if (component === 'light') {
    if (!['on', 'off', 'toggle'].includes(act)) return { error: `Usage: !light ${usage.args}` };
    const body: Record<string, unknown> = { state: WORDS[act] };
    if (extra !== undefined) {
      const b = Number(extra);
      if (!Number.isInteger(b) || b < 0 || b > 255) return { error: 'Brightness is 0-255.' };
      body.brightness = b;
    }
    return send(JSON.stringify(body));
  }
  if (component === 'button') return args.length === 1 ? send('PRESS') : { error: 'Usage: !button <name>' };
  if (action === undefined) return { error: `Usage: !${component} ${usage.args}` };
  if (component === 'number' && typeof parseScalar(action) !== 'number') return { error: `${action} is not a number.` };
  return send(args.slice(1).join(' '));
}

function commands(): CommandHelp[] {
  return [
    { name: 'switch', args: '<name> on|off|toggle', help: 'Switch a switch.' },
    { name: 'light', args: '<name> on|off|toggle [brightness 0-255]', help: 'Control a light.' },
    { name: 'fan', args: '<name> on|off|toggle', help: 'Switch a fan.' },
    { name: 'cover', args: '<name> open|close|stop|toggle | <name> position <0-100>', help: 'Move a cover.' },
    { name: 'lock', args: '<name> lock|unlock|open', help: 'Operate a lock.' },
    { name: 'button', args: '<name>', help: 'Press a button.' },
    { name: 'number', args: '<name> <value>', help: 'Set a number.' },
    { name: 'select', args: '<name> <option>', help: 'Choose an option.' },
    { name: 'text', args: '<name> <text…>', help: 'Set a text.' },
  ];
}

/**
 * ESPHome's `mqtt:` component on the node's topic prefix (default the node name). States give readings keyed
 * by object id (`<object_id>.<sub>` for cover position, climate modes…): sensors as numbers (`nan` → null),
 * binary sensors, switches and fans as booleans, lights as flattened JSON; `event` components give events.
 * @example
 * esphomeProfile.encode({ name: 'porch', topic: 'porch' }, { id: '$1', command: 'switch', args: ['relay', 'on'], sender: '@a:h' })
 * // [{ topic: 'porch/switch/relay/command', payload: 'ON', qos: 1 }]
 */
export const esphomeProfile: Profile = {
  id: 'esphome',
  description: 'ESPHome nodes with the mqtt: component',
  defaultTopic: (name) => name,
  subscriptions: (device) => [`${device.topic}/#`],
  commandSubscriptions: (device) => [`${device.topic}/+/+/command`, `${device.topic}/+/+/+/command`],
  ownsTopic: (device, topic) => relativeTopic(device.topic, topic) !== null && !topic.endsWith('/command'),
  decode,
  encode,
  commands,
};
