/** MQTT 3.1.1 over a WebSocket (ws://, wss://) without mqtt.js or Node built-ins: the browser build's transport. */
import { connectPacket, createPacketParser, DISCONNECT, PacketType, parsePublish, PINGREQ, pubackPacket, publishPacket, subscribePacket, type Packet } from './mqtt-packets.js';
import { backoff, type RawCommand, type Transport } from './transport.js';

/**
 * The part of the WebSocket API the transport uses (the browser's, or the `ws` package's in Node).
 * @example
 * const ws: WebSocketLike = new WebSocket('ws://hub.local:8083/mqtt', 'mqtt');
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/**
 * A WebSocket constructor.
 * @example
 * const ctor: WebSocketConstructor = globalThis.WebSocket;
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/**
 * Where and who: the hub's `ws://HOST:PORT/mqtt` URL, the device's name and token, and its base topic.
 * @example
 * const o: WsTransportOptions = { url: 'ws://hub.local:8083/mqtt', device: 'panel', token, topic: 'hearth/panel' };
 */
export interface WsTransportOptions {
  url: string;
  device: string;
  token: string;
  /** The device's base topic (default `hearth/NAME`). */
  topic: string;
  /** Seconds between keep-alive pings (default 60). */
  keepalive?: number;
  /** The WebSocket implementation (default `globalThis.WebSocket`). */
  WebSocket?: WebSocketConstructor;
}

/** WebSocket.OPEN. */
const OPEN = 1;
const CONNACK_ACCEPTED = 0;

/**
 * Connects over MQTT-over-WebSocket (subprotocol `mqtt`) as the device, with Last Will `BASE/status` = `offline`
 * (QoS 1, retained), subscribes to `BASE/command`, and reconnects with backoff and jitter. A publish resolves on
 * PUBACK; one made while not connected waits for the connection; when the connection drops, publishes in flight
 * reject (the device runtime retries them).
 * @example
 * const t = wsTransport({ url: 'ws://hub.local:8083/mqtt', device: 'kitchen', token, topic: 'hearth/kitchen' });
 * await t.publish('reading', payload);
 */
export function wsTransport(opts: WsTransportOptions): Transport {
  const found = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!found) throw new Error('no WebSocket in this runtime: pass opts.WebSocket');
  const Ctor: WebSocketConstructor = found;
  const base = opts.topic;
  const keepalive = opts.keepalive ?? 60;
  const connectFns: Array<() => void> = [];
  const commandFns: Array<(c: RawCommand) => void> = [];
  const inflight = new Map<number, { resolve(): void; reject(e: Error): void }>();
  /** Publishes made before the first CONNACK (or while reconnecting), sent in order once connected. */
  const held: Array<{ send(): void; reject(e: Error): void }> = [];
  let ws: WebSocketLike | undefined;
  let connected = false;
  let closed = false;
  let attempt = 0;
  let nextId = 0;
  let awaitingPong = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  function packetId(): number {
    do nextId = (nextId % 0xffff) + 1; while (inflight.has(nextId));
    return nextId;
  }

  function onPacket(sock: WebSocketLike, p: Packet): void {
    switch (p.type) {
      case PacketType.CONNACK:
        if (p.body[1] !== CONNACK_ACCEPTED) { sock.close(); return; }
        connected = true;
        attempt = 0;
        sock.send(subscribePacket(`${base}/command`, packetId()));
        for (const h of held.splice(0)) h.send();
        for (const fn of connectFns) fn();
        return;
      case PacketType.PUBACK: {
        const id = (p.body[0]! << 8) | p.body[1]!;
        const w = inflight.get(id);
        inflight.delete(id);
        w?.resolve();
        return;
      }
      case PacketType.PUBLISH: {
        const m = parsePublish(p);
        if (m.qos === 1) sock.send(pubackPacket(m.packetId));
        if (m.topic !== `${base}/command`) return;
        const first = m.payload[0];
        const format = first === 0x7b ? 'json' : first !== undefined && first >= 0xa0 && first <= 0xbf ? 'cbor' : 'unknown';
        for (const fn of commandFns) fn({ payload: m.payload, format });
        return;
      }
      case PacketType.PINGRESP: awaitingPong = false; return;
      default: return; // SUBACK: a refused subscription only means no commands arrive
    }
  }

  function dropped(sock: WebSocketLike): void {
    if (ws !== sock) return;
    ws = undefined;
    connected = false;
    clearInterval(pingTimer);
    const err = new Error('MQTT-over-WebSocket connection lost before the PUBACK');
    for (const [, w] of inflight) w.reject(err);
    inflight.clear();
    if (!closed) reconnectTimer = setTimeout(open, backoff(attempt++));
  }

  function open(): void {
    reconnectTimer = undefined;
    const sock = new Ctor(opts.url, 'mqtt');
    ws = sock;
    sock.binaryType = 'arraybuffer';
    const parser = createPacketParser();
    sock.onopen = () => {
      sock.send(connectPacket({
        clientId: `${opts.device}-${Math.random().toString(36).slice(2, 10)}`, username: opts.device, password: opts.token, keepalive,
        will: { topic: `${base}/status`, payload: 'offline', retain: true },
      }));
      awaitingPong = false;
      pingTimer = setInterval(() => {
        if (awaitingPong) { sock.close(); return; } // no PINGRESP within a keep-alive period
        awaitingPong = true;
        sock.send(PINGREQ);
      }, keepalive * 1000);
    };
    sock.onmessage = (ev) => {
      const data = ev.data instanceof ArrayBuffer ? new Uint8Array(ev.data) : ev.data instanceof Uint8Array ? ev.data : undefined;
      if (!data) return;
      try {
        for (const p of parser.push(data)) onPacket(sock, p);
      } catch { sock.close(); }
    };
    sock.onclose = () => dropped(sock);
    sock.onerror = () => { /* followed by close */ };
  }

  /** QoS 1 publish: sent now when connected, else held until the next CONNACK; resolves on the PUBACK. */
  function publish(topic: string, payload: Uint8Array, retain: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      if (closed) { reject(new Error('MQTT-over-WebSocket transport is closed')); return; }
      const send = () => {
        const id = packetId();
        inflight.set(id, { resolve, reject });
        ws!.send(publishPacket(`${base}/${topic}`, payload, 1, id, retain));
      };
      if (ws && connected && ws.readyState === OPEN) send(); else held.push({ send, reject });
    });
  }

  open();
  return {
    publish: (topic, payload, o = {}) => publish(topic, payload, o.retain ?? false),
    connected: () => connected,
    onConnect(fn) { connectFns.push(fn); if (connected) fn(); },
    onCommand(fn) { commandFns.push(fn); },
    async close() {
      if (connected) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          publish('status', new TextEncoder().encode('offline'), true).catch(() => undefined),
          new Promise((r) => { timer = setTimeout(r, 2000); }),
        ]);
        clearTimeout(timer);
      }
      closed = true;
      clearTimeout(reconnectTimer);
      for (const h of held.splice(0)) h.reject(new Error('MQTT-over-WebSocket transport closed before connecting'));
      const sock = ws;
      if (sock?.readyState === OPEN) sock.send(DISCONNECT);
      sock?.close();
      if (sock) dropped(sock);
    },
  };
}
