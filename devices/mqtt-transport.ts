/** MQTT transport (mqtt://, mqtts://, ws://, wss://): QoS 1 publishes, Last Will offline, reconnect with backoff and jitter. */
import mqtt, { type MqttClient } from 'mqtt';
import { backoff, type RawCommand, type Transport } from './transport.js';

export interface MqttTransportOptions {
  url: string;
  device: string;
  token: string;
  /** The device's base topic (default `hearth/NAME`). */
  topic: string;
}

/**
 * Connects to the hub's MQTT listener as the device (username = name, password = token), with Last Will
 * `BASE/status` = `offline` (QoS 1, retained), and subscribes to `BASE/command`.
 * @example
 * const t = mqttTransport({ url: 'mqtt://hub.local:1883', device: 'kitchen', token, topic: 'hearth/kitchen' });
 * await t.publish('reading', payload);
 */
export function mqttTransport(opts: MqttTransportOptions): Transport {
  const base = opts.topic;
  let attempt = 0;
  const connectFns: Array<() => void> = [];
  const commandFns: Array<(c: RawCommand) => void> = [];
  const client: MqttClient = mqtt.connect(opts.url, {
    username: opts.device,
    password: opts.token,
    clientId: `${opts.device}-${Math.random().toString(36).slice(2, 10)}`,
    clean: true,
    protocolVersion: 4,
    reconnectPeriod: backoff(0),
    connectTimeout: 10_000,
    will: { topic: `${base}/status`, payload: Buffer.from('offline'), qos: 1, retain: true },
  });
  client.on('connect', () => {
    attempt = 0;
    client.options.reconnectPeriod = backoff(0);
    for (const fn of connectFns) fn();
  });
  // mqtt.js reads reconnectPeriod each time it schedules a reconnect, so growing it here gives backoff with jitter.
  client.on('close', () => { client.options.reconnectPeriod = backoff(++attempt); });
  client.on('error', () => { /* reported through close/reconnect; a bad token keeps retrying with backoff */ });
  client.on('message', (topic, payload) => {
    if (topic !== `${base}/command`) return;
    const first = payload[0];
    const format = first === 0x7b ? 'json' : first !== undefined && first >= 0xa0 && first <= 0xbf ? 'cbor' : 'unknown';
    for (const fn of commandFns) fn({ payload: new Uint8Array(payload), format });
  });
  client.subscribe(`${base}/command`, { qos: 1 });

  return {
    publish(topic, payload, o = {}) {
      return new Promise((resolve, reject) => {
        client.publish(`${base}/${topic}`, Buffer.from(payload), { qos: 1, retain: o.retain ?? false }, (err) => (err ? reject(err) : resolve()));
      });
    },
    connected: () => client.connected,
    onConnect(fn) { connectFns.push(fn); if (client.connected) fn(); },
    onCommand(fn) { commandFns.push(fn); },
    async close() {
      if (client.connected) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, 2000);
          client.publish(`${base}/status`, 'offline', { qos: 1, retain: true }, () => { clearTimeout(timer); r(); });
        });
      }
      // Not connected: end at once (force), so a pending reconnect cannot keep close() waiting.
      await new Promise<void>((r) => client.end(!client.connected, {}, () => r()));
    },
  };
}
