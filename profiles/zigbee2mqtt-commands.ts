/** Commands of the Zigbee2MQTT profile: `<friendly_name>/set|get` for devices, `bridge/request/…` for the bridge. */
import { isRecord, parseArgValue } from './payload.js';
import type { Command, CommandError, CommandHelp, DeviceRef, Publish } from './types.js';

const STATE_WORDS: Readonly<Record<string, string>> = { on: 'ON', off: 'OFF', toggle: 'TOGGLE' };

/** Value for a property: `state` words are upper-cased as Zigbee2MQTT expects, others parsed as JSON-ish. */
function propertyValue(prop: string, arg: string): unknown {
  if (prop === 'state' && STATE_WORDS[arg.toLowerCase()]) return STATE_WORDS[arg.toLowerCase()];
  return parseArgValue(arg);
}

function settableOf(device: DeviceRef): string[] | undefined {
  const known = device.known?.find((k) => k.device === device.child && k.key.startsWith('ieee:'));
  const settable = known?.info.settable;
  return Array.isArray(settable) ? settable.filter((s): s is string => typeof s === 'string') : undefined;
}

/** `!set <prop> <value> [<prop> <value>…]`, `!set {json}` or structured params → the /set object. */
function setPayload(command: Command): { body: Record<string, unknown> } | CommandError {
  if (command.structured) return { body: command.structured };
  const [first] = command.args;
  if (command.args.length === 1 && first?.startsWith('{')) {
    const v = parseArgValue(first);
    return isRecord(v) ? { body: v } : { error: 'The JSON after !set is not an object.' };
  }
  if (command.args.length === 0 || command.args.length % 2 !== 0) return { error: 'Usage: !set <property> <value> [<property> <value>…]' };
  const out: Record<string, unknown> = {};
  for (let i = 0; i < command.args.length; i += 2) out[command.args[i]!] = propertyValue(command.args[i]!, command.args[i + 1]!);
  return { body: out };
}

function childPublishes(device: DeviceRef, child: string, command: Command): Publish[] | CommandError {
  const base = `${device.topic}/${child}`;
  const set = (obj: Record<string, unknown>): Publish[] => [{ topic: `${base}/set`, payload: JSON.stringify(obj), qos: 1 }];
  const { command: name, args } = command;
  if (name === 'set') {
    const payload = setPayload(command);
    return 'error' in payload ? payload : set(payload.body);
  }
  if (name === 'get') {
    const props = args.length ? args : ['state'];
    return [{ topic: `${base}/get`, payload: JSON.stringify(Object.fromEntries(props.map((p) => [p, '']))), qos: 1 }];
  }
  if (STATE_WORDS[name] && args.length === 0) return set({ state: STATE_WORDS[name] });
  const settable = settableOf(device);
  if (args.length === 1 && (!settable || settable.includes(name))) return set({ [name]: propertyValue(name, args[0]!) });
  const hint = settable ? ` Settable: ${settable.join(', ') || 'none'}.` : '';
  return { error: `Unknown command !${name} for ${child}.${hint}` };
}

function bridgePublishes(device: DeviceRef, command: Command): Publish[] | CommandError {
  const request = (path: string, body: Record<string, unknown>): Publish[] =>
    [{ topic: `${device.topic}/bridge/request/${path}`, payload: JSON.stringify({ ...body, transaction: command.id }), qos: 1 }];
  const { command: name, args } = command;
  if (name === 'permit_join' || name === 'permitjoin') {
    const arg = args[0] ?? '254';
    const time = arg === 'off' || arg === 'false' ? 0 : arg === 'on' || arg === 'true' ? 254 : Number(arg);
    if (!Number.isInteger(time) || time < 0 || time > 254) return { error: 'Usage: !permit_join [seconds 0-254|off]' };
    // 2.x reads `time`; 1.x needs `value` as well.
    return request('permit_join', { time, value: time > 0 });
  }
  if (name === 'restart') return request('restart', {});
  if (name === 'rename' && args.length === 2) return request('device/rename', { from: args[0], to: args[1] });
  if (name === 'remove' && args.length === 1) return request('device/remove', { id: args[0] });
  return { error: `Unknown bridge command !${name}.` };
}

/**
 * Encodes a room command: for `device.child` (a friendly_name) to `<base>/<name>/set|get`, otherwise a bridge
 * request carrying the command id as `transaction`.
 * @example
 * encodeZigbee2mqtt({ name: 'z2m', topic: 'zigbee2mqtt', child: 'lamp' }, { id: '$1', command: 'on', args: [], sender: '@a:h' })
 * // [{ topic: 'zigbee2mqtt/lamp/set', payload: '{"state":"ON"}', qos: 1 }]
 */
export function encodeZigbee2mqtt(device: DeviceRef, command: Command): Publish[] | CommandError {
  return device.child === undefined ? bridgePublishes(device, command) : childPublishes(device, device.child, command);
}

/**
 * Help for `!help`: bridge commands, or a device's commands (with its settable properties when known).
 * @example zigbee2mqttCommands({ name: 'z2m', topic: 'zigbee2mqtt' })[0].name // 'permit_join'
 */
export function zigbee2mqttCommands(device: DeviceRef): CommandHelp[] {
  if (device.child === undefined) {
    return [
      { name: 'permit_join', args: '[seconds|off]', help: 'Let new devices join (default 254 s).' },
      { name: 'restart', help: 'Restart Zigbee2MQTT.' },
      { name: 'rename', args: '<from> <to>', help: 'Rename a device.' },
      { name: 'remove', args: '<device>', help: 'Remove a device from the network.' },
    ];
  }
  const settable = settableOf(device);
  return [
    { name: 'on / off / toggle', help: 'Switch the device (state ON/OFF/TOGGLE).' },
    { name: 'set', args: '<property> <value>…', help: `Set properties${settable ? ` (${settable.join(', ')})` : ''}, or !set {json}.` },
    { name: 'get', args: '[property…]', help: 'Ask the device to report properties.' },
    { name: '<property>', args: '<value>', help: 'Shorthand for !set <property> <value>, e.g. !brightness 128.' },
  ];
}
