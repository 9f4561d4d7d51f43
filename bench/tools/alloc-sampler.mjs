/**
 * Preload for the hub: samples allocations, including objects the GC has already collected, and writes
 * /tmp/hearth-alloc.heapprofile when the hub stops. Usage:
 * HEARTH_BENCH_NODE_ARGS='--import ./bench/tools/alloc-sampler.mjs' npm run bench -- qos1; then alloc-tree.mjs on it.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
session.post('HeapProfiler.enable');
session.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
let written = false;
function write() {
  if (written) return;
  written = true;
  session.post('HeapProfiler.stopSampling', (err, r) => { if (!err) writeFileSync(process.env.HEARTH_ALLOC_FILE ?? '/tmp/hearth-alloc.heapprofile', JSON.stringify(r.profile)); });
}
process.prependListener('SIGTERM', write);
process.on('exit', write);
