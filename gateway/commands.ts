/** Commands from device rooms: `!cmd args` or `org.hearth.command` events, power-checked, encoded by the profile, answered as replies. */
import { COMMAND_EVENT_TYPE, isCommandError, parseCommandEvent, parseCommandMessage } from '../profiles/command-parse.js';
import type { Command, DecodedItem, Publish } from '../profiles/types.js';
import type { Logger } from '../src/log.js';
import { canonicalSafe } from './canonical-safe.js';
import { DeviceEventType } from './codes.js';
import type { ProfileLookup } from './device-admin.js';
import { COMMAND_POWER } from './device-rooms.js';
import { deviceRef } from './pipeline.js';
import type { MatrixPort, PortEvent } from './port.js';
import type { DeviceRecord, Registry } from './registry.js';

export interface CommandsDeps {
  port: MatrixPort;
  registry: Registry;
  profiles: ProfileLookup;
  /** Publishes to the device's command topic (embedded broker or external client). */
  publish(p: Publish): Promise<void>;
  /** How long to wait for the device's acknowledgement before replying with a timeout (ms). */
  timeoutMs: number;
  /** User ids whose messages are never commands (the gateway's own user). */
  ignoreSenders: ReadonlySet<string>;
  log: Logger;
}

interface Pending { id: string; command: string; roomId: string; eventId: string; timer: NodeJS.Timeout }

type ResultItem = Extract<DecodedItem, { kind: 'command-result' }>;

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** The level needed to command a device: power_levels events['org.hearth.command'], else state_default, else 50. */
export function requiredCommandLevel(powerLevels: Record<string, unknown>): number {
  const events = typeof powerLevels.events === 'object' && powerLevels.events !== null ? powerLevels.events as Record<string, unknown> : {};
  return num(events[DeviceEventType.COMMAND]) ?? num(powerLevels.state_default) ?? COMMAND_POWER;
}

function describe(result: unknown): string {
  if (result === undefined || result === null) return 'done';
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function createCommands(deps: CommandsDeps) {
  const { port, registry, profiles, log } = deps;
  const pending = new Map<string, Pending[]>();
  let byRoom = new Map<string, DeviceRecord>();
  let deviceUsers = new Set<string>();
  const unsubs: Array<() => void> = [];

  const index = () => {
    byRoom = new Map(registry.list().filter((d) => d.status === 'active' && d.roomId).map((d) => [d.roomId, d]));
    deviceUsers = new Set(registry.list().map((d) => d.userId));
  };

  function reply(device: DeviceRecord, to: { roomId: string; eventId: string }, body: string, extra: Record<string, unknown> = {}): Promise<void> {
    return port.sendEvent(device.userId, to.roomId, 'm.room.message', canonicalSafe({
      msgtype: 'm.notice', body, ...extra, 'm.relates_to': { 'm.in_reply_to': { event_id: to.eventId } },
    })).then(() => undefined, (err: unknown) => log.warn({ err, device: device.name }, 'command reply failed'));
  }

  async function run(device: DeviceRecord, e: PortEvent, cmd: Command): Promise<void> {
    const to = { roomId: e.roomId, eventId: e.eventId };
    const standing = await port.standing(e.roomId, e.sender);
    if (standing.membership !== 'join') return;
    const required = requiredCommandLevel(standing.powerLevels);
    if (standing.level < required) {
      await reply(device, to, `Sorry, ${e.sender}: commanding ${device.displayName ?? device.name} needs power level ${required}, and yours is ${standing.level}.`);
      return;
    }
    const connection = device.parent ? registry.get(device.parent) : device;
    const profile = connection && profiles(connection.profile);
    if (!connection || !profile || connection.status !== 'active') { await reply(device, to, `${device.name} cannot take commands right now.`); return; }
    const ref = { ...deviceRef(connection), ...(device.child ? { child: device.child } : {}) };
    if (cmd.command === 'help') {
      const lines = profile.commands(ref).map((c) => `!${c.name}${c.args ? ` ${c.args}` : ''} — ${c.help}`);
      await reply(device, to, `Commands for ${device.displayName ?? device.name}:\n${lines.join('\n')}`);
      return;
    }
    const publishes = profile.encode(ref, cmd);
    if (isCommandError(publishes)) { await reply(device, to, publishes.error); return; }
    for (const p of publishes) await deps.publish(p);
    const list = pending.get(device.name) ?? [];
    const entry: Pending = {
      id: cmd.id, command: cmd.command, ...to,
      timer: setTimeout(() => {
        const l = pending.get(device.name);
        if (l) pending.set(device.name, l.filter((x) => x !== entry));
        void reply(device, to, `No answer from ${device.displayName ?? device.name} to !${cmd.command} within ${Math.round(deps.timeoutMs / 1000)} s.`, { 'org.hearth.command_result': { ok: false, timeout: true } });
      }, deps.timeoutMs),
    };
    list.push(entry);
    pending.set(device.name, list);
  }

  function onEvent(e: PortEvent): void {
    const device = byRoom.get(e.roomId);
    if (!device || e.stateKey !== undefined || deviceUsers.has(e.sender) || deps.ignoreSenders.has(e.sender)) return;
    const origin = { id: e.eventId, sender: e.sender };
    let cmd;
    if (e.type === COMMAND_EVENT_TYPE) cmd = parseCommandEvent(e.content, origin);
    else if (e.type === 'm.room.message' && typeof e.content.body === 'string' && e.content.msgtype !== 'm.notice') cmd = parseCommandMessage(e.content.body, origin);
    if (!cmd) return;
    const to = { roomId: e.roomId, eventId: e.eventId };
    const work = isCommandError(cmd) ? reply(device, to, cmd.error) : run(device, e, cmd);
    work.catch((err: unknown) => log.warn({ err, device: device.name }, 'command failed'));
  }

  return {
    start(): void {
      index();
      unsubs.push(registry.onChange(index), port.subscribe('*', onEvent));
    },
    /** A device answered: the matching pending command (by id, else the oldest) gets its reply. */
    onResult(device: DeviceRecord, item: ResultItem): void {
      const list = pending.get(device.name) ?? [];
      const p = list.find((x) => item.commandId !== undefined && x.id === item.commandId) ?? (item.commandId === undefined ? list[0] : undefined);
      if (!p) { log.debug({ device: device.name }, 'command result without a pending command'); return; }
      clearTimeout(p.timer);
      pending.set(device.name, list.filter((x) => x !== p));
      const body = item.ok ? `✓ ${describe(item.result)}` : `✗ ${item.error ?? 'the device refused the command'}`;
      void reply(device, p, body, { 'org.hearth.command_result': { ok: item.ok, ...(item.result !== undefined ? { result: item.result } : {}), ...(item.error ? { error: item.error } : {}) } });
    },
    stop(): void {
      for (const u of unsubs.splice(0)) u();
      for (const l of pending.values()) for (const p of l) clearTimeout(p.timer);
      pending.clear();
    },
  };
}

export type Commands = ReturnType<typeof createCommands>;
