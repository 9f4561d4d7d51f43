/** Opens a device's signed CBOR envelope `{p, d, c, s}`: ed25519 over CBOR [d, c, p] (node:crypto), device and counter checks. Pure. */
import { createPublicKey, verify } from 'node:crypto';
import { Decoder } from 'cbor-x';
import { MAX_COUNTER, signingBytes } from '../devices/envelope.js';

/**
 * Why an envelope was refused.
 * @example
 * if (!r.ok && r.reason === EnvelopeRefusal.REPLAYED_COUNTER) log.warn('replay');
 */
export const EnvelopeRefusal = {
  NOT_AN_ENVELOPE: 'not-an-envelope',
  WRONG_DEVICE: 'wrong-device',
  REPLAYED_COUNTER: 'replayed-counter',
  BAD_SIGNATURE: 'bad-signature',
  BAD_KEY: 'bad-key',
} as const;
export type EnvelopeRefusal = (typeof EnvelopeRefusal)[keyof typeof EnvelopeRefusal];

/**
 * The outcome of {@link openEnvelope}.
 * @example
 * // { ok: true, payload, counter: 42 } or { ok: false, reason: 'bad-signature' }
 */
export type OpenedEnvelope = { ok: true; payload: Uint8Array; counter: number } | { ok: false; reason: EnvelopeRefusal };

/**
 * What the envelope is checked against.
 * @example
 * const o: OpenEnvelopeOptions = { device: 'kitchen', publicKeyB64, lastCounter: 0 };
 */
export interface OpenEnvelopeOptions {
  /** The enrolled device's name; the envelope's `d` must equal it. */
  device: string;
  /** The device's ed25519 public key, base64 (32 bytes), as stored by `hearth device add --key`. */
  publicKeyB64: string;
  /** The highest counter accepted so far from this device; `c` must be greater. */
  lastCounter: number;
}

/** DER prefix of an ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const bytesOf = (x: unknown): Uint8Array | undefined => (x instanceof Uint8Array ? x : undefined);

/**
 * Checks an envelope and returns its payload. Steps: decode the CBOR map; `d` is the device; `c` is greater
 * than `lastCounter`; `s` verifies over CBOR `[d, c, p]` with the device's key.
 * @example
 * const r = openEnvelope(msg.payload, { device: 'kitchen', publicKeyB64: record.publicKey, lastCounter: 41 });
 * if (r.ok) handle(r.payload); // and remember r.counter as the new lastCounter once committed
 */
export function openEnvelope(bytes: Uint8Array, opts: OpenEnvelopeOptions): OpenedEnvelope {
  const refuse = (reason: EnvelopeRefusal): OpenedEnvelope => ({ ok: false, reason });
  let env: unknown;
  try {
    env = new Decoder({ useRecords: false, mapsAsObjects: true }).decode(bytes);
  } catch {
    return refuse(EnvelopeRefusal.NOT_AN_ENVELOPE);
  }
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return refuse(EnvelopeRefusal.NOT_AN_ENVELOPE);
  const { p, d, c, s } = env as Record<string, unknown>;
  const payload = bytesOf(p);
  const sig = bytesOf(s);
  const counter = typeof c === 'bigint' && c <= BigInt(MAX_COUNTER) ? Number(c) : c;
  if (!payload || !sig || typeof d !== 'string' || typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < 0) {
    return refuse(EnvelopeRefusal.NOT_AN_ENVELOPE);
  }
  if (d !== opts.device) return refuse(EnvelopeRefusal.WRONG_DEVICE);
  if (counter <= opts.lastCounter) return refuse(EnvelopeRefusal.REPLAYED_COUNTER);
  const raw = Buffer.from(opts.publicKeyB64, 'base64');
  if (raw.length !== 32) return refuse(EnvelopeRefusal.BAD_KEY);
  let ok: boolean;
  try {
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    ok = sig.length === 64 && verify(null, signingBytes(d, counter, payload), key, sig);
  } catch {
    return refuse(EnvelopeRefusal.BAD_KEY);
  }
  if (!ok) return refuse(EnvelopeRefusal.BAD_SIGNATURE);
  return { ok: true, payload: new Uint8Array(payload), counter };
}
