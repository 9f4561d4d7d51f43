/** Test support: runs the real `hearth` command (from source, via tsx) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function hearthArgs(args: string[]): string[] {
  return ['--import', 'tsx', MAIN, ...args];
}

/** Runs `hearth ARGS` to completion. */
export function runHearth(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, hearthArgs(args), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`hearth ${args.join(' ')} timed out`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

export interface RunningHub { child: ChildProcess; lines: string[]; clientUrl: string; stderr(): string; stop(signal?: NodeJS.Signals): Promise<number | null> }

/** Starts `hearth start ARGS` and resolves once it printed its client API line. */
export function startHearth(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningHub> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, hearthArgs(['start', ...args]), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let err = '';
    let buf = '';
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`hub did not start: ${err}`)); }, 20_000);
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        const m = /^client API on (\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({
            child, lines, clientUrl: m[1]!.replace('0.0.0.0', '127.0.0.1'), stderr: () => err,
            stop: (signal = 'SIGTERM') => { child.kill(signal); return exited; },
          });
        }
      }
    });
    exited.then((code) => { clearTimeout(timer); reject(new Error(`hub exited with ${code}: ${err}`)); });
  });
}
