/**
 * Benchmark: MQTT QoS 1 publish → committed, signed room event, alone and repeated (median of 5 bursts), with the
 * CPU each event costs the hub (all threads; its main thread, its background thread and the rest) and the load
 * generator. The main thread's cost per event is the steadiest number to compare two builds by on a noisy machine.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { addDevices, connectAll, qos1Burst } from './gateway.js';
import { cpuMs, machineLine, median, startBenchHub, threadsCpuMs } from './support.js';

const DEVICES = 10, PER = 1000, RUNS = Number(process.env.HEARTH_BENCH_RUNS ?? 5);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function main(): Promise<Record<string, number>> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const hub = await startBenchHub(0, [...(process.env.HEARTH_BENCH_HUB_ARGS?.split(' ').filter(Boolean) ?? []), '--mqtt-port', String(port), '--mqtt-ws-port', 'off', '--device-rate-limit', '1000000', '--device-rate-burst', '1000000']);
  try {
    await sleep(1500);
    const pid = hub.child.pid!;
    const devs = await addDevices(hub, 'burst', DEVICES);
    const clients = await connectAll(port, devs);
    const names = devs.map((d) => d.name);
    const rates: number[] = [], hubUs: number[] = [], mainUs: number[] = [], otherUs: number[] = [], restUs: number[] = [], genUs: number[] = [];
    // One warm-up burst (JIT), not counted.
    for (let run = -1; run < RUNS; run++) {
      const c0 = cpuMs(pid), t0 = threadsCpuMs(pid), g0 = process.cpuUsage();
      const rate = await qos1Burst(clients, names, PER, `q${run}`);
      const events = DEVICES * PER, g = process.cpuUsage(g0);
      if (run >= 0) {
        rates.push(rate);
        hubUs.push(((cpuMs(pid) - c0) * 1000) / events);
        // Per thread: the main thread, the busiest other (the background thread: signing, checkpoints) and the rest
        // (V8's GC helpers, libuv's pool) together.
        const used = [...threadsCpuMs(pid)].map(([tid, ms]) => [tid, ((ms - (t0.get(tid) ?? 0)) * 1000) / events] as const);
        const main = used.find(([tid]) => tid === pid)?.[1] ?? 0;
        const others = used.filter(([tid]) => tid !== pid).map(([, us]) => us).sort((a, b) => b - a);
        mainUs.push(main);
        otherUs.push(others[0] ?? 0);
        restUs.push(others.slice(1).reduce((a, b) => a + b, 0));
        genUs.push((g.user + g.system) / events);
      }
      await sleep(300);
    }
    await Promise.all(clients.map((c) => c.endAsync()));
    const out = { qos1PerSec: median(rates), hubUsPerEvent: median(hubUs), mainUsPerEvent: median(mainUs), busiestOtherThreadUsPerEvent: median(otherUs), restUsPerEvent: median(restUs), generatorUsPerEvent: median(genUs) };
    console.log(machineLine());
    console.log(`QoS 1 publish -> committed signed room event, ${DEVICES} devices x ${PER} pipelined (median of ${RUNS}): ${out.qos1PerSec.toFixed(0)} events/s   (target >= 5000)`);
    console.log(`  each run: ${rates.map((r) => r.toFixed(0)).join(', ')} events/s`);
    console.log(`  CPU per event (median): hub ${out.hubUsPerEvent.toFixed(0)} µs (all threads), its main thread ${out.mainUsPerEvent.toFixed(0)} µs, this load generator ${out.generatorUsPerEvent.toFixed(0)} µs, on ${availableParallelism()} cores`);
    console.log(`  the hub's other threads: the busiest (background: signing, WAL checkpoints) ${out.busiestOtherThreadUsPerEvent.toFixed(0)} µs, the rest (GC helpers, libuv) ${out.restUsPerEvent.toFixed(0)} µs`);
    return out;
  } finally {
    await hub.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
