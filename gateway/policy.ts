/** Gateway policy hooks: per-device token-bucket rate limit, payload size limit, and counting of dropped messages. */
import type { DropReason } from './codes.js';

export interface PolicyOptions {
  /** Messages per second a device may sustain. */
  perSecond: number;
  /** Messages a device may send in a burst. */
  burst: number;
  /** Largest payload in bytes. */
  maxPayloadBytes: number;
  /** After this many drops of one device within `dropWindowMs`, its room gets a status event. */
  dropsBeforeReport: number;
  dropWindowMs: number;
}

export const DEFAULT_POLICY: PolicyOptions = { perSecond: 20, burst: 100, maxPayloadBytes: 64 * 1024, dropsBeforeReport: 5, dropWindowMs: 60_000 };

/** The hooks the pipeline consults; each is replaceable (tests, other deployments). */
export interface PolicyHooks {
  /** Takes one token from the device's bucket; false when it is empty. */
  admit(device: string): boolean;
  /** Whether a payload of this size is accepted. */
  sizeOk(bytes: number): boolean;
  /** Records a drop; resolves to the drop count to report when the device just crossed the threshold, else undefined. */
  dropped(device: string, reason: DropReason): { count: number; reasons: Partial<Record<DropReason, number>> } | undefined;
  /** Forgets a device (removed or disconnected for good). */
  forget(device: string): void;
}

interface Bucket { tokens: number; at: number }
interface Drops { since: number; count: number; reported: boolean; reasons: Partial<Record<DropReason, number>> }

export function createPolicy(opts: Partial<PolicyOptions>, now: () => number): PolicyHooks {
  const o = { ...DEFAULT_POLICY, ...opts };
  const buckets = new Map<string, Bucket>();
  const drops = new Map<string, Drops>();
  return {
    admit(device) {
      const t = now();
      const b = buckets.get(device) ?? { tokens: o.burst, at: t };
      b.tokens = Math.min(o.burst, b.tokens + ((t - b.at) / 1000) * o.perSecond);
      b.at = t;
      buckets.set(device, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    sizeOk: (bytes) => bytes <= o.maxPayloadBytes,
    dropped(device, reason) {
      const t = now();
      let d = drops.get(device);
      if (!d || t - d.since > o.dropWindowMs) drops.set(device, (d = { since: t, count: 0, reported: false, reasons: {} }));
      d.count++;
      d.reasons[reason] = (d.reasons[reason] ?? 0) + 1;
      if (d.count < o.dropsBeforeReport || d.reported) return undefined;
      d.reported = true;
      return { count: d.count, reasons: { ...d.reasons } };
    },
    forget(device) {
      buckets.delete(device);
      drops.delete(device);
    },
  };
}
