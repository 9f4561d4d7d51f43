/**
 * Summarises a .heapsnapshot: bytes by node type and constructor, closures by name, and plain objects by their
 * property names (what a waiting message or a cached event is made of). Usage:
 * node --max-old-space-size=4000 bench/tools/heap-snapshot-summary.mjs FILE [ROWS=30]
 * (HEARTH_BENCH_NODE_ARGS='--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=/tmp', then kill -USR2 the hub mid-burst).
 */
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) { console.error('usage: heap-snapshot-summary.mjs FILE [ROWS]'); process.exit(2); }
const rows = Number(rowsArg ?? 30);
const s = JSON.parse(readFileSync(file, 'utf8'));
const meta = s.snapshot.meta;
const F = meta.node_fields.length, E = meta.edge_fields.length;
const nodeTypes = meta.node_types[0], edgeTypes = meta.edge_types[0];
const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
const [eType, eName] = ['type', 'name_or_index'].map((f) => meta.edge_fields.indexOf(f));
const bytes = new Map(), closures = new Map(), shapes = new Map();
const bump = (m, k, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
let total = 0;
for (let i = 0, e = 0; i < s.nodes.length; i += F) {
  const type = nodeTypes[s.nodes[i + iType]], n = s.strings[s.nodes[i + iName]], size = s.nodes[i + iSize], edges = s.nodes[i + iEdges];
  total += size;
  bump(bytes, type.includes('string') ? 'strings' : type === 'object' || type === 'closure' || type === 'native' ? `${type}:${n}` : `${type}`, size);
  if (type === 'closure') bump(closures, n || '(anonymous)');
  if (type === 'object' && (n === 'Object' || n === 'Array')) {
    const props = [];
    for (let k = 0; k < edges; k++) if (edgeTypes[s.edges[e + k * E + eType]] === 'property') props.push(s.strings[s.edges[e + k * E + eName]]);
    bump(shapes, `${n}{${props.slice(0, 8).join(',')}}`);
  }
  e += edges * E;
}
const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, rows);
console.log(`total ${(total / 1e6).toFixed(1)} MB`);
for (const [k, v] of top(bytes)) console.log(`${(v / 1e6).toFixed(2).padStart(7)} MB  ${k}`);
console.log('closures by name:');
for (const [k, v] of top(closures)) console.log(`${String(v).padStart(8)}  ${k}`);
console.log('plain objects by property names:');
for (const [k, v] of top(shapes)) console.log(`${String(v).padStart(8)}  ${k}`);
