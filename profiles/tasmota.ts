/** The Tasmota profile: `tele/<topic>/{SENSOR,STATE,LWT,…}`, `stat/<topic>/…` replies, commands on `cmnd/<topic>/<Cmd>`. */
import { flattenValues, ignore, isRecord, parseJson, payloadText, parseScalar, leafName } from './payload.js';
import { EVENT_TYPES } from './event-types.js';
import { topicMatches } from './topic.js';
import type { DecodedItem, DeviceRef, Profile, Publish, Reading } from './types.js';


/** Units of Tasmota's sensor field names (lower-cased leaf); temperature and pressure follow TempUnit/PressureUnit. */
const FIELD_UNITS: Readonly<Record<string, string>> = {
  humidity: '%', power: 'W', apparentpower: 'VA', reactivepower: 'var', voltage: 'V', current: 'A',
  total: 'kWh', today: 'kWh', yesterday: 'kWh', frequency: 'Hz', illuminance: 'lx', carbondioxide: 'ppm',
  eco2: 'ppm', tvoc: 'ppb', 'pm2.5': 'µg/m³', pm10: 'µg/m³', pm1: 'µg/m³', distance: 'cm', gas: 'kΩ',
};
const SENSOR_META = new Set(['Time', 'TempUnit', 'PressureUnit', 'SpeedUnit']);

function sensorUnit(key: string, tempUnit: string, pressureUnit: string): string | undefined {
  if (/PM2\.5$/i.test(key)) return FIELD_UNITS['pm2.5'];
  const leaf = leafName(key);
  if (leaf === 'temperature' || leaf === 'dewpoint') return `°${tempUnit}`;
  if (leaf === 'pressure' || leaf === 'seapressure') return pressureUnit;
  return FIELD_UNITS[leaf];
}

function decodeSensor(device: DeviceRef, obj: Record<string, unknown>, retained: boolean): DecodedItem[] {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!SENSOR_META.has(k)) data[k] = v;
  const values = flattenValues(data);
  const tempUnit = typeof obj.TempUnit === 'string' ? obj.TempUnit : 'C';
  const pressureUnit = typeof obj.PressureUnit === 'string' ? obj.PressureUnit : 'hPa';
  const units: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const unit = typeof v === 'number' ? sensorUnit(k, tempUnit, pressureUnit) : undefined;
    if (unit) units[k] = unit;
  }
  const reading: Reading = Object.keys(units).length ? { values, units } : { values };
  const item: DecodedItem = { kind: 'reading', device: device.name, reading };
  if (retained) item.retained = true;
  return [item];
}

function decodeTele(device: DeviceRef, suffix: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  if (suffix === 'LWT') {
    const text = payloadText(payload)?.trim();
    if (text === 'Online' || text === 'Offline') return [{ kind: 'status', device: device.name, online: text === 'Online' }];
    return ignore('LWT payload is neither Online nor Offline');
  }
  const json = parseJson(payload);
  if (!json.ok || !isRecord(json.value)) return ignore(`tele/${suffix} is not a JSON object`);
  const obj = json.value;
  if (suffix === 'SENSOR') return decodeSensor(device, obj, retained);
  if (suffix === 'STATE') return [{ kind: 'state', device: device.name, type: EVENT_TYPES.deviceState, stateKey: '', content: obj }];
  const info = /^INFO([1-3])$/.exec(suffix);
  if (info) {
    const key = `Info${info[1]}`;
    return [{ kind: 'state', device: device.name, type: EVENT_TYPES.deviceInfo, stateKey: key, content: isRecord(obj[key]) ? obj[key] : obj }];
  }
  if (suffix === 'RESULT') return [{ kind: 'event', device: device.name, type: EVENT_TYPES.deviceEvent, content: obj }];
  return ignore(`tele/${suffix} is not mapped`);
}

function decodeStat(device: DeviceRef, suffix: string, payload: Uint8Array): DecodedItem[] {
  const text = payloadText(payload);
  if (text === null) return ignore(`stat/${suffix} is not UTF-8`);
  if (/^POWER\d*$/.test(suffix)) return [{ kind: 'command-result', device: device.name, ok: true, result: { [suffix]: text.trim() } }];
  const json = parseJson(text);
  const result = json.ok ? json.value : parseScalar(text);
  if (isRecord(result) && (result.Command === 'Unknown' || result.Command === 'Error')) {
    const input = typeof result.Input === 'string' ? `: ${result.Input}` : '';
    const error = result.Command === 'Unknown' ? `Unknown command${input}` : `Command error${input}`;
    return [{ kind: 'command-result', device: device.name, ok: false, error, result }];
  }
  return [{ kind: 'command-result', device: device.name, ok: true, result }];
}

function decode(device: DeviceRef, topic: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  const m = /^([^/]+)\/(.+)\/([^/]+)$/.exec(topic);
  if (!m || m[2] !== device.topic) return ignore(`${topic} is not %prefix%/${device.topic}/<suffix>`);
  const [, prefix, , suffix] = m as unknown as [string, string, string, string];
  if (prefix === 'tele') return decodeTele(device, suffix, payload, retained);
  if (prefix === 'stat') return decodeStat(device, suffix, payload);
  if (prefix === 'cmnd') return ignore('a command to the device');
  return ignore(`unknown Tasmota prefix ${prefix}`);
}

/** Shorthands mapped to POWER. */
const POWER_SHORTHANDS: Readonly<Record<string, string>> = { on: 'ON', off: 'OFF', toggle: 'TOGGLE' };

/**
 * Tasmota with the default full topic `%prefix%/%topic%/`. Readings from SENSOR (flattened as
 * `AM2301.Temperature`, `ENERGY.Power`, with units), STATE and INFOn as state events, LWT as status,
 * stat/… as command results (Tasmota has no correlation ids). `!<cmd> args…` → `cmnd/<topic>/<CMD>`.
 * The device may subscribe only to `cmnd/<topic>/#` (not the group or fallback topics).
 * @example
 * tasmotaProfile.encode({ name: 'plug', topic: 'plug' }, { id: '$1', command: 'power', args: ['on'], sender: '@a:h' })
 * // [{ topic: 'cmnd/plug/POWER', payload: 'on', qos: 1 }]
 */
export const tasmotaProfile: Profile = {
  id: 'tasmota',
  description: 'Tasmota firmware (tele/stat/cmnd topics)',
  defaultTopic: (name) => name,
  subscriptions: (device) => [`tele/${device.topic}/#`, `stat/${device.topic}/#`],
  commandSubscriptions: (device) => [`cmnd/${device.topic}/#`],
  ownsTopic: (device, topic) => topicMatches(`tele/${device.topic}/+`, topic) || topicMatches(`stat/${device.topic}/+`, topic),
  decode,
  encode(device, command): Publish[] | { error: string } {
    const power = POWER_SHORTHANDS[command.command];
    if (power && command.args.length === 0) return [{ topic: `cmnd/${device.topic}/POWER`, payload: power, qos: 1 }];
    if (!/^[a-z][a-z0-9_]*$/i.test(command.command)) return { error: `"${command.command}" is not a Tasmota command name.` };
    return [{ topic: `cmnd/${device.topic}/${command.command.toUpperCase()}`, payload: command.args.join(' '), qos: 1 }];
  },
  commands: () => [
    { name: 'power', args: '[on|off|toggle]', help: 'Switch the relay (no argument: query).' },
    { name: 'on / off / toggle', help: 'Shorthands for power on/off/toggle.' },
    { name: 'dimmer', args: '<0-100>', help: 'Set the light level.' },
    { name: 'status', args: '[0-11]', help: 'Ask for a status report.' },
    { name: '<command>', args: '[args…]', help: 'Any Tasmota command, sent to cmnd/<topic>/<COMMAND>.' },
  ],
};
