/** Benchmark: `hearth-device simulate` (the built CLI, its own process) with 100 devices at 10 readings/s for 20 s against a hub: sustained rate, ack latency, hub RSS. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminRequest } from '../src/cli/admin-socket.js';
import { rssMb, startBenchHub } from './support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEVICE_BIN = join(ROOT, 'dist/devices/cli.js');
const DEVICES = 100, RATE = 10, SECONDS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function main(): Promise<Record<string, number>> {
  // The hub's default per-device limits (20/s, burst 100): the simulator must fit within them.
  const hub = await startBenchHub(0, ['--mqtt-port', '0']);
  try {
    for (let i = 0; i < 100 && !/MQTT on (\S+)/.test(hub.output()); i++) await sleep(50);
    const mqttUrl = /MQTT on (\S+)/.exec(hub.output())![1]!.replace('0.0.0.0', '127.0.0.1');
    const lines: string[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const res = await adminRequest(hub.dir, { command: 'device.add', args: { name: `sim${i}`, profile: 'hearth' } });
      if (!res?.ok) throw new Error(`device add failed: ${JSON.stringify(res)}`);
      lines.push(JSON.stringify(res.result));
    }
    const tokenFile = join(hub.dir, 'tokens.jsonl');
    writeFileSync(tokenFile, `${lines.join('\n')}\n`);
    const child = spawn(process.execPath, [DEVICE_BIN, 'simulate', '--profile', 'temperature', '--count', String(DEVICES), '--rate', String(RATE),
      '--duration', String(SECONDS), '--url', mqttUrl, '--token-file', tokenFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    let peakRss = 0;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssMb(hub.child.pid!)); }, 1000);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    clearInterval(sampler);
    const progress = err.trim().split('\n');
    if (code !== 0) throw new Error(`hearth-device simulate exited with ${code}: ${progress.slice(-5).join('\n')}`);
    const s = JSON.parse(out.trim().split('\n').at(-1)!) as { sent: number; acked: number; failed: number; seconds: number; ratePerSec: number; ackP50Ms: number; ackP99Ms: number };
    console.log(progress.filter((l) => /^(5|10|15|20) s:/.test(l)).join('\n'));
    console.log(`${DEVICES} devices x ${RATE} readings/s for ${SECONDS} s (hearth-device simulate over MQTT, QoS 1): ${s.acked}/${s.sent} acknowledged, ${s.failed} failed, `
      + `${s.ratePerSec.toFixed(0)} acked/s sustained (offered ${DEVICES * RATE}/s), ack latency median ${s.ackP50Ms.toFixed(1)} ms, p99 ${s.ackP99Ms.toFixed(1)} ms; hub peak RSS ${peakRss.toFixed(1)} MB`);
    return { ackedPerSec: s.ratePerSec, ackP50Ms: s.ackP50Ms, ackP99Ms: s.ackP99Ms, failed: s.failed, hubPeakRssMb: peakRss };
  } finally {
    await hub.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
