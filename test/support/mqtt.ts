/** Test support for the gateway: free ports, mosquitto_pub/mosquitto_sub processes and a throwaway Mosquitto broker. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ProcResult { code: number | null; stdout: string; stderr: string }

/** Runs `mosquitto_pub` with `-h 127.0.0.1 -p PORT` and ARGS to completion (never rejects). */
export function mosquittoPub(port: number, args: string[], timeoutMs = 10_000): Promise<ProcResult> {
  return new Promise((resolve) => {
    execFile('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

export interface SubProcess { lines: string[]; stderr(): string; exited: Promise<number | null>; next(pred?: (l: string) => boolean, ms?: number): Promise<string>; stop(): Promise<void> }

/** Starts `mosquitto_sub -v` (topic and payload per line); `next` resolves with the next line matching `pred`. */
export function mosquittoSub(port: number, args: string[]): SubProcess {
  // stdbuf: line-buffered stdout, so debug lines (-d: "received SUBACK") arrive as they happen.
  const child: ChildProcess = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-h', '127.0.0.1', '-p', String(port), '-v', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let err = '';
  let buf = '';
  child.stderr!.on('data', (c) => (err += c));
  child.stdout!.on('data', (c) => {
    buf += c;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => { for (const w of waiters.splice(0)) w(); r(code); }));
  let seen = 0;
  return {
    lines, exited, stderr: () => err,
    next(pred = () => true, ms = 8000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`mosquitto_sub saw nothing matching within ${ms} ms; lines: ${lines.join(' | ')}; stderr: ${err}`)), ms);
        const check = () => {
          while (seen < lines.length) {
            const l = lines[seen++]!;
            if (pred(l)) { clearTimeout(timer); resolve(l); return; }
          }
          if (child.exitCode !== null) { clearTimeout(timer); reject(new Error(`mosquitto_sub exited ${child.exitCode}: ${err}`)); return; }
          waiters.push(check);
        };
        check();
      });
    },
    async stop() { if (child.exitCode === null) { child.kill('SIGTERM'); await exited; } },
  };
}

export interface Mosquitto { port: number; stop(): Promise<void> }

/** Starts a real Mosquitto on a free loopback port with a generated config (anonymous, no persistence). */
export async function startMosquitto(dir: string): Promise<Mosquitto> {
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\n`);
  const child = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  for (let i = 0; i < 100; i++) {
    if ((await mosquittoPub(port, ['-t', 'hearth/probe', '-m', 'x'], 1000)).code === 0) return { port, stop: async () => { child.kill('SIGTERM'); await exited; } };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`mosquitto did not start: ${err}`);
}
