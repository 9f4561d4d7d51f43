/** The simulator behind `hearth-device simulate`: N devices of one profile publishing at a paced rate, with progress and latency. */
import type { Device } from './device.js';
import { createLatencyRecorder, percentile } from './latency.js';

/**
 * The simulated device kinds.
 * @example
 * SIM_PROFILES.includes('switch') // true
 */
export type SimProfile = 'temperature' | 'switch' | 'motion';
/** @example SIM_PROFILES // ['temperature', 'switch', 'motion'] */
export const SIM_PROFILES: readonly SimProfile[] = ['temperature', 'switch', 'motion'];

/**
 * The next reading of a simulated device; `n` is its message number, `random` in [0, 1).
 * @example
 * simReading('temperature', 0, () => 0.5) // { temperature: 21, humidity: 45 }
 */
export function simReading(profile: SimProfile, n: number, random: () => number): Record<string, unknown> {
  switch (profile) {
    case 'temperature': return { temperature: Math.round((19 + random() * 4) * 10) / 10, humidity: Math.round(40 + random() * 10) };
    case 'switch': return { power: n % 2 === 0 ? 'on' : 'off' };
    case 'motion': return { motion: random() < 0.3 };
  }
}

/**
 * Counters the progress line shows.
 * @example
 * // { sent: 6, acked: 6, failed: 0, commands: 0 }
 */
export interface SimStats { sent: number; acked: number; failed: number; commands: number }

/**
 * What the simulator reports at the end: the counters, how long it ran, the sustained acknowledged rate and the
 * acknowledgement latency (reading() called → hub acknowledged) over the whole run, in ms.
 * @example
 * // { sent: 20000, acked: 20000, failed: 0, commands: 0, seconds: 20.1, ratePerSec: 995.0, ackP50Ms: 1.9, ackP99Ms: 7.4 }
 */
export interface SimSummary extends SimStats { seconds: number; ratePerSec: number; ackP50Ms: number; ackP99Ms: number }

/**
 * One progress report, about once a second: counters, acknowledgements per second in the last interval (in the
 * final report: over the whole run), and that interval's latency percentiles (NaN when nothing was acknowledged).
 * @example
 * // { stats, elapsedMs: 5003, ackRate: 1000, ackP50Ms: 2.1, ackP99Ms: 8.8 }
 */
export interface SimProgress { stats: SimStats; elapsedMs: number; ackRate: number; ackP50Ms: number; ackP99Ms: number }

/**
 * What to simulate.
 * @example
 * const o: SimulateOptions = { devices, profile: 'motion', rate: 2, messages: 10 };
 */
export interface SimulateOptions {
  devices: Device[];
  profile: SimProfile;
  /** Readings per second, per device. */
  rate: number;
  /** Stop after this many readings per device. */
  messages?: number;
  /** Stop sending after this many ms (then wait for the acknowledgements). */
  durationMs?: number;
  signal?: AbortSignal;
  /** Called about once a second, and once at the end. */
  progress?: (p: SimProgress) => void;
  random?: () => number;
  now?: () => number;
}

/**
 * Runs the simulation; resolves when every device sent `messages` readings, `durationMs` passed or `signal` aborted,
 * and what was sent was acknowledged (or failed). Sends are paced against the clock, so a slow acknowledgement does not
 * lower the offered rate. Switches answer `power on|off` commands.
 * @example
 * const summary = await simulate({ devices, profile: 'temperature', rate: 10, durationMs: 20_000 });
 */
export async function simulate(o: SimulateOptions): Promise<SimSummary> {
  const stats: SimStats = { sent: 0, acked: 0, failed: 0, commands: 0 };
  const random = o.random ?? Math.random;
  const now = o.now ?? (() => performance.now());
  const latency = createLatencyRecorder();
  const interval = 1000 / o.rate;
  const started = now();
  const stopAt = o.durationMs !== undefined ? started + o.durationMs : Infinity;
  let last = { t: started, acked: 0 };
  /** A progress report; the last one (a partial second) gives the rate over the whole run instead. */
  const report = (final = false) => {
    const t = now();
    const window = latency.interval();
    const since = final ? { t: started, acked: 0 } : last;
    const ackRate = t > since.t ? ((stats.acked - since.acked) * 1000) / (t - since.t) : 0;
    last = { t, acked: stats.acked };
    o.progress?.({ stats: { ...stats }, elapsedMs: t - started, ackRate, ackP50Ms: percentile(window, 50), ackP99Ms: percentile(window, 99) });
  };
  const ticker = setInterval(() => report(), 1000);
  for (const d of o.devices) {
    d.onCommand((c) => {
      stats.commands++;
      if (o.profile !== 'switch') throw new Error(`a simulated ${o.profile} sensor takes no commands`);
      return { power: String(c.args[0] ?? 'toggle') };
    });
  }
  const runs = o.devices.map(async (d, i) => {
    const inflight: Promise<void>[] = [];
    // Spread devices over the interval so they do not all publish at once; then due times on a fixed grid.
    const first = started + (interval * i) / o.devices.length;
    for (let n = 0; o.messages === undefined || n < o.messages; n++) {
      const due = first + n * interval;
      if (due >= stopAt) break;
      await sleep(due - now(), o.signal);
      if (o.signal?.aborted) break;
      stats.sent++;
      const t0 = now();
      inflight.push(d.reading(simReading(o.profile, n, random)).then(
        () => { stats.acked++; latency.record(now() - t0); },
        () => { stats.failed++; },
      ));
    }
    await Promise.all(inflight);
  });
  try {
    await Promise.all(runs);
  } finally {
    clearInterval(ticker);
    report(true);
  }
  const seconds = (now() - started) / 1000;
  const round = (x: number, digits: number) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);
  return {
    ...stats, seconds: round(seconds, 2), ratePerSec: round(seconds > 0 ? stats.acked / seconds : 0, 1),
    ackP50Ms: round(latency.total(50), 2), ackP99Ms: round(latency.total(99), 2),
  };
}

/** Waits `ms` or until `signal` aborts; the abort listener goes away with the timer (a long run adds one per reading). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) { resolve(); return; }
    const onAbort = () => { clearTimeout(t); resolve(); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
