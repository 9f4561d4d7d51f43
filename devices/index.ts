/** `hearth/devices` for Node: the device SDK (connect over MQTT or CoAP, readings, events, state, commands, signed envelopes). */
export { connectDevice } from './connect.js';
export { createDevice, type Command, type CommandHandler, type ConnectOptions, type Device } from './device.js';
export { generateDeviceKey, createSealer, type DeviceKey, type Sealer } from './identity.js';
export { encodeEnvelope, signingBytes, MAX_COUNTER, type Envelope } from './envelope.js';
export { encodePayload, decodePayload, type Encoding } from './codec.js';
export { createQueue, QueueFullError, type OutboundQueue, type QueueItem, type QueuePersistence } from './queue.js';
export { fileQueuePersistence } from './queue-file.js';
export { backoff, PermanentError, type Transport, type RawCommand } from './transport.js';
export { wsTransport, type WebSocketConstructor, type WebSocketLike } from './ws-transport.js';
