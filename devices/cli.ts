#!/usr/bin/env node
/** The `hearth-device` command: send a reading or event, listen for commands, or simulate many devices. */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectDevice } from './connect.js';
import type { ConnectOptions, Device } from './device.js';
import { SIM_PROFILES, simulate, type SimProfile } from './simulate.js';

/**
 * The help text.
 * @example
 * console.log(USAGE);
 */
export const USAGE = `Usage:
  hearth-device send --url URL --device NAME --token T [--key SECRET] [--json] [--event TYPE] '{"temperature":21.5}'
      send one reading (or, with --event, one event of TYPE); exits once the hub acknowledged it
  hearth-device listen --url URL --device NAME --token T [--key SECRET] [--json]
      print every command as a JSON line and answer it {"ok":true}
  hearth-device simulate --profile temperature|switch|motion [--count N] [--rate R] [--messages M] [--duration S]
                         --url URL (--token-file FILE | --tokens NAME:TOKEN,...)
      run N devices (default: one per token) publishing R readings/s each, for M readings or S seconds (default:
      until Ctrl-C); a progress line a second (acknowledged rate, ack latency p50/p99), then a summary and its JSON
URL: mqtt://HOST:1883, mqtts://…, ws://HOST:PORT/mqtt or coap://HOST:5683. --token-file holds the JSON lines
that 'hearth device add' prints ({"device","token",…}, one per line) or a JSON array of them.`;

interface Io { out(line: string): void; err(line: string): void }

/**
 * Device credentials for `simulate`: from a token file (JSON lines or a JSON array) or `--tokens NAME:TOKEN,…`.
 * @example
 * parseTokens(undefined, 'a:t1,b:t2') // [{ device: 'a', token: 't1' }, { device: 'b', token: 't2' }]
 */
export function parseTokens(fileText: string | undefined, list: string | undefined): Array<{ device: string; token: string }> {
  if (list) {
    return list.split(',').filter(Boolean).map((pair) => {
      const i = pair.indexOf(':');
      if (i <= 0) throw new Error(`--tokens entry ${pair} is not NAME:TOKEN`);
      return { device: pair.slice(0, i), token: pair.slice(i + 1) };
    });
  }
  if (fileText === undefined) throw new Error('simulate needs --token-file or --tokens');
  const t = fileText.trim();
  const rows = (t.startsWith('[') ? JSON.parse(t) : t.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))) as Array<Record<string, unknown>>;
  return rows.map((r) => {
    if (typeof r.device !== 'string' || typeof r.token !== 'string') throw new Error('each token entry needs "device" and "token"');
    return { device: r.device, token: r.token };
  });
}

/**
 * Runs `hearth-device` with ARGV; resolves with the exit code.
 * @example
 * await runDeviceCli(['send', '--url', 'mqtt://127.0.0.1:1883', '--device', 'k', '--token', t, '{"t":1}'], console_io);
 */
export async function runDeviceCli(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      url: { type: 'string' }, device: { type: 'string' }, token: { type: 'string' }, key: { type: 'string' },
      json: { type: 'boolean' }, event: { type: 'string' }, profile: { type: 'string' }, count: { type: 'string' },
      rate: { type: 'string' }, messages: { type: 'string' }, duration: { type: 'string' }, 'token-file': { type: 'string' }, tokens: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const [cmd, ...rest] = positionals;
  if (v.help || !cmd) { io.out(USAGE); return cmd || v.help ? 0 : 2; }
  if (!v.url) throw new Error('--url is required');
  const base = { url: v.url, encoding: v.json ? 'json' : 'cbor', ...(v.key ? { key: v.key } : {}) } as const;
  const single = (): ConnectOptions => {
    if (!v.device || !v.token) throw new Error('--device and --token are required');
    return { ...base, device: v.device, token: v.token };
  };
  if (cmd === 'send') {
    const body = JSON.parse(rest[0] ?? '{}') as Record<string, unknown>;
    const dev = await connectDevice(single());
    try {
      if (v.event) await dev.send(v.event, body); else await dev.reading(body);
      io.out('acknowledged');
    } finally { await dev.close(); }
    return 0;
  }
  if (cmd === 'listen') {
    const dev = await connectDevice(single());
    dev.onCommand((c) => { io.out(JSON.stringify(c)); return undefined; });
    await new Promise<void>((r) => (signal ? signal.addEventListener('abort', () => r(), { once: true }) : undefined));
    await dev.close();
    return 0;
  }
  if (cmd === 'simulate') {
    const profile = (v.profile ?? 'temperature') as SimProfile;
    if (!SIM_PROFILES.includes(profile)) throw new Error(`--profile must be one of ${SIM_PROFILES.join(', ')}`);
    const creds = parseTokens(v['token-file'] ? readFileSync(v['token-file'], 'utf8') : undefined, v.tokens);
    const count = v.count ? Number(v.count) : creds.length;
    if (!(count > 0) || count > creds.length) throw new Error(`--count ${count} needs that many tokens (have ${creds.length})`);
    const rate = v.rate ? Number(v.rate) : 1;
    if (!(rate > 0)) throw new Error('--rate must be a positive number of readings per second');
    const duration = v.duration ? Number(v.duration) : undefined;
    if (duration !== undefined && !(duration > 0)) throw new Error('--duration must be a positive number of seconds');
    const devices: Device[] = [];
    for (const c of creds.slice(0, count)) devices.push(await connectDevice({ ...base, ...c }));
    // Connected (and the hub answering) before the clock starts: each device's status is acknowledged first.
    await Promise.all(devices.map((d) => d.setStatus('online')));
    const summary = await simulate({
      devices, profile, rate, ...(v.messages ? { messages: Number(v.messages) } : {}), ...(duration ? { durationMs: duration * 1000 } : {}),
      ...(signal ? { signal } : {}),
      progress: (p) => io.err(`${(p.elapsedMs / 1000).toFixed(0)} s: sent ${p.stats.sent}, acknowledged ${p.stats.acked} (${Math.round(p.ackRate)}/s), `
        + `failed ${p.stats.failed}, commands ${p.stats.commands}, ack p50 ${ms(p.ackP50Ms)} p99 ${ms(p.ackP99Ms)}`),
    });
    await Promise.all(devices.map((d) => d.close()));
    io.err(`summary: ${count} devices at ${rate}/s for ${summary.seconds} s: acknowledged ${summary.acked} of ${summary.sent} `
      + `(${summary.ratePerSec}/s sustained), failed ${summary.failed}, ack latency p50 ${ms(summary.ackP50Ms)}, p99 ${ms(summary.ackP99Ms)}`);
    io.out(JSON.stringify(summary));
    return summary.failed === 0 ? 0 : 1;
  }
  io.err(`unknown command ${cmd}\n${USAGE}`);
  return 2;
}

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '-');

function isMain(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch { return false; }
}

if (isMain()) {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  runDeviceCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }, ac.signal).then(
    (code) => process.exit(code),
    (err: unknown) => { console.error(`hearth-device: ${err instanceof Error ? err.message : String(err)}`); process.exit(1); },
  );
}
