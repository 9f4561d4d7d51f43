/** `connectDevice` for Node: MQTT (mqtt.js: mqtt://, mqtts://, ws://, wss://) or CoAP, and `queueFile` as a JSON file. */
import { coapTransport } from './coap-transport.js';
import { connectWith, type ConnectOptions, type Device } from './device.js';
import { mqttTransport } from './mqtt-transport.js';
import { fileQueuePersistence } from './queue-file.js';
import type { Transport } from './transport.js';

function openTransport(o: ConnectOptions, topic: string): Transport {
  const scheme = new URL(o.url).protocol;
  if (scheme === 'coap:') return coapTransport({ url: o.url, device: o.device, token: o.token, format: o.encoding === 'json' ? 50 : 60 });
  if (['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:'].includes(scheme)) return mqttTransport({ url: o.url, device: o.device, token: o.token, topic });
  throw new Error(`unsupported URL scheme ${scheme} (mqtt, mqtts, ws, wss, coap)`);
}

/**
 * Connects a device to the hub over MQTT or CoAP.
 * @example
 * const dev = await connectDevice({ url: 'mqtt://hub.local:1883', device: 'kitchen', token });
 * await dev.reading({ temperature: 21.5 });
 * dev.onCommand((c) => (c.command === 'blink' ? 'blinked' : Promise.reject(new Error('unknown'))));
 */
export async function connectDevice(o: ConnectOptions): Promise<Device> {
  const opts = o.queueFile && !o.persistence ? { ...o, persistence: fileQueuePersistence(o.queueFile) } : o;
  return connectWith(opts, openTransport);
}
