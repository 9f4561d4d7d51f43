/** Device identity: ed25519 keys with @noble/ed25519 and a pure-JS SHA-512 (no Node built-ins), and sealing payloads into signed envelopes. */
import * as ed from '@noble/ed25519';
import { encodeEnvelope, MAX_COUNTER, signingBytes } from './envelope.js';
import { sha512 } from './sha512.js';

/**
 * A device key pair, both halves base64 (standard alphabet, padded).
 * @example
 * const key: DeviceKey = await generateDeviceKey();
 */
export interface DeviceKey {
  /** The 32-byte public key: give it to `hearth device add NAME --key PUBLIC_KEY`. */
  publicKey: string;
  /** The 32-byte secret seed; keep it on the device. */
  secretKey: string;
}

type Sha512 = NonNullable<(typeof ed.hashes)['sha512']>;

/** Base64 (standard alphabet, padded) without Buffer, so this runs in browsers too. */
function b64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Decodes base64 or base64url, padded or not; throws on anything else. */
function unb64(s: string): Uint8Array {
  const std = s.trim().replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std.padEnd(Math.ceil(std.length / 4) * 4, '='));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Gives @noble/ed25519 its synchronous SHA-512 (pure JS, so no node:crypto and no WebCrypto, which needs a secure context). */
function ensureSha512(): void {
  ed.hashes.sha512 ??= sha512 as unknown as Sha512;
}

/**
 * Generates a device key pair.
 * @example
 * const { publicKey, secretKey } = await generateDeviceKey();
 * // enrol: hearth device add kitchen --profile hearth --key <publicKey>
 */
export async function generateDeviceKey(): Promise<DeviceKey> {
  ensureSha512();
  const { secretKey, publicKey } = ed.keygen();
  return { publicKey: b64(publicKey), secretKey: b64(secretKey) };
}

/**
 * Seals payloads for one device: a counter that only grows, and an ed25519 signature per envelope.
 * @example
 * const s: Sealer = createSealer('kitchen', key.secretKey); await s.seal(bytes); s.counter();
 */
export interface Sealer {
  /** Wraps `payload` in a signed envelope with the next counter. */
  seal(payload: Uint8Array): Promise<Uint8Array>;
  /** The counter the last envelope carried. */
  counter(): number;
}

/**
 * Creates a sealer. The counter starts at `start` (default: the clock in microseconds, so it keeps growing
 * across restarts without being stored) and goes up by one per envelope.
 * @example
 * const sealer = createSealer('kitchen', key.secretKey);
 * const bytes = await sealer.seal(cborPayload); // publish bytes instead of cborPayload
 */
export function createSealer(device: string, secretKeyB64: string, start = Date.now() * 1000): Sealer {
  let secret: Uint8Array;
  try { secret = unb64(secretKeyB64); } catch { secret = new Uint8Array(0); }
  if (secret.length !== 32) throw new Error('secretKey must be a base64 32-byte ed25519 seed');
  let last = Math.max(0, Math.floor(start) - 1);
  return {
    async seal(payload) {
      if (last >= MAX_COUNTER) throw new RangeError('envelope counter exhausted');
      const c = ++last;
      const msg = signingBytes(device, c, payload);
      ensureSha512();
      const s = ed.sign(msg, secret);
      return encodeEnvelope({ p: payload, d: device, c, s });
    },
    counter: () => last,
  };
}
