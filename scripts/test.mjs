// Runs every *.test.ts under src/, gateway/, devices/, profiles/ and test/ with node's test runner (tsx loader).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['src', 'gateway', 'devices', 'profiles', 'test'];
const filter = process.argv.slice(2);
const files = [];
function walk(dir) {
  let names;
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'node_modules' && name !== 'fixtures') walk(p); }
    else if (name.endsWith('.test.ts')) files.push(p);
  }
}
roots.forEach(walk);
const selected = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
if (selected.length === 0) { console.error('no test files matched'); process.exit(1); }
const typecheck = filter.length === 0 && process.env.HEARTH_SKIP_TYPECHECK !== '1';
if (typecheck) {
  const tc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
  if (tc.status !== 0) { console.error('typecheck failed'); process.exit(tc.status ?? 1); }
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected.sort()];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
process.exit(r.status ?? 1);
