/** Benchmark: MQTT QoS 1 publish → committed signed room event (beside bare aedes), publish → /sync p99 at 500/s, RSS with 100 devices. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { adminRequest } from '../src/cli/admin-socket.js';
import { HEARTH_BIN, api, machineLine, median, percentile, rssMb, startBenchHub, type BenchHub, type BenchUser } from './support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Creds = { name: string; token: string; room: string };

/** A bare aedes (no hooks, memory persistence) in its own process, as the comparison for the gateway's throughput. */
async function startBareAedes(): Promise<{ port: number; child: ChildProcess }> {
  const src = `import { Aedes } from 'aedes'; import net from 'node:net';
const b = await Aedes.createBroker(); const s = net.createServer(b.handle).listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', src], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => { let buf = ''; child.stdout!.on('data', (c) => { buf += c; const m = /PORT (\d+)/.exec(buf); if (m) resolve(Number(m[1])); }); });
  return { port, child };
}

export async function connectAll(port: number, creds: Array<{ name: string; token: string }>): Promise<MqttClient[]> {
  return Promise.all(creds.map((c) => mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: c.name, password: c.token, reconnectPeriod: 0, clientId: `bench-${c.name}` })));
}

/** Every client publishes `perClient` QoS 1 messages at once; resolves to acknowledged messages per second. */
export async function qos1Burst(clients: MqttClient[], names: string[], perClient: number, tag: string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(clients.map((c, i) => Promise.all(Array.from({ length: perClient }, (_, n) =>
    c.publishAsync(`hearth/${names[i]}/reading`, JSON.stringify({ id: `${tag}-${n}`, n, t: 20 }), { qos: 1 })))));
  return (clients.length * perClient) / ((performance.now() - t0) / 1000);
}

export async function addDevices(hub: BenchHub, prefix: string, count: number): Promise<Creds[]> {
  const out: Creds[] = [];
  for (let i = 0; i < count; i++) {
    const res = await adminRequest(hub.dir, { command: 'device.add', args: { name: `${prefix}${i}`, profile: 'hearth' } });
    if (!res?.ok) throw new Error(`device add failed: ${JSON.stringify(res)}`);
    const r = res.result as { device: string; token: string; room_id: string };
    out.push({ name: r.device, token: r.token, room: r.room_id });
  }
  return out;
}

/** An admin made with `hearth user add` (invited to every device room), logged in. */
export async function adminUser(hub: BenchHub): Promise<BenchUser> {
  const child = spawn(process.execPath, [HEARTH_BIN, 'user', 'add', 'admin', '--admin', '--password', 'bench-admin-pw', '--data-dir', hub.dir], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  const login = await fetch(`${hub.url}/_matrix/client/v3/login`, { method: 'POST', body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'admin' }, password: 'bench-admin-pw' }) });
  const j = await login.json() as { access_token: string; user_id: string };
  return { userId: j.user_id, token: j.access_token };
}

/**
 * A device in its own process (as devices are) publishing QoS 1 readings at `rate`/s, each carrying the wall-clock
 * time (high resolution) it was handed to the MQTT client; it prints DONE when all are acknowledged.
 */
function startPublisher(port: number, dev: Creds, rate: number, total: number): ChildProcess {
  const src = `import mqtt from 'mqtt';
const [port, name, token, rate, total] = process.argv.slice(1);
const now = () => performance.timeOrigin + performance.now();
const c = await mqtt.connectAsync('mqtt://127.0.0.1:' + port, { username: name, password: token, reconnectPeriod: 0, clientId: 'bench-' + name });
const t0 = performance.now(); const pending = [];
for (let seq = 0; seq < Number(total); seq++) {
  const due = t0 + (seq * 1000) / Number(rate);
  if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
  pending.push(c.publishAsync('hearth/' + name + '/reading', JSON.stringify({ id: 'lat-' + seq, seq, sent: now() }), { qos: 1 }));
}
await Promise.all(pending); await c.endAsync(); console.log('DONE');`;
  return spawn(process.execPath, ['--input-type=module', '-e', src, String(port), dev.name, dev.token, String(rate), String(total)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** A device process publishes at `rate`/s; this process long-polls /sync; latency = seen in /sync − handed to the device's MQTT client. */
async function syncLatency(hub: BenchHub, admin: BenchUser, port: number, dev: Creds, rate: number, seconds: number): Promise<number[]> {
  await api(hub, admin, 'POST', `/join/${encodeURIComponent(dev.room)}`, {});
  let since = (await api(hub, admin, 'GET', '/sync?timeout=0')).next_batch as string;
  const latencies: number[] = [];
  const trace: number[][] = [];
  const total = rate * seconds;
  let done = false;
  const poller = (async () => {
    while (!done) {
      const s = await api(hub, admin, 'GET', `/sync?timeout=5000&since=${since}`);
      const now = performance.timeOrigin + performance.now();
      since = s.next_batch;
      for (const e of s.rooms?.join?.[dev.room]?.timeline?.events ?? []) {
        const sent = Number(e.content?.['org.hearth.reading']?.values?.sent);
        if (Number.isFinite(sent)) latencies.push(now - sent);
        if (process.env.HEARTH_BENCH_DEBUG && Number.isFinite(sent)) trace.push([now - sent, e.origin_server_ts - sent, s.rooms.join[dev.room].timeline.events.length]);
      }
      if (latencies.length >= total) done = true;
    }
  })();
  const publisher = startPublisher(port, dev, rate, total);
  await Promise.race([poller, sleep(seconds * 1000 + 10_000)]);
  if (process.env.HEARTH_BENCH_DEBUG) {
    const col = (i: number) => trace.map((t) => t[i]!);
    for (const [name, i] of [['seen', 0], ['sent->origin_server_ts', 1], ['events per sync', 2]] as const) console.log(`  ${name}: p50 ${percentile(col(i), 50).toFixed(1)} p90 ${percentile(col(i), 90).toFixed(1)} p99 ${percentile(col(i), 99).toFixed(1)} max ${Math.max(...col(i)).toFixed(1)}`);
  }
  done = true;
  await new Promise((r) => { if (publisher.exitCode !== null) r(null); else publisher.once('exit', r); });
  return latencies;
}

/** 100 devices at 10 messages/s each and 5 long-polling clients for `seconds`; resolves to the hub's peak RSS. */
export async function loadedRss(hub: BenchHub, admin: BenchUser, port: number, devs: Creds[], seconds: number): Promise<{ peak: number; perSec: number; publishedPerSec: number }> {
  for (const d of devs) await api(hub, admin, 'POST', `/join/${encodeURIComponent(d.room)}`, {});
  const clients = await connectAll(port, devs);
  let done = false;
  let acked = 0;
  let published = 0;
  const syncers = Array.from({ length: Number(process.env.HEARTH_BENCH_SYNCERS ?? 5) }, async () => {
    let since = (await api(hub, admin, 'GET', '/sync?timeout=0&filter={"room":{"timeline":{"limit":1}}}')).next_batch as string;
    while (!done) since = (await api(hub, admin, 'GET', `/sync?timeout=5000&since=${since}`)).next_batch;
  });
  const timers = clients.map((c, i) => setInterval(() => {
    published++;
    c.publish(`hearth/${devs[i]!.name}/reading`, JSON.stringify({ temperature: 20 + (i % 5), humidity: 40 }), { qos: 1 }, (err) => { if (!err) acked++; });
  }, 100));
  let peak = 0;
  const series: number[] = [];
  for (let s = 0; s < seconds; s++) { await sleep(1000); const r = rssMb(hub.child.pid!); series.push(r); peak = Math.max(peak, r); }
  // Counted at the end of the window: acknowledgements still owed then are a backlog, not throughput.
  const ackedInWindow = acked, publishedInWindow = published;
  if (process.env.HEARTH_BENCH_DEBUG) console.log(`  RSS each second (MB): ${series.map((r) => r.toFixed(0)).join(' ')}`);
  done = true;
  for (const t of timers) clearInterval(t);
  await Promise.all(clients.map((c) => c.endAsync()));
  await Promise.race([Promise.all(syncers), sleep(6000)]);
  return { peak, perSec: ackedInWindow / seconds, publishedPerSec: publishedInWindow / seconds };
}

export async function main(): Promise<Record<string, number>> {
  const bare = await startBareAedes();
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const hub = await startBenchHub(0, [...(process.env.HEARTH_BENCH_HUB_ARGS?.split(' ').filter(Boolean) ?? []), '--mqtt-port', String(port), '--mqtt-ws-port', '0', '--device-rate-limit', '1000000', '--device-rate-burst', '1000000']);
  try {
    await sleep(2000);
    const idleRss = rssMb(hub.child.pid!);
    const CLIENTS = 10, PER = 1000;
    const devs = await addDevices(hub, 'burst', CLIENTS);
    const names = devs.map((d) => d.name);
    const hubClients = await connectAll(port, devs);
    const bareClients = await connectAll(bare.port, devs);
    const hubRates: number[] = [], bareRates: number[] = [];
    for (let run = 0; run < (process.env.HEARTH_BENCH_QUICK ? 0 : 3); run++) {
      bareRates.push(await qos1Burst(bareClients, names, PER, `r${run}`));
      hubRates.push(await qos1Burst(hubClients, names, PER, `r${run}`));
    }
    await Promise.all([...hubClients, ...bareClients].map((c) => c.endAsync()));
    const admin = await adminUser(hub);
    const [latDev] = await addDevices(hub, 'lat', 1);
    const lat = await syncLatency(hub, admin, port, latDev!, 500, 4);
    const loadDevs = await addDevices(hub, 'dev', 100);
    const loaded = process.env.HEARTH_BENCH_QUICK ? { peak: 0, perSec: 0, publishedPerSec: 0 } : await loadedRss(hub, admin, port, loadDevs, 20);
    const out = {
      hubQos1PerSec: median(hubRates), bareAedesQos1PerSec: median(bareRates), syncP50Ms: percentile(lat, 50), syncP99Ms: percentile(lat, 99),
      idleRssMb: idleRss, loadedPeakRssMb: loaded.peak, loadedAckedPerSec: loaded.perSec,
    };
    console.log(machineLine());
    console.log(`idle RSS with client, MQTT and MQTT-over-WebSocket listeners: ${idleRss.toFixed(1)} MB   (target <= 60 MB)`);
    console.log(`QoS 1 publish -> committed signed room event, ${CLIENTS} devices x ${PER} pipelined (median of 3): ${out.hubQos1PerSec.toFixed(0)} events/s   (target >= 5000)`);
    console.log(`bare aedes QoS 1 (no hooks, same load, same run): ${out.bareAedesQos1PerSec.toFixed(0)} msgs/s`);
    console.log(`MQTT publish -> long-polling /sync at 500 events/s (${lat.length} events): p50 ${out.syncP50Ms.toFixed(1)} ms, p99 ${out.syncP99Ms.toFixed(1)} ms   (target p99 < 25 ms)`);
    console.log(`100 devices at 10 msg/s + 5 syncing clients for 20 s: peak RSS ${loaded.peak.toFixed(1)} MB, ${loaded.perSec.toFixed(0)} of ${loaded.publishedPerSec.toFixed(0)} published/s acknowledged within the window   (target <= 120 MB)`);
    return out;
  } finally {
    if (process.env.HEARTH_BENCH_DEBUG) writeFileSync('/tmp/hearth-bench-hub.log', hub.output());
    bare.child.kill('SIGTERM');
    await hub.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
