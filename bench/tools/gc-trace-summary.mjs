/**
 * Sums a hub's --trace-gc-nvp output: scavenges and mark-compacts, their pauses, and bytes allocated, surviving and
 * promoted per event. Usage: node bench/tools/gc-trace-summary.mjs LOG EVENTS [FROM_MS=0]
 * (HEARTH_BENCH_NODE_ARGS=--trace-gc-nvp HEARTH_BENCH_DEBUG=1 npm run bench -- gateway writes /tmp/hearth-bench-hub.log).
 */
import { readFileSync } from 'node:fs';

const [file, eventsArg, fromArg] = process.argv.slice(2);
if (!file || !eventsArg) { console.error('usage: gc-trace-summary.mjs LOG EVENTS [FROM_MS]'); process.exit(2); }
const events = Number(eventsArg), from = Number(fromArg ?? 0);
const field = (line, key) => Number(new RegExp(`\\b${key}=([\\d.]+)`).exec(line)?.[1] ?? 0);
const t = { s: 0, sPause: 0, mc: 0, mcPause: 0, allocated: 0, survived: 0, promoted: 0 };
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const at = Number(/(\d+) ms: pause/.exec(line)?.[1] ?? -1);
  if (at < from) continue;
  if (/ gc=s /.test(line)) {
    t.s++; t.sPause += field(line, 'pause');
    t.allocated += field(line, 'allocated'); t.survived += field(line, 'new_space_survived'); t.promoted += field(line, 'promoted');
  } else if (/ gc=(mc|ms) /.test(line)) { t.mc++; t.mcPause += field(line, 'pause'); }
}
const kb = (b) => (b / events / 1024).toFixed(1);
console.log(`scavenges ${t.s} (${t.sPause.toFixed(0)} ms), mark-compacts ${t.mc} (${t.mcPause.toFixed(0)} ms)`);
console.log(`per event: allocated ${kb(t.allocated)} kB, survived a scavenge ${kb(t.survived)} kB, promoted ${kb(t.promoted)} kB`);
