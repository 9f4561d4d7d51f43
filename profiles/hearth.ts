/** The native Hearth profile: `hearth/<name>/{reading,event,state/…,status,command,command/result}`, JSON or CBOR. */
import { Decoder } from 'cbor-x';
import { flattenValues, ignore, isRecord, parseJson, payloadText } from './payload.js';
import { relativeTopic, topicMatches } from './topic.js';
import type { DecodedItem, DeviceRef, Profile, Reading } from './types.js';

/** Keys of a reading payload that are metadata, not values. */
const READING_META = new Set(['id', 'ts', 'units']);

/** Decodes a JSON object (payload starting with `{`) or a CBOR map; undefined when it is neither. */
function decodeObject(payload: Uint8Array): Record<string, unknown> | undefined {
  const text = payloadText(payload);
  if (text !== null && /^\s*[{[]/.test(text)) {
    const json = parseJson(text);
    return json.ok && isRecord(json.value) ? json.value : undefined;
  }
  try {
    const value: unknown = new Decoder({ useRecords: false, mapsAsObjects: true }).decode(payload);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function messageIdOf(x: unknown): string | undefined {
  return typeof x === 'string' && x !== '' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : undefined;
}

/** Room types a device must not set or send itself (room control lives with the gateway). */
function forbiddenType(type: string, isState: boolean): boolean {
  return type.startsWith('m.') && (isState || type !== 'm.room.message');
}

function decodeReading(device: DeviceRef, obj: Record<string, unknown>, retained: boolean): DecodedItem[] {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!READING_META.has(k)) values[k] = v;
  const reading: Reading = { values: flattenValues(values) };
  if (isRecord(obj.units)) {
    reading.units = Object.fromEntries(Object.entries(obj.units).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  const item: DecodedItem = { kind: 'reading', device: device.name, reading };
  const messageId = messageIdOf(obj.id);
  if (messageId) item.messageId = messageId;
  if (typeof obj.ts === 'number' && Number.isFinite(obj.ts)) item.ts = obj.ts;
  if (retained) item.retained = true;
  return [item];
}

function decodeEvent(device: DeviceRef, obj: Record<string, unknown>): DecodedItem[] {
  if (typeof obj.type !== 'string' || obj.type === '') return ignore('event without a "type"');
  if (forbiddenType(obj.type, false)) return ignore(`event type ${obj.type} is reserved`);
  if (!isRecord(obj.content)) return ignore('event without an object "content"');
  const item: DecodedItem = { kind: 'event', device: device.name, type: obj.type, content: obj.content };
  const messageId = messageIdOf(obj.id);
  if (messageId) item.messageId = messageId;
  return [item];
}

function decodeResult(device: DeviceRef, obj: Record<string, unknown>): DecodedItem[] {
  if (typeof obj.ok !== 'boolean') return ignore('command result without a boolean "ok"');
  const item: DecodedItem = { kind: 'command-result', device: device.name, ok: obj.ok };
  const id = messageIdOf(obj.id);
  if (id) item.commandId = id;
  if (obj.result !== undefined) item.result = obj.result;
  if (typeof obj.error === 'string') item.error = obj.error;
  return [item];
}

function decode(device: DeviceRef, topic: string, payload: Uint8Array, retained: boolean): DecodedItem[] {
  const rel = relativeTopic(device.topic, topic);
  if (rel === null) return ignore(`${topic} is not under ${device.topic}`);
  if (rel === 'status') {
    const text = payloadText(payload)?.trim().toLowerCase();
    if (text === 'online' || text === 'offline') return [{ kind: 'status', device: device.name, online: text === 'online' }];
    return ignore('status payload is neither online nor offline');
  }
  if (rel === 'command') return ignore('a command to the device');
  const obj = decodeObject(payload);
  if (rel === 'reading') return obj ? decodeReading(device, obj, retained) : ignore('reading is not a JSON or CBOR map');
  if (rel === 'event') return obj ? decodeEvent(device, obj) : ignore('event is not a JSON or CBOR map');
  if (rel === 'command/result') return obj ? decodeResult(device, obj) : ignore('command result is not a JSON or CBOR map');
  const state = /^state\/([^/]+)(?:\/(.+))?$/.exec(rel);
  if (state) {
    const type = state[1]!;
    if (forbiddenType(type, true)) return ignore(`state type ${type} is reserved`);
    if (!obj) return ignore('state content is not a JSON or CBOR map');
    return [{ kind: 'state', device: device.name, type, stateKey: state[2] ?? '', content: obj }];
  }
  return ignore(`unknown hearth topic ${rel}`);
}

const published = (base: string): string[] =>
  [`${base}/reading`, `${base}/event`, `${base}/state/#`, `${base}/status`, `${base}/command/result`];

/**
 * The native profile. Readings are flat JSON/CBOR maps (`id` = message id, `ts` = ms since epoch, `units`
 * optional); events `{type, content, id?}`; state `hearth/<name>/state/<type>[/<key>]` with the content as
 * payload (`m.*` types are reserved, as are `m.*` events other than `m.room.message`).
 * @example
 * hearthProfile.encode({ name: 'k', topic: 'hearth/k' }, { id: '$1', command: 'blink', args: ['3'], sender: '@a:h' })
 * // [{ topic: 'hearth/k/command', payload: '{"id":"$1","command":"blink","args":["3"],"sender":"@a:h"}', qos: 1 }]
 */
export const hearthProfile: Profile = {
  id: 'hearth',
  description: 'Native Hearth devices (hearth/<name>/…, JSON or CBOR)',
  defaultTopic: (name) => `hearth/${name}`,
  subscriptions: (device) => published(device.topic),
  commandSubscriptions: (device) => [`${device.topic}/command`],
  ownsTopic: (device, topic) => published(device.topic).some((f) => topicMatches(f, topic)),
  decode,
  encode(device, command) {
    const body: Record<string, unknown> = { id: command.id, command: command.command, args: command.args, sender: command.sender };
    if (command.structured) body.params = command.structured;
    return [{ topic: `${device.topic}/command`, payload: JSON.stringify(body), qos: 1 }];
  },
  commands: () => [{ name: '<command>', args: '[args…]', help: 'Any command is passed to the device as {id, command, args, sender}.' }],
};
