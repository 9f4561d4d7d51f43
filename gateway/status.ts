/** Device status as room state (`org.hearth.device.status`): online/offline, last seen, and repeated-drop reports. */
import { DeviceEventType, type DropReason } from './codes.js';
import type { MatrixPort } from './port.js';
import type { DeviceRecord } from './registry.js';

export interface StatusDeps {
  port: MatrixPort;
  now: () => number;
  /** While a device stays online, `last_seen_ts` is rewritten at most this often (ms). */
  refreshMs?: number;
}

interface Known { online: boolean | undefined; detail: string | undefined; writtenTs: number; content: Record<string, unknown> }

export function createStatusTracker(deps: StatusDeps) {
  const { port, now } = deps;
  const refreshMs = deps.refreshMs ?? 10 * 60_000;
  const known = new Map<string, Known>();
  const chains = new Map<string, Promise<unknown>>();

  /** Runs writes for one device in order. */
  function serial(name: string, fn: () => Promise<void>): Promise<void> {
    const run = (chains.get(name) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    chains.set(name, tail);
    void tail.then(() => { if (chains.get(name) === tail) chains.delete(name); });
    return run;
  }

  async function current(d: DeviceRecord): Promise<Known> {
    let k = known.get(d.name);
    if (!k) {
      const content = (await port.getState(d.roomId, DeviceEventType.STATUS, '')) ?? {};
      k = {
        online: typeof content.online === 'boolean' ? content.online : undefined,
        detail: typeof content.detail === 'string' ? content.detail : undefined,
        writtenTs: typeof content.last_seen_ts === 'number' ? content.last_seen_ts : 0, content,
      };
      known.set(d.name, k);
    }
    return k;
  }

  async function write(d: DeviceRecord, k: Known, content: Record<string, unknown>): Promise<void> {
    await port.setState(d.userId, d.roomId, DeviceEventType.STATUS, '', content);
    k.content = content;
    k.writtenTs = now();
  }

  return {
    /** Online/offline from a connection, Last Will or availability topic; written only when it changed. */
    set(d: DeviceRecord, online: boolean, detail?: string): Promise<void> {
      if (!d.roomId) return Promise.resolve();
      return serial(d.name, async () => {
        const k = await current(d);
        if (k.online === online && k.detail === detail) return;
        k.online = online;
        k.detail = detail;
        const { dropped } = k.content;
        await write(d, k, { online, last_seen_ts: now(), ...(detail !== undefined ? { detail } : {}), ...(dropped ? { dropped } : {}) });
      });
    },
    /** The device sent something: refresh `last_seen_ts` when the last write is older than the refresh interval. */
    seen(d: DeviceRecord): void {
      if (!d.roomId) return;
      const k = known.get(d.name);
      if (k && now() - k.writtenTs < refreshMs) return;
      void serial(d.name, async () => {
        const c = await current(d);
        if (now() - c.writtenTs < refreshMs) return;
        await write(d, c, { ...c.content, online: c.online ?? true, last_seen_ts: now() });
        c.online ??= true;
      }).catch(() => undefined);
    },
    /** Repeated drops: recorded in the status and told to the room's people as a notice. */
    reportDrops(d: DeviceRecord, count: number, reasons: Partial<Record<DropReason, number>>): Promise<void> {
      if (!d.roomId) return Promise.resolve();
      return serial(d.name, async () => {
        const k = await current(d);
        const ts = now();
        await write(d, k, { ...k.content, dropped: { count, reasons, ts } });
        const list = Object.entries(reasons).map(([r, n]) => `${n} ${r}`).join(', ');
        await port.sendEvent(d.userId, d.roomId, 'm.room.message', {
          msgtype: 'm.notice', body: `${d.displayName ?? d.name}: the hub dropped ${count} messages from this device in the last minute (${list}).`,
        });
      });
    },
    forget(name: string): void { known.delete(name); },
  };
}

export type StatusTracker = ReturnType<typeof createStatusTracker>;
