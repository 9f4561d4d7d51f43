/** Benchmark: PUT .../send with 16 concurrent senders into one room, /sync wake-up latency, and RSS after 10,000 events. */
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { api, cpuMs, machineLine, median, percentile, rssMb, startBenchHub, type BenchHub } from './support.js';
import { leanConnect, type LeanConnection } from './lean-http.js';

const SENDERS = 16;

/** Each sender is one keep-alive connection sending its next event when the last is answered (a client's send queue). */
async function sendBurst(hub: BenchHub, conns: LeanConnection[], roomId: string, perSender: number, tag: string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(hub.users.slice(0, SENDERS).map(async (u, i) => {
    for (let n = 0; n < perSender; n++) {
      const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${tag}-${i}-${n}`;
      const r = await conns[i]!.request('PUT', path, u.token, JSON.stringify({ msgtype: 'm.text', body: `reading ${n} from ${i}` }));
      if (r.status !== 200 || !JSON.parse(r.body).event_id) throw new Error(`send failed: ${r.status} ${r.body}`);
    }
  }));
  return (SENDERS * perSender) / ((performance.now() - t0) / 1000);
}

/** A client long-polls /sync; one sender sends every `intervalMs`; latency = event seen by the poller minus send start. */
async function syncLatency(hub: BenchHub, roomId: string, count: number, intervalMs: number): Promise<number[]> {
  const [sender, watcher] = [hub.users[0]!, hub.users[1]!];
  let since = (await api(hub, watcher, 'GET', '/sync?timeout=0')).next_batch as string;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const s = await api(hub, watcher, 'GET', `/sync?timeout=5000&since=${since}`);
      const now = performance.now();
      since = s.next_batch;
      for (const e of s.rooms?.join?.[roomId]?.timeline?.events ?? []) {
        const t = sentAt.get(e.content?.body);
        if (t !== undefined) latencies.push(now - t);
      }
      if (latencies.length >= count) done = true;
    }
  })();
  for (let i = 0; i < count; i++) {
    const body = `lat-${i}`;
    sentAt.set(body, performance.now());
    void api(hub, sender, 'PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/lat-${i}`, { msgtype: 'm.text', body });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  await Promise.race([poller, new Promise((r) => setTimeout(r, 10_000))]);
  done = true;
  return latencies;
}

export async function main(): Promise<Record<string, number>> {
  const hub = await startBenchHub(SENDERS);
  try {
    const owner = hub.users[0]!;
    const { room_id: roomId } = await api(hub, owner, 'POST', '/createRoom', { preset: 'public_chat' });
    for (const u of hub.users.slice(1)) await api(hub, u, 'POST', `/join/${encodeURIComponent(roomId)}`, {});
    const conns = await Promise.all(hub.users.slice(0, SENDERS).map(() => leanConnect(hub.url)));
    const rates: number[] = [];
    const cpu: number[] = [];
    const clientCpu: number[] = [];
    for (let run = 0; run < (process.env.HEARTH_BENCH_QUICK ? 0 : 3); run++) {
      const c0 = cpuMs(hub.child.pid!);
      const own = process.cpuUsage();
      rates.push(await sendBurst(hub, conns, roomId, 210, `r${run}`));
      cpu.push(((cpuMs(hub.child.pid!) - c0) * 1000) / (SENDERS * 210));
      const mine = process.cpuUsage(own);
      clientCpu.push((mine.user + mine.system) / (SENDERS * 210));
    }
    for (const c of conns) c.close();
    const lat = await syncLatency(hub, roomId, 200, 10);
    // ~10,000 events are in the room by now (3 × 16 × 210 + 200).
    await new Promise((r) => setTimeout(r, 500));
    const rss = rssMb(hub.child.pid!);
    if (process.env.HEARTH_BENCH_MEMDUMP) { hub.child.kill('SIGUSR2'); await new Promise((r) => setTimeout(r, 300)); }
    if (process.env.HEARTH_BENCH_DEBUG) console.log("latencies (ms, in order):", lat.map((x) => x.toFixed(0)).join(" "));
    const out = { sendPerSec: median(rates), hubCpuUsPerEvent: cpu.length ? median(cpu) : 0, syncP50Ms: percentile(lat, 50), syncP99Ms: percentile(lat, 99), rssAfter10kMb: rss };
    console.log(machineLine());
    console.log(`PUT /send, ${SENDERS} concurrent senders, one room (median of 3 runs of ${SENDERS * 210}): ${out.sendPerSec.toFixed(0)} events/s   (target >= 3000)`);
    console.log(`  CPU per event (median): hub ${out.hubCpuUsPerEvent.toFixed(0)} µs (all its threads), this load generator ${clientCpu.length ? median(clientCpu).toFixed(0) : 0} µs, on ${availableParallelism()} cores`);
    console.log(`/sync long-poll woken after a send (${lat.length} sends at 100/s): p50 ${out.syncP50Ms.toFixed(1)} ms, p99 ${out.syncP99Ms.toFixed(1)} ms   (target p99 < 25 ms)`);
    console.log(`RSS after ~10,000 events: ${rss.toFixed(1)} MB   (target <= 100 MB)`);
    return out;
  } finally {
    await hub.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
