/** The simulator behind `hearth-device simulate`: N devices of one profile publishing at a rate, with a progress line. */
import type { Device } from './device.js';

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
 * What to simulate.
 * @example
 * const o: SimulateOptions = { devices, profile: 'motion', rate: 2, messages: 10 };
 */
export interface SimulateOptions {
  devices: Device[];
  profile: SimProfile;
  /** Readings per second, per device. */
  rate: number;
  /** Stop after this many readings per device (default: until `signal` aborts). */
  messages?: number;
  signal?: AbortSignal;
  /** Called about once a second with the counters and the acknowledged rate. */
  progress?: (stats: SimStats, ackRate: number) => void;
  random?: () => number;
}

/**
 * Runs the simulation; resolves when every device sent `messages` readings (and they were acknowledged) or
 * `signal` aborted. Switches answer `power on|off` commands.
 * @example
 * const stats = await simulate({ devices, profile: 'temperature', rate: 1, messages: 10 });
 */
export async function simulate(o: SimulateOptions): Promise<SimStats> {
  const stats: SimStats = { sent: 0, acked: 0, failed: 0, commands: 0 };
  const random = o.random ?? Math.random;
  const interval = 1000 / o.rate;
  let lastAcked = 0;
  const ticker = setInterval(() => { o.progress?.(stats, stats.acked - lastAcked); lastAcked = stats.acked; }, 1000);
  for (const d of o.devices) {
    d.onCommand((c) => {
      stats.commands++;
      if (o.profile !== 'switch') throw new Error(`a simulated ${o.profile} sensor takes no commands`);
      const want = String(c.args[0] ?? 'toggle');
      return { power: want };
    });
  }
  const runs = o.devices.map(async (d, i) => {
    const inflight: Promise<void>[] = [];
    // Spread devices over the interval so they do not all publish at once.
    await sleep((interval * i) / o.devices.length, o.signal);
    for (let n = 0; o.messages === undefined || n < o.messages; n++) {
      if (o.signal?.aborted) break;
      stats.sent++;
      inflight.push(d.reading(simReading(o.profile, n, random)).then(() => { stats.acked++; }, () => { stats.failed++; }));
      await sleep(interval, o.signal);
    }
    await Promise.all(inflight);
  });
  try {
    await Promise.all(runs);
  } finally {
    clearInterval(ticker);
    o.progress?.(stats, stats.acked - lastAcked);
  }
  return stats;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
