/** Deduplication of device messages: the transaction id each decoded item is sent with, so retries commit once. */
import { createHash } from 'node:crypto';

/** One MQTT message as it reached the gateway (embedded broker or external client). */
export interface InboundMessage {
  /** The enrolled connection it arrived on (its registry name). */
  device: string;
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  /** The MQTT packet identifier (QoS 1 and 2). */
  packetId?: number;
  /** DUP flag: the sender is retrying a message it may have sent before. */
  dup: boolean;
  /** A retained message replayed on subscribe (external broker), not a new publish. */
  replay: boolean;
  /** The retain flag as published. */
  retain: boolean;
  receivedTs: number;
}

export interface DedupeOptions {
  /** Width of the time window for messages without a device message id (ms). */
  windowMs: number;
  /** Most remembered recent keys (for retries that straddle a window boundary). */
  maxRecent: number;
}

export const DEFAULT_DEDUPE: DedupeOptions = { windowMs: 60_000, maxRecent: 4096 };

/** What the send step needs: the txn id, and for a retry the earlier txn id to look up first. */
export interface TxnPlan {
  txnId: string;
  /** When set: if this txn already produced an event, the item is a duplicate and is skipped. */
  alsoCheck?: string;
}

/**
 * Plans transaction ids:
 * - a device message id (profile `messageId`) gives `i:<id>`: exact, and kept for good;
 * - else QoS 0 needs none (it is never retried);
 * - else `w:<hash(topic, payload, packet id)>:<window>`: a retry within the same window returns the first event;
 *   a retry (DUP) in the next window is checked against the previous window's id too.
 */
export function createDedupe(opts: Partial<DedupeOptions> = {}) {
  const o = { ...DEFAULT_DEDUPE, ...opts };
  const recent = new Map<string, { txnId: string; ts: number }>();

  return {
    plan(msg: InboundMessage, index: number, messageId: string | undefined): TxnPlan | undefined {
      if (messageId !== undefined) return { txnId: `i:${messageId}${index ? `:${index}` : ''}` };
      if (msg.qos === 0) return undefined;
      const key = createHash('sha256').update(msg.topic).update('\0').update(msg.payload).update(`\0${msg.packetId ?? ''}\0${index}`).digest('base64url').slice(0, 22);
      const seen = recent.get(key);
      if (seen && msg.receivedTs - seen.ts <= o.windowMs) return { txnId: seen.txnId };
      const bucket = Math.floor(msg.receivedTs / o.windowMs);
      const txnId = `w:${key}:${bucket}`;
      recent.delete(key);
      recent.set(key, { txnId, ts: msg.receivedTs });
      if (recent.size > o.maxRecent) recent.delete(recent.keys().next().value!);
      return msg.dup ? { txnId, alsoCheck: `w:${key}:${bucket - 1}` } : { txnId };
    },
  };
}

export type Dedupe = ReturnType<typeof createDedupe>;
