/** Device identity: ed25519 keys with @noble/ed25519 (pure JS), and sealing payloads into signed envelopes. */
import * as ed from '@noble/ed25519';
import { encodeEnvelope, MAX_COUNTER, signingBytes } from './envelope.js';

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

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/**
 * Gives @noble/ed25519 a synchronous SHA-512: @noble/hashes when installed, else node:crypto (Node only).
 * Returns false when neither is available (then the async, WebCrypto-based functions are used).
 */
async function ensureSha512(): Promise<boolean> {
  if (ed.hashes.sha512) return true;
  try {
    const spec = '@noble/hashes/sha2.js';
    const mod = (await import(spec)) as { sha512: (m: Uint8Array) => Uint8Array };
    ed.hashes.sha512 = mod.sha512 as unknown as Sha512;
    return true;
  } catch { /* not installed */ }
  if (typeof process !== 'undefined' && process.versions?.node) {
    const { createHash } = await import('node:crypto');
    ed.hashes.sha512 = ((m: Uint8Array) => new Uint8Array(createHash('sha512').update(m).digest())) as unknown as Sha512;
    return true;
  }
  return false;
}

/**
 * Generates a device key pair.
 * @example
 * const { publicKey, secretKey } = await generateDeviceKey();
 * // enrol: hearth device add kitchen --profile hearth --key <publicKey>
 */
export async function generateDeviceKey(): Promise<DeviceKey> {
  await ensureSha512();
  const { secretKey, publicKey } = await ed.keygenAsync();
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
  const secret = unb64(secretKeyB64);
  if (secret.length !== 32) throw new Error('secretKey must be a base64 32-byte ed25519 seed');
  let last = Math.max(0, Math.floor(start) - 1);
  return {
    async seal(payload) {
      if (last >= MAX_COUNTER) throw new RangeError('envelope counter exhausted');
      const c = ++last;
      const msg = signingBytes(device, c, payload);
      const s = (await ensureSha512()) ? ed.sign(msg, secret) : await ed.signAsync(msg, secret);
      return encodeEnvelope({ p: payload, d: device, c, s });
    },
    counter: () => last,
  };
}
