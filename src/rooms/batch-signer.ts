/**
 * Signs the writer's event groups. A group's events go to the background thread in chunks while the writer is
 * still preparing the rest, so signing overlaps preparation (and the writer's next group: see room-service.ts).
 * Small groups on an idle hub are signed inline (a thread start costs more than a few signatures).
 */
import type { EventSigner } from '../events/event-signing.js';
import type { BackgroundThread } from '../background/background-thread.js';

export interface BatchSignerOptions {
  /** Groups smaller than this start the thread; once it runs, any group of four or more uses it. */
  minThreaded?: number;
  /** Off: always sign inline (tests, or a single-core machine). */
  threaded?: boolean;
}

/**
 * Signing of one group: `add` each event's bytes as it is prepared, then `done` for the signatures in order.
 * `done(true)` signs the part not yet handed to the thread inline, at once (when the caller would only wait).
 */
export interface GroupSigning {
  add(bytes: Uint8Array): void;
  done(inlineRest?: boolean): Promise<string[]>;
}

export interface BatchSigner {
  /** Starts signing a group of about `size` events. */
  begin(size: number): GroupSigning;
  /** Signs a list at once (same result as begin/add/done). */
  sign(items: readonly Uint8Array[]): Promise<string[]>;
}

export function createBatchSigner(signer: EventSigner, seed: Uint8Array, thread: BackgroundThread, opts: BatchSignerOptions = {}): BatchSigner {
  const minThreaded = opts.minThreaded ?? 8;
  const inline = (items: readonly Uint8Array[]) => items.map((b) => signer.signBytes(b));
  // While the thread runs a WAL checkpoint, a chunk sent to it would wait out the checkpoint's fsyncs, and one signed
  // inline would hold the event loop for a millisecond or more (8% of a QoS 1 burst's events came here): libuv's
  // pool signs it instead, at about a sixth of the event loop's time for each signature.
  const onPool = (items: readonly Uint8Array[]) => Promise.all(items.map((b) => signer.signBytesAsync(b)));

  function begin(size: number): GroupSigning {
    // A thread round trip (a wake-up on each side) costs about as much as two or three signatures: tiny groups,
    // the usual case at a steady trickle of device readings, are quicker signed here.
    const threaded = opts.threaded !== false && (size >= minThreaded || (size >= 4 && thread.running()));
    // About four chunks a group: the thread starts on the first while the writer prepares the next.
    const chunk = Math.max(2, Math.ceil(size / 4));
    const parts: Array<{ items: Uint8Array[]; signed: Promise<string[]> | string[] }> = [];
    let pending: Uint8Array[] = [];
    return {
      add(bytes) {
        pending.push(bytes);
        if (threaded && pending.length >= chunk) {
          const items = pending;
          pending = [];
          parts.push({ items, signed: thread.checkpointing() ? onPool(items) : thread.sign(seed, items) });
        }
      },
      async done(inlineRest = false) {
        const route = !threaded || inlineRest ? inline : thread.checkpointing() ? onPool : (items: Uint8Array[]) => thread.sign(seed, items);
        if (pending.length) parts.push({ items: pending, signed: route(pending) });
        pending = [];
        const out: string[] = [];
        for (const p of parts) {
          // A thread that failed (or stopped) costs speed, never the group: sign its chunk inline instead.
          const sigs = await Promise.resolve(p.signed).catch(() => inline(p.items));
          out.push(...sigs);
        }
        return out;
      },
    };
  }

  return {
    begin,
    sign(items) {
      const g = begin(items.length);
      for (const b of items) g.add(b);
      return g.done();
    },
  };
}
