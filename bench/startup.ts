/** Benchmark: start-up-to-serving time and idle RSS of `hearth start` with every listener up, beside a bare node:http server. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HUB_NODE_FLAGS } from './support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEARTH = join(ROOT, 'dist/src/cli/main.js');
const BARE = `require('node:http').createServer((q, r) => r.end('{}')).listen(0, '127.0.0.1', function () { console.log('client API on http://127.0.0.1:' + this.address().port); });`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Spawns a server, measures ms until it answers GET /_matrix/client/versions, then its RSS after `idleMs`. */
async function measure(args: string[], idleMs: number): Promise<{ startMs: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (c) => {
        buf += c;
        const m = /client API on (\S+)/.exec(buf);
        if (m) resolve(m[1]!.replace('0.0.0.0', '127.0.0.1'));
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    for (;;) {
      const ok = await fetch(`${url}/_matrix/client/versions`).then((r) => r.ok, () => false);
      if (ok) break;
    }
    const startMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, idleMs));
    return { startMs, rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function main(runs = 5, idleMs = 2000): Promise<Record<string, number>> {
  if (!existsSync(HEARTH)) throw new Error('dist/ is missing: run npm install (or npm run build) first');
  const hearthStart: number[] = [], hearthRss: number[] = [], bareStart: number[] = [], bareRss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
    try {
      // Every listener up, on loopback and free ports.
      const h = await measure([...HUB_NODE_FLAGS, HEARTH, 'start', '--data-dir', dir, '--bind', '127.0.0.1', '--client-port', '0', '--federation-port', '0', '--mqtt-port', '0', '--coap-port', '0', '--log-level', 'warn'], idleMs);
      const b = await measure(['-e', BARE], idleMs);
      hearthStart.push(h.startMs); hearthRss.push(h.rssMb); bareStart.push(b.startMs); bareRss.push(b.rssMb);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const out = {
    hearthStartMs: median(hearthStart), hearthIdleRssMb: median(hearthRss),
    bareStartMs: median(bareStart), bareIdleRssMb: median(bareRss),
  };
  console.log(`start-up to serving (median of ${runs}): hearth ${out.hearthStartMs.toFixed(0)} ms | bare node:http ${out.bareStartMs.toFixed(0)} ms   (target < 1000 ms)`);
  console.log(`idle RSS, every listener up (median of ${runs}): hearth ${out.hearthIdleRssMb.toFixed(1)} MB | bare node:http ${out.bareIdleRssMb.toFixed(1)} MB   (target <= 60 MB)`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
