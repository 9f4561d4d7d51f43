/** Commands of the Shelly Gen2+ profile: JSON-RPC requests on `<prefix>/rpc`, answered on `<prefix>/hearth/rpc`. */
import { isRecord, parseArgValue } from './payload.js';
import type { Command, CommandError, CommandHelp, DeviceRef, Publish } from './types.js';

/**
 * The `src` of Hearth's requests: the device answers on `<src>/rpc`, inside its own topic tree.
 * @example shellySource('shellyplus1pm-441793a3c8b8') // 'shellyplus1pm-441793a3c8b8/hearth'
 */
export function shellySource(prefix: string): string {
  return `${prefix}/hearth`;
}

function rpc(device: DeviceRef, command: Command, method: string, params?: Record<string, unknown>): Publish[] {
  const body: Record<string, unknown> = { id: command.id, src: shellySource(device.topic), method };
  if (params) body.params = params;
  return [{ topic: `${device.topic}/rpc`, payload: JSON.stringify(body), qos: 1 }];
}

/** Component id argument (default 0). */
function componentId(arg: string | undefined): number | undefined {
  if (arg === undefined) return 0;
  return /^\d+$/.test(arg) ? Number(arg) : undefined;
}

function onOffToggle(device: DeviceRef, command: Command, kind: 'Switch' | 'Light', action: string, idArg: string | undefined): Publish[] | CommandError {
  const id = componentId(idArg);
  if (id === undefined) return { error: `"${idArg}" is not a component id.` };
  if (action === 'toggle') return rpc(device, command, `${kind}.Toggle`, { id });
  if (action === 'on' || action === 'off') return rpc(device, command, `${kind}.Set`, { id, on: action === 'on' });
  return { error: `Usage: !${kind.toLowerCase()} on|off|toggle [id]` };
}

function cover(device: DeviceRef, command: Command): Publish[] | CommandError {
  const [action, a1, a2] = command.args;
  const verbs: Readonly<Record<string, string>> = { open: 'Cover.Open', close: 'Cover.Close', stop: 'Cover.Stop' };
  if (action && verbs[action]) {
    const id = componentId(a1);
    return id === undefined ? { error: `"${a1}" is not a component id.` } : rpc(device, command, verbs[action]!, { id });
  }
  const pos = Number(a1);
  const id = componentId(a2);
  if (action === 'position' && Number.isInteger(pos) && pos >= 0 && pos <= 100 && id !== undefined) return rpc(device, command, 'Cover.GoToPosition', { id, pos });
  return { error: 'Usage: !cover open|close|stop [id] or !cover position <0-100> [id]' };
}

function light(device: DeviceRef, command: Command): Publish[] | CommandError {
  const [action, a1, a2] = command.args;
  if (action !== 'brightness') return onOffToggle(device, command, 'Light', action ?? '', a1);
  const brightness = Number(a1);
  const id = componentId(a2);
  if (!Number.isInteger(brightness) || brightness < 0 || brightness > 100 || id === undefined) return { error: 'Usage: !light brightness <0-100> [id]' };
  return rpc(device, command, 'Light.Set', { id, on: brightness > 0, brightness });
}

/**
 * Encodes a room command as a JSON-RPC request carrying the command id as `id`.
 * @example
 * encodeShelly({ name: 'plug', topic: 'shellyplus1pm-441793a3c8b8' }, { id: '$1', command: 'switch', args: ['on'], sender: '@a:h' })
 * // [{ topic: 'shellyplus1pm-441793a3c8b8/rpc', qos: 1,
 * //    payload: '{"id":"$1","src":"shellyplus1pm-441793a3c8b8/hearth","method":"Switch.Set","params":{"id":0,"on":true}}' }]
 */
export function encodeShelly(device: DeviceRef, command: Command): Publish[] | CommandError {
  const { command: name, args } = command;
  switch (name) {
    case 'switch':
      return onOffToggle(device, command, 'Switch', args[0] ?? '', args[1]);
    case 'on':
    case 'off':
    case 'toggle':
      return onOffToggle(device, command, 'Switch', name, args[0]);
    case 'cover':
      return cover(device, command);
    case 'light':
      return light(device, command);
    case 'status':
      return rpc(device, command, 'Shelly.GetStatus');
    case 'reboot':
      return rpc(device, command, 'Shelly.Reboot');
    case 'rpc': {
      const method = args[0];
      if (!method || !/^[A-Za-z][\w]*\.[A-Za-z][\w]*$/.test(method)) return { error: 'Usage: !rpc <Component.Method> [json params]' };
      const params = command.structured ?? (args[1] !== undefined ? parseArgValue(args.slice(1).join(' ')) : undefined);
      if (params !== undefined && !isRecord(params)) return { error: 'RPC params must be a JSON object.' };
      return rpc(device, command, method, params);
    }
    default:
      return { error: `Unknown command !${name}.` };
  }
}

/**
 * Help for `!help`.
 * @example shellyCommands()[0].name // 'switch'
 */
export function shellyCommands(): CommandHelp[] {
  return [
    { name: 'switch', args: 'on|off|toggle [id]', help: 'Switch output <id> (default 0).' },
    { name: 'on / off / toggle', args: '[id]', help: 'Shorthands for !switch.' },
    { name: 'cover', args: 'open|close|stop [id] | position <0-100> [id]', help: 'Move a cover.' },
    { name: 'light', args: 'on|off|toggle [id] | brightness <0-100> [id]', help: 'Control a dimmer.' },
    { name: 'status', help: 'Ask for the full status.' },
    { name: 'reboot', help: 'Reboot the device.' },
    { name: 'rpc', args: '<Component.Method> [json params]', help: 'Any Gen2 RPC call.' },
  ];
}
