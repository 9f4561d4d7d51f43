/** The device registry: lowdb JSON in the data dir (devices.json), written atomically, re-read when another process changes it. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Discovery } from '../profiles/types.js';
import { DurableJsonFile } from './durable-json-file.js';

export type DeviceStatus = 'active' | 'pending' | 'removed';

export interface DeviceRecord {
  name: string;
  profile: string;
  /** The profile's base topic for this device. */
  topic: string;
  userId: string;
  /** Empty while a discovered device is pending. */
  roomId: string;
  /** sha256 (hex) of the MQTT password; '' when the device cannot connect (removed, or a bridged sub-device). */
  tokenHash: string;
  /** ed25519 public key (base64) for signed CBOR envelopes. */
  publicKey?: string;
  status: DeviceStatus;
  createdTs: number;
  displayName?: string;
  /** For a sub-device discovered through a bridge: the bridge's name and the sub-device id the profile uses. */
  parent?: string;
  child?: string;
  /** Removed because its bridge stopped announcing it (it comes back when announced again), not by an admin. */
  withdrawn?: boolean;
  /** Discovery items a bridge or self-describing device published (kept so decode/encode stay pure). */
  known?: Discovery[];
}

export interface RegistryData {
  version: 1;
  /** The "Home" space every device room is in. */
  homeSpaceId?: string;
  devices: DeviceRecord[];
}

export const REGISTRY_FILE = 'devices.json';

/**
 * A device token: 128 random bits, 22 characters of base64url (short enough for constrained MQTT stacks). Never one
 * that starts with `-`: one in 64 did, and `hearth-device send --token -…` (like other option parsers) read it as an
 * option rather than the token.
 */
export function createDeviceToken(): string {
  for (;;) {
    const token = randomBytes(16).toString('base64url');
    if (token[0] !== '-') return token;
  }
}

/** How a device token is stored: sha256 hex (the token is random, so a fast hash suffices). */
export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Checks a presented password against a stored hash in constant time. */
export function verifyDeviceToken(password: string | Buffer | undefined, tokenHash: string): boolean {
  if (!password || tokenHash === '') return false;
  const got = Buffer.from(hashDeviceToken(password.toString()), 'hex');
  const want = Buffer.from(tokenHash, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

export interface RegistryOptions {
  dataDir: string;
  /**
   * Re-read the file when something else changes it (a hand edit; `hearth device` goes through the running hub).
   * The file is polled (one stat per `watchIntervalMs`) rather than watched with inotify: a directory watch would
   * also report every write to the SQLite WAL beside it, thousands a second under load.
   */
  watch?: boolean;
  /** How often the watched file is polled (default 500 ms). */
  watchIntervalMs?: number;
  /** Least time between re-reads forced by a lookup miss. */
  missReloadMs?: number;
  now?: () => number;
}

export interface Registry {
  get(name: string): DeviceRecord | undefined;
  list(): DeviceRecord[];
  /** The sub-device record of `parent` for profile sub-device id `child`. */
  childOf(parent: string, child: string): DeviceRecord | undefined;
  homeSpaceId(): string | undefined;
  /** Applies `fn` to the data and writes the file (serialised; re-reads first so another process's change is kept). */
  update<T>(fn: (data: RegistryData) => T): Promise<T>;
  /** Re-reads the file now. */
  reload(): Promise<void>;
  /** A lookup missed: re-read, at most once per `missReloadMs`. Resolves true when a re-read happened. */
  reloadOnMiss(): Promise<boolean>;
  /** Called after every change, whoever made it. */
  onChange(fn: (data: RegistryData) => void): () => void;
  close(): void;
}

const empty = (): RegistryData => ({ version: 1, devices: [] });

/** Opens (or starts) the registry file in the data dir. */
export async function openRegistry(opts: RegistryOptions): Promise<Registry> {
  const file = join(opts.dataDir, REGISTRY_FILE);
  const now = opts.now ?? Date.now;
  const db = new Low<RegistryData>(new DurableJsonFile<RegistryData>(file), empty());
  await db.read();
  db.data ??= empty();
  const listeners = new Set<(d: RegistryData) => void>();
  let tail: Promise<unknown> = Promise.resolve();
  let lastMissReload = 0;

  let byName = new Map<string, DeviceRecord>();
  /** Rebuilds the name index (after every read and write), then tells the listeners. */
  const changed = () => {
    byName = new Map(db.data.devices.map((d) => [d.name, d]));
    for (const l of listeners) l(db.data);
  };
  changed();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  const reload = () => serial(async () => {
    try {
      await db.read();
      db.data ??= empty();
    } catch { /* a half-visible file cannot happen (rename), but a hand edit can be invalid: keep what we have */ }
    changed();
  });

  const onStat = (cur: { mtimeMs: number; ino: number; size: number }, prev: { mtimeMs: number; ino: number; size: number }) => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.ino !== prev.ino || cur.size !== prev.size) void reload();
  };
  if (opts.watch) {
    watchFile(file, { persistent: false, interval: opts.watchIntervalMs ?? 500 }, onStat);
  }

  return {
    get: (name) => byName.get(name),
    list: () => [...db.data.devices],
    childOf: (parent, child) => db.data.devices.find((d) => d.parent === parent && d.child === child),
    homeSpaceId: () => db.data.homeSpaceId,
    update<T>(fn: (data: RegistryData) => T) {
      return serial(async () => {
        await db.read();
        db.data ??= empty();
        const out = fn(db.data);
        await db.write();
        changed();
        return out;
      });
    },
    reload,
    async reloadOnMiss() {
      const t = now();
      if (t - lastMissReload < (opts.missReloadMs ?? 1000)) return false;
      lastMissReload = t;
      await reload();
      return true;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close() {
      if (opts.watch) unwatchFile(file, onStat);
    },
  };
}
