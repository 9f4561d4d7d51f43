/**
 * Prints a sampling heap profile (.heapprofile) as a top-down tree merged by function, as shares of all bytes
 * allocated. Usage: node bench/tools/alloc-tree.mjs FILE [MIN_PERCENT=1]
 */
import { readFileSync } from 'node:fs';

const [file, minArg] = process.argv.slice(2);
if (!file) { console.error('usage: alloc-tree.mjs FILE [MIN_PERCENT]'); process.exit(2); }
const p = JSON.parse(readFileSync(file, 'utf8'));
const min = Number(minArg ?? 1);
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const sum = (n) => (n.total = n.selfSize + n.children.reduce((a, c) => a + sum(c), 0));
const all = sum(p.head);
const pct = (t) => ((100 * t) / all).toFixed(1);

function show(nodes, depth) {
  const groups = new Map();
  for (const n of nodes.flatMap((x) => x.children)) {
    const k = name(n);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(n);
  }
  const rows = [...groups].map(([k, ns]) => [k, ns, ns.reduce((a, n) => a + n.total, 0), ns.reduce((a, n) => a + n.selfSize, 0)]);
  for (const [k, ns, t, s] of rows.sort((a, b) => b[2] - a[2])) {
    if ((100 * t) / all < min) continue;
    console.log(`${'  '.repeat(depth)}${pct(t)}% (self ${pct(s)}) ${k}`);
    show(ns, depth + 1);
  }
}

console.log(`sampled ${(all / 1e6).toFixed(0)} MB`);
show([p.head], 0);
