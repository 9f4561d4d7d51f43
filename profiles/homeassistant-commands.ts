/** Commands of the Home Assistant discovery profile: on/off, cover/lock/button verbs and `!set`, sent to an entity's command topic. */
import type { HaEntity } from './homeassistant-discovery.js';
import { renderCommandTemplate } from './homeassistant-template.js';
import { isRecord } from './payload.js';
import type { Command, CommandError, CommandHelp, DeviceRef, Publish } from './types.js';

/**
 * Entities from kept discovery items (withdrawn ones are gone already), with the HA device they belong to.
 * @example knownEntities({ name: 'ha', topic: 'homeassistant', known: [] }) // []
 */
export function knownEntities(device: DeviceRef): Array<{ device: string; entity: HaEntity }> {
  const out: Array<{ device: string; entity: HaEntity }> = [];
  for (const k of device.known ?? []) {
    if (k.removed || !Array.isArray(k.info.entities)) continue;
    for (const e of k.info.entities) {
      if (isRecord(e) && typeof e.component === 'string' && typeof e.key === 'string') out.push({ device: k.device, entity: e as unknown as HaEntity });
    }
  }
  return out;
}

const SWITCHABLE = new Set(['switch', 'light', 'fan', 'siren', 'humidifier']);
const VERBS = new Set(['open', 'close', 'stop', 'lock', 'unlock', 'press']);

function publish(e: HaEntity, payload: string): Publish[] {
  const p: Publish = { topic: e.commandTopic!, payload, qos: (e.qos ?? 0) >= 1 ? 1 : 0 };
  if (e.retain) p.retain = true;
  return [p];
}

function pick(candidates: HaEntity[], name: string | undefined, what: string): HaEntity | CommandError {
  if (name !== undefined) {
    const n = name.toLowerCase();
    const hit = candidates.find((e) => e.key.toLowerCase() === n || `${e.component}.${e.key}`.toLowerCase() === n);
    return hit ?? { error: `No entity "${name}" to ${what}. Try: ${candidates.map((e) => e.key).join(', ') || 'none'}.` };
  }
  if (candidates.length === 1) return candidates[0]!;
  if (!candidates.length) return { error: `This device has nothing to ${what}.` };
  return { error: `Which one? ${candidates.map((e) => e.key).join(', ')}.` };
}

function onOff(entities: HaEntity[], on: boolean, name: string | undefined): Publish[] | CommandError {
  const e = pick(entities.filter((x) => SWITCHABLE.has(x.component)), name, 'switch');
  if ('error' in e) return e;
  if (e.schema === 'json') return publish(e, JSON.stringify({ state: on ? 'ON' : 'OFF' }));
  return publish(e, on ? e.payloadOn ?? 'ON' : e.payloadOff ?? 'OFF');
}

/**
 * Encodes a command for the HA device `device.child`: `!on|!off [entity]`, `!turn [entity] on|off`,
 * `!open|!close|!stop|!lock|!unlock|!press [entity]`, `!set [entity] <value>` (through a `{{ value }}` command template).
 * @example
 * encodeHomeassistant(ref, { id: '$1', command: 'on', args: [], sender: '@a:h' }) // [{ topic: 'plug/set', payload: 'ON', qos: 0 }]
 */
export function encodeHomeassistant(device: DeviceRef, command: Command): Publish[] | CommandError {
  if (device.child === undefined) return { error: 'Send commands from a device room.' };
  const entities = knownEntities(device).filter((x) => x.device === device.child && x.entity.commandTopic).map((x) => x.entity);
  const { command: name, args } = command;
  if (name === 'on' || name === 'off') return onOff(entities, name === 'on', args[0]);
  if (name === 'turn') {
    const i = args.findIndex((a) => /^(on|off)$/i.test(a));
    if (i < 0 || args.length > 2) return { error: 'Usage: !turn [entity] on|off' };
    return onOff(entities, args[i]!.toLowerCase() === 'on', args[1 - i]);
  }
  if (VERBS.has(name)) {
    const e = pick(entities.filter((x) => x.payloads?.[name] !== undefined), args[0], name);
    return 'error' in e ? e : publish(e, e.payloads![name]!);
  }
  if (name === 'set') {
    if (args.length < 1 || args.length > 2) return { error: 'Usage: !set [entity] <value>' };
    const e = pick(entities, args.length === 2 ? args[0] : undefined, 'set');
    if ('error' in e) return e;
    const payload = renderCommandTemplate(e.commandTemplate, args[args.length - 1]!);
    return payload === null ? { error: `The command template of ${e.key} is not supported.` } : publish(e, payload);
  }
  return { error: `Unknown command !${name}.` };
}

/**
 * Help for `!help`, listing the device's commandable entities.
 * @example homeassistantCommands({ name: 'ha', topic: 'homeassistant' }) // []
 */
export function homeassistantCommands(device: DeviceRef): CommandHelp[] {
  if (device.child === undefined) return [];
  const entities = knownEntities(device).filter((x) => x.device === device.child && x.entity.commandTopic).map((x) => x.entity);
  const names = (f: (e: HaEntity) => boolean) => entities.filter(f).map((e) => e.key).join(', ');
  const help: CommandHelp[] = [];
  const switchable = names((e) => SWITCHABLE.has(e.component));
  if (switchable) help.push({ name: 'on / off', args: '[entity]', help: `Switch ${switchable}.` }, { name: 'turn', args: '[entity] on|off', help: 'Same as !on / !off.' });
  for (const verb of VERBS) {
    const list = names((e) => e.payloads?.[verb] !== undefined);
    if (list) help.push({ name: verb, args: '[entity]', help: `${verb} ${list}.` });
  }
  if (entities.length) help.push({ name: 'set', args: '[entity] <value>', help: `Send a value to ${names(() => true)}.` });
  return help;
}
