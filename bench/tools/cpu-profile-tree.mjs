/**
 * Prints a .cpuprofile (node --cpu-prof) as a top-down tree merged by function, as shares of the busy (non-idle)
 * time. Usage: node bench/tools/cpu-profile-tree.mjs FILE [MIN_PERCENT=0.5] [FUNCTION_NAME_PREFIX]
 * e.g. HEARTH_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench -- qos1, then the largest file.
 */
import { readFileSync } from 'node:fs';

const [file, minArg, focus] = process.argv.slice(2);
if (!file) { console.error('usage: cpu-profile-tree.mjs FILE [MIN_PERCENT] [FUNCTION_NAME_PREFIX]'); process.exit(2); }
const p = JSON.parse(readFileSync(file, 'utf8'));
const min = Number(minArg ?? 0.5);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const total = new Map();
const sum = (id) => { const n = byId.get(id); const t = (self.get(id) ?? 0) + (n.children ?? []).reduce((a, c) => a + sum(c), 0); total.set(id, t); return t; };
sum(p.nodes[0].id);
const idle = p.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((a, n) => a + (self.get(n.id) ?? 0), 0);
const busy = total.get(p.nodes[0].id) - idle;
const pct = (t) => ((100 * t) / busy).toFixed(1);

function show(ids, depth) {
  const groups = new Map();
  for (const c of ids.flatMap((id) => byId.get(id).children ?? [])) {
    const k = name(byId.get(c));
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(c);
  }
  const rows = [...groups].map(([k, cs]) => [k, cs, cs.reduce((a, c) => a + total.get(c), 0), cs.reduce((a, c) => a + (self.get(c) ?? 0), 0)]);
  for (const [k, cs, t, s] of rows.sort((a, b) => b[2] - a[2])) {
    if ((100 * t) / busy < min || k.startsWith('(idle)')) continue;
    console.log(`${'  '.repeat(depth)}${pct(t)}% (self ${pct(s)}) ${k}`);
    show(cs, depth + 1);
  }
}

console.log(`busy ${(busy / 1000).toFixed(0)} ms`);
if (focus) {
  const ids = p.nodes.filter((n) => name(n).startsWith(focus)).map((n) => n.id);
  console.log(`${pct(ids.reduce((a, id) => a + total.get(id), 0))}% ${focus}`);
  show(ids, 1);
} else show([p.nodes[0].id], 0);
