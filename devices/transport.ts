/** What the device runtime needs from a protocol: acknowledged publishes, a connection signal and command payloads. */

/** A publish the hub answered with a refusal that a retry cannot fix (e.g. CoAP 4.00 Bad Request). */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

/** A command payload as it arrived (JSON from the MQTT gateway, CBOR or JSON over CoAP). */
export interface RawCommand { payload: Uint8Array; format: 'json' | 'cbor' | 'unknown' }

/** One protocol connection (MQTT or CoAP). */
export interface Transport {
  /** Publishes to `topic` (relative to the device's base); resolves when acknowledged. */
  publish(topic: string, payload: Uint8Array, opts?: { retain?: boolean; text?: boolean }): Promise<void>;
  /** Whether publishes can go out now (always true for CoAP). */
  connected(): boolean;
  /** Called on every (re)connection. */
  onConnect(fn: () => void): void;
  /** Called with every command the hub sends. */
  onCommand(fn: (cmd: RawCommand) => void): void;
  /** Disconnects; with `graceful`, publishes offline status first where the protocol has it. */
  close(): Promise<void>;
}

/** Reconnect delays: exponential from `base` up to `max`, with full jitter (a random delay in [d/2, d]). */
export function backoff(attempt: number, base = 500, max = 30_000, random = Math.random): number {
  const d = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(d / 2 + random() * (d / 2));
}
