/** Acknowledgement latency for the simulator: percentiles of the last interval and of the whole run (a bounded reservoir). */

/**
 * Percentile `p` (0–100) of `xs` by nearest rank; NaN when empty.
 * @example
 * percentile([5, 1, 3], 50) // 3
 */
export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/**
 * Latency samples in ms.
 * @example
 * const l = createLatencyRecorder(); l.record(2.5); l.interval(); // [2.5]; l.total(50) // 2.5
 */
export interface LatencyRecorder {
  record(ms: number): void;
  /** The samples since the last call (for a progress line), then starts a new interval. */
  interval(): number[];
  /** Percentile `p` over the whole run (exact up to `capacity` samples, then a uniform sample of them). */
  total(p: number): number;
}

/**
 * Keeps every sample up to `capacity`, then a uniform reservoir of that size (Vitter's algorithm R), so memory stays bounded.
 * @example
 * const l = createLatencyRecorder(100_000, Math.random);
 */
export function createLatencyRecorder(capacity = 100_000, random: () => number = Math.random): LatencyRecorder {
  const reservoir: number[] = [];
  let seen = 0;
  let current: number[] = [];
  return {
    record(ms) {
      current.push(ms);
      seen++;
      if (reservoir.length < capacity) reservoir.push(ms);
      else {
        const j = Math.floor(random() * seen);
        if (j < capacity) reservoir[j] = ms;
      }
    },
    interval() {
      const out = current;
      current = [];
      return out;
    },
    total: (p) => percentile(reservoir, p),
  };
}
