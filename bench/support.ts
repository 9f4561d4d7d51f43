/** Benchmark support: a real `hearth start` child process (built dist) on a seeded data dir, and small statistics helpers. */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { openStore } from '../src/storage/index.js';
import { hashToken } from '../src/http/auth.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The hub under test: this checkout's build, or HEARTH_BENCH_HUB (another build's main.js, for side-by-side runs). */
export const HEARTH_BIN = process.env.HEARTH_BENCH_HUB ?? join(ROOT, 'dist/src/cli/main.js');
/** The V8 flags `npm start` and the `hearth` command run with (a small young generation, and an old generation grown by 30% rather than doubled, keep RSS down on a Pi). */
export const HUB_NODE_FLAGS = (process.env.HEARTH_BENCH_FLAGS ?? '--max-semi-space-size=2 --heap-growing-percent=30').split(' ');

/** The median, or NaN for no values (a phase skipped with HEARTH_BENCH_QUICK prints NaN, not a crash). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
export const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** utime + stime (ms) from a /proc `stat` file, in clock ticks of 1/100 s. */
const statCpuMs = (path: string) => {
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

/** CPU time (user + system, ms) a process has used so far, all its threads together. */
export const cpuMs = (pid: number) => statCpuMs(`/proc/${pid}/stat`);

/** CPU time (user + system, ms) of each thread of a process now, by thread id (the main thread's is the pid). */
export function threadsCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try { out.set(Number(tid), statCpuMs(`/proc/${pid}/task/${tid}/stat`)); } catch { /* the thread ended meanwhile */ }
  }
  return out;
}

/** DESIGN.md's figures come from a machine that signs 23,294 ed25519 messages/s on one core with node:crypto. */
export const DESIGN_SIGNS_PER_SEC = 23_294;

/**
 * This machine's ed25519 signs/s on one core (node:crypto, median of three 0.2 s rounds), so numbers can be read
 * against the DESIGN.md machine the targets were set on.
 */
export function machineSignRate(): number {
  const { privateKey } = generateKeyPairSync('ed25519');
  const msg = Buffer.alloc(400, 7);
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 200) { sign(null, msg, privateKey); n++; }
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

/** One line: this machine's speed against the DESIGN.md machine's. */
export function machineLine(): string {
  const rate = machineSignRate();
  return `machine: ${rate.toFixed(0)} ed25519 signs/s on one core (the DESIGN.md machine: ${DESIGN_SIGNS_PER_SEC}; ratio ${(rate / DESIGN_SIGNS_PER_SEC).toFixed(2)})`;
}

export interface BenchUser { userId: string; token: string }
export interface BenchHub {
  url: string; child: ChildProcess; users: BenchUser[]; stop(): Promise<void>;
  /** The data dir (for `hearth device add --data-dir`), and everything the hub printed so far. */
  dir: string; output(): string;
}

/** Seeds `userCount` users with tokens into a fresh data dir, then starts the hub on it. */
export async function startBenchHub(userCount: number, extraArgs: string[] = []): Promise<BenchHub> {
  if (!existsSync(HEARTH_BIN)) throw new Error('dist/ is missing: run npm install (or npm run build) first');
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  const store = await openStore({ dataDir: dir });
  const users: BenchUser[] = [];
  for (let i = 0; i < userCount; i++) {
    const userId = `@u${i}:localhost`;
    await store.accounts.createUser({ localpart: `u${i}`, userId, passwordHash: null, admin: false, createdTs: Date.now() });
    await store.devices.upsertDevice(userId, 'BENCH');
    const token = randomBytes(24).toString('base64url');
    await store.devices.createAccessToken({ tokenHash: hashToken(token), userId, deviceId: 'BENCH' });
    users.push({ userId, token });
  }
  await store.close();
  const child = spawn(process.execPath, [...HUB_NODE_FLAGS, ...(process.env.HEARTH_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), HEARTH_BIN, 'start', '--data-dir', dir, '--bind', '127.0.0.1', '--client-port', '0',
    '--federation-port', 'off', '--mqtt-port', 'off', '--coap-port', 'off', '--log-level', 'warn', '--rate-limit', 'off', ...extraArgs],
  // The environment `npm start` gives the hub (a value set for the bench wins, as it does for npm start).
  { stdio: ['ignore', 'pipe', 'inherit'], env: { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536', ...process.env } });
  let buf = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c) => { buf += c; const m = /client API on (\S+)/.exec(buf); if (m) resolve(m[1]!); });
    child.on('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
  return {
    url, child, users, dir, output: () => buf,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Keep-alive connections, so the load generator costs the machine as little as a real client would. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** A JSON call with a bearer token, over node:http (cheaper than fetch, so the hub is what is measured). */
export function api(hub: BenchHub, user: BenchUser, method: string, path: string, body?: unknown): Promise<any> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${hub.url}/_matrix/client/v3${path}`, {
      method, agent, headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json', ...(payload ? { 'Content-Length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString() || '{}');
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(json)}`));
        else resolve(json);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
