/** `hearth/devices` in a browser (the ESM bundle dist/browser/hearth-devices.js): MQTT over WebSocket and signing, no Node built-ins. */
import { connectWith, type ConnectOptions, type Device } from './device.js';
import { wsTransport, type WebSocketConstructor } from './ws-transport.js';

export { createDevice, type Command, type CommandHandler, type ConnectOptions, type Device } from './device.js';
export { generateDeviceKey, createSealer, type DeviceKey, type Sealer } from './identity.js';
export { encodeEnvelope, signingBytes, MAX_COUNTER, type Envelope } from './envelope.js';
export { encodePayload, decodePayload, type Encoding } from './codec.js';
export { createQueue, QueueFullError, type OutboundQueue, type QueueItem, type QueuePersistence } from './queue.js';
export { backoff, PermanentError, type Transport, type RawCommand } from './transport.js';
export { wsTransport, type WebSocketConstructor, type WebSocketLike } from './ws-transport.js';

/**
 * Connects a device over MQTT-over-WebSocket (`ws://HOST:PORT/mqtt` or `wss://…`), the only transport a browser has.
 * `WebSocket` defaults to the global one.
 * @example
 * import { connectDevice, generateDeviceKey } from 'hearth/devices'; // the "browser" export condition
 * const dev = await connectDevice({ url: 'ws://hub.local:8083/mqtt', device: 'panel', token, key: secretKey });
 * await dev.reading({ lux: 300 });
 */
export async function connectDevice(o: ConnectOptions & { WebSocket?: WebSocketConstructor }): Promise<Device> {
  const scheme = new URL(o.url).protocol;
  if (scheme !== 'ws:' && scheme !== 'wss:') throw new Error(`a browser connects over ws:// or wss:// only, not ${scheme}`);
  return connectWith(o, (c, topic) => wsTransport({ url: c.url, device: c.device, token: c.token, topic, ...(o.WebSocket ? { WebSocket: o.WebSocket } : {}) }));
}
