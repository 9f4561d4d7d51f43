/** The device runtime (no Node built-ins): readings, events and state through a bounded queue with acknowledgements, commands in, results out. */
import { decodePayload, encodePayload, type Encoding } from './codec.js';
import { createSealer, type Sealer } from './identity.js';
import { createQueue, type QueueItem, type QueuePersistence } from './queue.js';
import { backoff, PermanentError, type Transport } from './transport.js';

/**
 * How to reach the hub and who the device is.
 * @example
 * const opts: ConnectOptions = { url: 'coap://hub.local', device: 'porch', token, encoding: 'json' };
 */
export interface ConnectOptions {
  /** `mqtt://`, `mqtts://`, `ws://`/`wss://` (MQTT over WebSocket, e.g. `ws://hub:8883/mqtt`) or `coap://`. */
  url: string;
  /** The device name (MQTT username) from `hearth device add`. */
  device: string;
  /** The device token from `hearth device add`. */
  token: string;
  /** The device's base64 ed25519 secret key; when given, payloads go in signed envelopes. */
  key?: string;
  /** Payload encoding (default `cbor`). */
  encoding?: Encoding;
  /** MQTT base topic (default `hearth/NAME`). */
  topic?: string;
  /** Most messages kept while waiting for acknowledgements (default 1000); beyond it, sends reject. */
  maxQueue?: number;
  /** Node only: a file that keeps unacknowledged messages across restarts (a shortcut for `persistence`). */
  queueFile?: string;
  /** Where unacknowledged messages are kept across restarts (any runtime), e.g. localStorage in a browser. */
  persistence?: QueuePersistence;
  /** Publishes in flight at once over MQTT (default 32; CoAP sends one at a time). */
  window?: number;
}

/**
 * A command from a room, as the gateway sends it.
 * @example
 * // `!blink 3` typed by @alice → { id: '$ev', command: 'blink', args: ['3'], sender: '@alice:hub' }
 */
export interface Command { id: string; command: string; args: unknown[]; sender: string; params?: Record<string, unknown> }

/**
 * Answers a command: the value it returns (or resolves to) is the result; a throw is `ok: false`.
 * @example
 * const handler: CommandHandler = (c) => ({ power: c.args[0] });
 */
export type CommandHandler = (cmd: Command) => unknown;

/**
 * A connected device.
 * @example
 * const dev: Device = await connectDevice(opts);
 * await dev.reading({ lux: 300 });
 */
export interface Device {
  /** Sends a reading (a flat map of values); resolves when the hub committed it. */
  reading(values: Record<string, unknown>): Promise<void>;
  /** Sends a room event of `type` with `content`; resolves when committed. */
  send(type: string, content: Record<string, unknown>): Promise<void>;
  /** Sets room state `type`/`stateKey` to `content`; resolves when committed. */
  setState(type: string, stateKey: string, content: Record<string, unknown>): Promise<void>;
  /** Publishes online/offline status (retained over MQTT); resolves when acknowledged. */
  setStatus(status: 'online' | 'offline'): Promise<void>;
  /** Handles commands; the return value (or thrown error) is published as the command result. */
  onCommand(handler: CommandHandler): void;
  /** Messages not yet acknowledged. */
  pending(): number;
  /** Says offline and disconnects; unacknowledged messages stay in the queue file, if any. */
  close(): Promise<void>;
}

/**
 * The runtime over a given transport (for tests or custom protocols); `connectDevice` picks the transport from the URL.
 * @example
 * const dev = createDevice({ url: 'mqtt://h', device: 'k', token }, myTransport);
 */
export function createDevice(o: ConnectOptions, transport: Transport, sealer?: Sealer): Device {
  const encoding = o.encoding ?? 'cbor';
  if (o.queueFile && !o.persistence) throw new Error('queueFile needs the Node entry of hearth/devices (connectDevice); elsewhere pass persistence');
  const queue = createQueue({ max: o.maxQueue ?? 1000, ...(o.persistence ? { persistence: o.persistence } : {}) });
  const window = new URL(o.url).protocol === 'coap:' ? 1 : Math.max(1, o.window ?? 32);
  const idPrefix = randomId();
  let seq = 0;
  let closed = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const inflight = new Set<QueueItem>();
  const waiters = new Map<QueueItem, { resolve(): void; reject(e: Error): void }>();
  const handlers: CommandHandler[] = [];

  function settle(item: QueueItem, err?: Error): void {
    inflight.delete(item);
    queue.remove(item);
    const w = waiters.get(item);
    waiters.delete(item);
    if (err) w?.reject(err); else w?.resolve();
  }

  /** Sends queued items in order, up to `window` at a time; a transient failure retries after a backoff. */
  function pump(): void {
    if (closed || retryTimer || !transport.connected()) return;
    for (const item of queue.items()) {
      if (inflight.size >= window) break;
      if (inflight.has(item)) continue;
      inflight.add(item);
      transport.publish(item.topic, item.payload).then(
        () => { failures = 0; settle(item); pump(); },
        (err: Error) => {
          if (err instanceof PermanentError) { settle(item, err); pump(); return; }
          inflight.delete(item);
          if (!closed && !retryTimer) retryTimer = setTimeout(() => { retryTimer = undefined; pump(); }, backoff(failures++));
        },
      );
    }
  }

  async function enqueue(topic: string, value: unknown, id: string): Promise<void> {
    if (closed) throw new Error('device is closed');
    const body = encodePayload(value, encoding);
    const payload = sealer ? await sealer.seal(body) : body;
    const item: QueueItem = { id, topic, payload };
    const done = new Promise<void>((resolve, reject) => waiters.set(item, { resolve, reject }));
    try { queue.push(item); } catch (err) { waiters.delete(item); throw err; }
    pump();
    return done;
  }

  const nextId = () => `${idPrefix}-${++seq}`;

  async function runCommand(handler: CommandHandler, cmd: Command): Promise<void> {
    let result: Record<string, unknown>;
    try {
      const value = await handler(cmd);
      result = { id: cmd.id, ok: true, ...(value !== undefined ? { result: value } : {}) };
    } catch (err) {
      result = { id: cmd.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    await enqueue('command/result', result, '').catch(() => undefined);
  }

  transport.onConnect(() => {
    void transport.publish('status', new TextEncoder().encode('online'), { retain: true, text: true }).catch(() => undefined);
    pump();
  });
  transport.onCommand((raw) => {
    let cmd: Command;
    try { cmd = decodePayload(raw.payload) as Command; } catch { return; }
    if (typeof cmd?.id !== 'string' || typeof cmd.command !== 'string') return;
    for (const h of handlers) void runCommand(h, { ...cmd, args: Array.isArray(cmd.args) ? cmd.args : [] });
  });

  return {
    reading(values) {
      const id = nextId();
      return enqueue('reading', { ...values, id, ts: Date.now() }, id);
    },
    send(type, content) {
      const id = nextId();
      return enqueue('event', { type, content, id }, id);
    },
    setState(type, stateKey, content) {
      return enqueue(`state/${type}${stateKey ? `/${stateKey}` : ''}`, content, '');
    },
    setStatus(status) {
      return transport.publish('status', new TextEncoder().encode(status), { retain: true, text: true });
    },
    onCommand(handler) { handlers.push(handler); },
    pending: () => queue.size(),
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await transport.close();
      for (const [, w] of waiters) w.reject(new Error('device closed before the hub acknowledged'));
      waiters.clear();
    },
  };
}

/**
 * Connects with the transport `open` picks for the URL: the shared part of the Node and browser `connectDevice`.
 * @example
 * const dev = await connectWith(opts, (o, topic) => wsTransport({ url: o.url, device: o.device, token: o.token, topic }));
 */
export async function connectWith(o: ConnectOptions, open: (o: ConnectOptions, topic: string) => Transport): Promise<Device> {
  const topic = o.topic ?? `hearth/${o.device}`;
  const sealer = o.key ? createSealer(o.device, o.key) : undefined;
  return createDevice(o, open(o, topic), sealer);
}

/** Eight random base64url characters (48 bits) from `crypto.getRandomValues` (browsers and Node 20). */
function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(6));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_');
}
