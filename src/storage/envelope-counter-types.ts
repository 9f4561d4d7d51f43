/** The storage contract of signed-envelope counters: the highest counter the gateway accepted per device key (replay protection across restarts). */

/**
 * The highest envelope counter accepted from a device while it was enrolled with `publicKey`.
 * @example
 * const c: EnvelopeCounter = { device: 'kitchen', publicKey: 'base64…', counter: 1_764_000_000_000_000 };
 */
export interface EnvelopeCounter {
  device: string;
  /** The device's ed25519 public key (base64) the counter belongs to; a new key starts afresh. */
  publicKey: string;
  counter: number;
}

/** One row per signed device: the counter only grows for the same key, and is replaced when the key changes. */
export interface EnvelopeCounterStore {
  /** Every device's row, ordered by device name. */
  list(): Promise<EnvelopeCounter[]>;
  /**
   * Records an accepted counter, durably before it resolves: the stored counter becomes the larger of the two
   * when `publicKey` is the stored key, and `counter` (with the new key) when the key differs or no row exists.
   */
  advance(device: string, publicKey: string, counter: number): Promise<void>;
}
