/** Replay protection for signed devices: the highest accepted envelope counter per device key, in memory and persisted before the acknowledgement. */
import type { EnvelopeCounter, EnvelopeCounterStore } from '../src/storage/envelope-counter-types.js';

/**
 * What the pipeline asks about counters.
 * @example
 * const r = openEnvelope(bytes, { device, publicKeyB64, lastCounter: counters.last(device, publicKeyB64) });
 * if (r.ok) { await commit(r.payload); await counters.accept(device, publicKeyB64, r.counter); } // then acknowledge
 */
export interface EnvelopeCounters {
  /** The highest counter accepted from `device` under `publicKey`; 0 when none (or only under another key). */
  last(device: string, publicKey: string): number;
  /** Records an accepted counter; resolves once it is durable (then the message may be acknowledged). */
  accept(device: string, publicKey: string, counter: number): Promise<void>;
}

/**
 * Loads every stored counter, then keeps them in memory; `store` undefined keeps them in memory only.
 * @example
 * const counters = await loadEnvelopeCounters(services.store.envelopeCounters);
 */
export async function loadEnvelopeCounters(store?: Pick<EnvelopeCounterStore, 'list' | 'advance'>): Promise<EnvelopeCounters> {
  const rows: EnvelopeCounter[] = store ? await store.list() : [];
  const highest = new Map<string, { publicKey: string; counter: number }>(rows.map((r) => [r.device, { publicKey: r.publicKey, counter: r.counter }]));
  return {
    last(device, publicKey) {
      const h = highest.get(device);
      return h && h.publicKey === publicKey ? h.counter : 0;
    },
    async accept(device, publicKey, counter) {
      // Durable first: if the write fails, nothing is acknowledged and memory still allows the device's retry.
      await store?.advance(device, publicKey, counter);
      const h = highest.get(device);
      if (!h || h.publicKey !== publicKey || counter > h.counter) highest.set(device, { publicKey, counter });
    },
  };
}
