/** Observations (RFC 7641): registrations keyed by (client endpoint, token), confirmable notifications that wait for their ACK, large ones sent block-wise. */
import type { ObserveWriteStream } from 'coap';
import type { Logger } from '../log.js';
import { BLOCK_SIZE, BLOCK_SZX, createBodyMemory, encodeBlock, sliceBlock } from './blocks.js';
import { CoapCode, CoapOption, type ContentFormat } from './codes.js';
import type { CoapExchange } from './exchange.js';

export interface ObservationsOptions {
  log: Logger;
  /** Registrations held at once, overall and per client endpoint. */
  maxObservers: number;
  maxPerEndpoint: number;
  /** A confirmable notification not acknowledged within this time ends its registration (MAX_TRANSMIT_WAIT). */
  ackTimeoutMs: number;
  /** Bytes of large notifications kept for the client's follow-up block requests. */
  blockMemoryBytes: number;
}

export interface Observer {
  readonly key: string;
  readonly endpoint: string;
  /**
   * Sends a notification: the first rides on the registration's ACK, later ones are confirmable and resolve
   * once acknowledged; false when the client reset it, never acknowledged it, or the registration is gone.
   */
  notify(payload: Buffer, format: ContentFormat, code?: CoapCode): Promise<boolean>;
  /** Called once when the registration ends (deregistered, RST, unacknowledged, replaced, shut down). */
  onClose(fn: () => void): void;
  closed(): boolean;
  close(): void;
}

export type Registration = { kind: 'new'; observer: Observer } | { kind: 'duplicate' } | { kind: 'full' };

export function createObservations(opts: ObservationsOptions) {
  const observers = new Map<string, Observer & { messageId: number }>();
  const pending = new Map<string, (acked: boolean) => void>();
  const memory = createBodyMemory(opts.blockMemoryBytes);
  let nextId = Math.floor(Math.random() * 0x10000);
  const keyOf = (endpoint: string, token: Buffer) => `${endpoint}/${token.toString('hex')}`;
  const memoryKey = (endpoint: string, resource: string) => `${endpoint} ${resource}`;

  function register(ex: CoapExchange, resource: string): Registration {
    const key = keyOf(ex.endpoint, ex.token);
    const prior = observers.get(key);
    // The same CON again (our first notification was slow): the registration in progress answers it.
    if (prior && prior.messageId === ex.messageId) return { kind: 'duplicate' };
    // RFC 7641 §4.1: the same endpoint and token replace the entry instead of adding one.
    prior?.close();
    const mine = [...observers.values()].filter((o) => o.endpoint === ex.endpoint).length;
    if (observers.size >= opts.maxObservers || mine >= opts.maxPerEndpoint) return { kind: 'full' };
    const stream = ex.res as ObserveWriteStream;
    const closers: Array<() => void> = [];
    let first = true;
    let isClosed = false;
    const close = () => {
      if (isClosed) return;
      isClosed = true;
      if (observers.get(key) === observer) observers.delete(key);
      if (!stream.writableEnded) stream.end();
      for (const fn of closers.splice(0)) fn();
    };
    stream.once('finish', close);
    stream.once('error', close);
    const observer = {
      key, endpoint: ex.endpoint, messageId: ex.messageId,
      async notify(payload: Buffer, format: ContentFormat, code: CoapCode = CoapCode.CONTENT): Promise<boolean> {
        if (isClosed) return false;
        const packet = stream._packet;
        packet.options = (packet.options ?? []).filter((o) => o.name !== CoapOption.BLOCK2 && o.name !== CoapOption.SIZE2);
        let body = payload;
        if (payload.length > BLOCK_SIZE) {
          // RFC 7959 §2.6: the notification carries block 0; the client GETs the rest, served from memory.
          // Observe value this write will carry (node-coap counts up on each write).
          memory.remember(memoryKey(ex.endpoint, resource), { body: payload, format, observe: (stream._counter + 1) % 16777215 });
          body = payload.subarray(0, BLOCK_SIZE);
          stream.setOption('Block2', encodeBlock({ num: 0, more: true, szx: BLOCK_SZX }));
          stream.setOption('Size2', payload.length);
        }
        stream.statusCode = code;
        stream.setOption('Content-Format', format);
        if (first) {
          first = false;
          stream.write(body);
          return true;
        }
        // MSC3079: every pushed update is confirmable, whatever the registration was.
        packet.confirmable = true;
        packet.ack = false;
        nextId = (nextId + 1) & 0xffff;
        packet.messageId = nextId;
        const ackKey = `${ex.endpoint}#${nextId}`;
        const acked = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => settleKey(ackKey, false), opts.ackTimeoutMs);
          pending.set(ackKey, (ok) => { clearTimeout(timer); resolve(ok); });
          closers.push(() => settleKey(ackKey, false));
        });
        stream.write(body);
        const ok = await acked;
        if (!ok) close();
        return ok && !isClosed;
      },
      onClose(fn: () => void) { if (isClosed) fn(); else closers.push(fn); },
      closed: () => isClosed,
      close,
    };
    observers.set(key, observer);
    return { kind: 'new', observer };
  }

  function settleKey(ackKey: string, acked: boolean): void {
    const fn = pending.get(ackKey);
    if (!fn) return;
    pending.delete(ackKey);
    fn(acked);
  }

  return {
    register,
    /** Observe: 1 (or a plain GET after it) from the same endpoint and token ends the registration. */
    deregister(endpoint: string, token: Buffer): void {
      observers.get(keyOf(endpoint, token))?.close();
    },
    /** An ACK (or RST) for a notification came in. */
    settle(endpoint: string, messageId: number, reset: boolean): void {
      settleKey(`${endpoint}#${messageId}`, !reset);
    },
    /**
     * A GET for block n ≥ 1 of a notification that was sent block-wise: answered from memory (true), so the
     * blocks match what was pushed. False when nothing is remembered (the caller answers afresh).
     */
    serveBlock(ex: CoapExchange, resource: string): boolean {
      if (!ex.block2 || ex.block2.num === 0 || ex.method !== 'GET') return false;
      const entry = memory.recall(memoryKey(ex.endpoint, resource));
      if (!entry) return false;
      if (ex.observe !== 0) {
        ex.reply(CoapCode.CONTENT, entry.body, entry.format as ContentFormat); // node-coap slices per the Block2 asked for
        return true;
      }
      const slice = sliceBlock(entry.body, ex.block2.num, Math.min(ex.block2.szx, BLOCK_SZX));
      if (!slice) { ex.reply(CoapCode.BAD_OPTION); return true; }
      ex.res.setOption('Block2', slice.option);
      // node-coap's client asks for the blocks with Observe still set and drops answers whose Observe value is
      // not newer than the last it saw: the blocks carry the notification's own value.
      (ex.res as ObserveWriteStream)._counter = entry.observe - 1;
      ex.reply(CoapCode.CONTENT, slice.payload, entry.format as ContentFormat);
      return true;
    },
    size: () => observers.size,
    closeAll(): void {
      for (const o of [...observers.values()]) o.close();
    },
  };
}

export type Observations = ReturnType<typeof createObservations>;
