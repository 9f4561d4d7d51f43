/** `npm run bench`: runs every benchmark in bench/ and prints its numbers (medians; run on a quiet machine). */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { main?: () => Promise<unknown> };
  if (typeof mod.main !== 'function') continue; // a helper module (support, lean-http)
  console.log(`\n== ${f.replace(/\.ts$/, '')}`);
  await mod.main();
}
