/** Device administration: add, list, remove and accept devices (the work behind `hearth device …` and discovery). */
import type { Discovery, Profile } from '../profiles/types.js';
import type { DeviceRooms } from './device-rooms.js';
import { DeviceEventType } from './codes.js';
import { createDeviceToken, hashDeviceToken, type DeviceRecord, type Registry } from './registry.js';

/** A request the admin cannot carry out (unknown profile, name taken, …): shown to the person as is. */
export class DeviceAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceAdminError';
  }
}

export type ProfileLookup = (id: string) => Profile | undefined;

export interface DeviceAdminDeps {
  rooms: DeviceRooms;
  registry: Registry;
  profiles: ProfileLookup;
  now: () => number;
}

export interface AddDeviceInput {
  name: string;
  profile: string;
  topic?: string;
  /** ed25519 public key, base64 (32 bytes). */
  key?: string;
}

export interface AddDeviceResult { device: string; user_id: string; room_id: string; token: string }
export interface DeviceSummary { device: string; profile: string; topic: string; status: string; user_id: string; room_id: string; parent?: string }

const NAME = /^[a-z0-9][a-z0-9_.-]{0,47}$/;
/** Reserved: the gateway's own user is `<prefix>gateway`. */
const RESERVED = new Set(['gateway']);

/** A sub-device id (z2m friendly name, HA identifier) as a device-name part: `Living Room/Lamp` -> `living_room_lamp`. */
export function slugify(id: string): string {
  const s = id.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^[^a-z0-9]+/, '').slice(0, 40);
  return s === '' ? 'device' : s;
}

/** How `hearth device list` shows a record. */
export function summarize(d: DeviceRecord): DeviceSummary {
  return { device: d.name, profile: d.profile, topic: d.topic, status: d.status, user_id: d.userId, room_id: d.roomId, ...(d.parent ? { parent: d.parent } : {}) };
}

export function createDeviceAdmin(deps: DeviceAdminDeps) {
  const { rooms, registry, profiles, now } = deps;
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  function profileOf(id: string): Profile {
    const p = profiles(id);
    if (!p) throw new DeviceAdminError(`unknown profile "${id}"`);
    return p;
  }

  async function provision(d: Pick<DeviceRecord, 'name' | 'profile' | 'topic' | 'displayName' | 'known' | 'child'>, info: Record<string, unknown> = {}) {
    const p = profileOf(d.profile);
    const displayName = d.displayName ?? d.name;
    const userId = await rooms.deviceUser(d.name, displayName);
    const commands = p.commands({ name: d.name, topic: d.topic, known: d.known, ...(d.child ? { child: d.child } : {}) });
    const roomId = await rooms.deviceRoom(userId, { name: d.name, displayName, profile: d.profile, topic: d.topic, info: { commands, ...info } });
    return { userId, roomId };
  }

  return {
    /** `hearth device add NAME --profile P [--topic T] [--key K]`: user, room in Home, token (printed once). */
    add(input: AddDeviceInput): Promise<AddDeviceResult> {
      return serial(async () => {
        const { name } = input;
        if (!NAME.test(name) || RESERVED.has(name)) throw new DeviceAdminError(`device name "${name}" must be 1-48 characters of a-z 0-9 _ . - (not "gateway")`);
        const p = profileOf(input.profile);
        const prior = registry.get(name);
        if (prior && prior.status !== 'removed') throw new DeviceAdminError(`device ${name} already exists`);
        if (input.key !== undefined && Buffer.from(input.key, 'base64').length !== 32) throw new DeviceAdminError('--key must be a base64 ed25519 public key (32 bytes)');
        const topic = input.topic ?? p.defaultTopic(name);
        const { userId, roomId } = await provision({ name, profile: p.id, topic });
        const token = createDeviceToken();
        const record: DeviceRecord = {
          name, profile: p.id, topic, userId, roomId, tokenHash: hashDeviceToken(token), status: 'active', createdTs: now(),
          ...(input.key !== undefined ? { publicKey: input.key } : {}),
        };
        await registry.update((data) => { data.devices = [...data.devices.filter((d) => d.name !== name), record]; });
        return { device: name, user_id: userId, room_id: roomId, token };
      });
    },

    list(): DeviceSummary[] {
      return registry.list().map(summarize);
    },

    /** `hearth device remove NAME`: credentials revoked (and its sub-devices'), room and history kept. */
    remove(name: string): Promise<DeviceSummary> {
      return serial(async () => {
        const d = registry.get(name);
        if (!d || d.status === 'removed') throw new DeviceAdminError(`no device named ${name}`);
        const gone = registry.list().filter((x) => x.name === name || x.parent === name);
        await registry.update((data) => {
          for (const x of data.devices) if (gone.some((g) => g.name === x.name)) { x.status = 'removed'; x.tokenHash = ''; }
        });
        for (const x of gone) {
          if (x.roomId) await rooms.port.setState(x.userId, x.roomId, DeviceEventType.STATUS, '', { online: false, removed: true, last_seen_ts: null });
        }
        return summarize({ ...d, status: 'removed' });
      });
    },

    /** `hearth device accept NAME`: a discovered (pending) device gets its user and room. */
    accept(name: string): Promise<DeviceSummary> {
      return serial(async () => {
        const d = registry.get(name);
        if (!d) throw new DeviceAdminError(`no device named ${name}`);
        if (d.status !== 'pending') throw new DeviceAdminError(`device ${name} is ${d.status}, not pending`);
        const { userId, roomId } = await provision(d);
        const accepted = await registry.update((data) => {
          const x = data.devices.find((y) => y.name === name)!;
          Object.assign(x, { userId, roomId, status: 'active' });
          return { ...x };
        });
        return summarize(accepted);
      });
    },

    /** A bridge renamed a sub-device (same discovery key, new id): the record follows, keeping its name and room. */
    renamed(parent: string, from: string, to: Discovery): Promise<void> {
      return serial(async () => {
        if (registry.childOf(parent, to.device)) return;
        await registry.update((data) => {
          const x = data.devices.find((y) => y.parent === parent && y.child === from);
          if (x) { x.child = to.device; if (to.displayName) x.displayName = to.displayName; }
        });
      });
    },

    /** A bridge no longer announces a sub-device: it is marked removed; its room and history stay. */
    withdrawn(name: string): Promise<void> {
      return serial(async () => {
        const d = registry.get(name);
        if (!d || d.status === 'removed') return;
        await registry.update((data) => { const x = data.devices.find((y) => y.name === name); if (x) { x.status = 'removed'; x.withdrawn = true; } });
        if (d.roomId) await rooms.port.setState(d.userId, d.roomId, DeviceEventType.STATUS, '', { online: false, removed: true, last_seen_ts: null });
      });
    },

    /**
     * A bridge announced a sub-device: its record is created (pending, or active with a room when `autoAccept`),
     * or its display name and info refreshed. Resolves to the record, or undefined for a removed one.
     */
    discovered(parent: DeviceRecord, disc: Discovery, autoAccept: boolean): Promise<DeviceRecord | undefined> {
      return serial(async () => {
        let child = registry.childOf(parent.name, disc.device);
        if (child?.status === 'removed' && child.withdrawn) {
          // The bridge announces it again: back to where it was (a room means it had been accepted).
          const name = child.name;
          child = await registry.update((data) => {
            const x = data.devices.find((y) => y.name === name)!;
            x.status = x.roomId ? 'active' : 'pending';
            delete x.withdrawn;
            return { ...x };
          });
        }
        if (child?.status === 'removed') return undefined;
        if (!child) {
          const base = `${parent.name}.${slugify(disc.device)}`.slice(0, 48);
          let name = base;
          for (let i = 2; registry.get(name); i++) name = `${base.slice(0, 44)}-${i}`;
          child = {
            name, profile: parent.profile, topic: parent.topic, userId: '', roomId: '', tokenHash: '', status: 'pending',
            createdTs: now(), parent: parent.name, child: disc.device, ...(disc.displayName ? { displayName: disc.displayName } : {}),
          };
          const fresh = child;
          await registry.update((data) => { data.devices.push(fresh); });
        }
        if (child.status === 'pending' && autoAccept) {
          const { userId, roomId } = await provision({ ...child, known: parent.known }, { model: disc.info });
          const name = child.name;
          child = await registry.update((data) => {
            const x = data.devices.find((y) => y.name === name)!;
            Object.assign(x, { userId, roomId, status: 'active' });
            return { ...x };
          });
        }
        return child;
      });
    },
  };
}

export type DeviceAdmin = ReturnType<typeof createDeviceAdmin>;
