/** What the device runtime needs from a protocol: acknowledged publishes, a connection signal and command payloads. */

/**
 * A publish the hub answered with a refusal that a retry cannot fix (e.g. CoAP 4.00 Bad Request).
 * @example
 * await dev.reading(v).catch((e) => { if (e instanceof PermanentError) console.error('hub refused', e.message); });
 */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

/**
 * A command payload as it arrived (JSON from the MQTT gateway, CBOR or JSON over CoAP).
 * @example
 * transport.onCommand((raw) => console.log(decodePayload(raw.payload)));
 */
export interface RawCommand { payload: Uint8Array; format: 'json' | 'cbor' | 'unknown' }

/**
 * One protocol connection (MQTT or CoAP).
 * @example
 * const t: Transport = mqttTransport({ url, device, token, topic: `hearth/${device}` });
 */
export interface Transport {
  /** Publishes to `topic` (relative to the device's base); resolves when acknowledged. */
  publish(topic: string, payload: Uint8Array, opts?: { retain?: boolean; text?: boolean }): Promise<void>;
  /** Whether publishes can go out now (always true for CoAP). */
  connected(): boolean;
  /** Called on every (re)connection. */
  onConnect(fn: () => void): void;
  /** Called with every command the hub sends. */
  onCommand(fn: (cmd: RawCommand) => void): void;
  /** Disconnects (over MQTT, publishing status offline first). */
  close(): Promise<void>;
}

/**
 * Reconnect delays: exponential from `base` up to `max`, with jitter (a random delay in [d/2, d]).
 * @example
 * backoff(3) // between 2000 and 4000 ms
 */
export function backoff(attempt: number, base = 500, max = 30_000, random = Math.random): number {
  const d = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(d / 2 + random() * (d / 2));
}
