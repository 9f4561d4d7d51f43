/** Benchmark: the size of the browser bundle of hearth/devices (unminified, minified, gzipped) and what takes the room in it. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { buildBrowser, OUTFILE } from '../scripts/build-browser.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

export async function main(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bundle-'));
  const raw = await buildBrowser({ outfile: join(dir, 'unminified.js'), minify: false });
  rmSync(dir, { recursive: true, force: true });
  const min = await buildBrowser();
  const [output] = Object.values(min.metafile.outputs);
  const byPackage = new Map<string, number>();
  for (const [file, input] of Object.entries(output!.inputs)) {
    const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.replace(/\/[^/]+$/, '/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
  }
  const mqttJs = readFileSync(join(ROOT, 'node_modules/mqtt/dist/mqtt.esm.js'));
  console.log(`${OUTFILE.slice(ROOT.length)}: ${raw.bytes} bytes unminified, ${min.bytes} minified (target < 60 kB), ${min.gzipBytes} gzipped`);
  console.log(`in the minified bundle: ${[...byPackage].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${kB(n)}`).join(', ')}`);
  console.log(`for comparison, mqtt.js's own browser build (not used: devices/ws-transport.ts speaks MQTT 3.1.1 itself): ${kB(mqttJs.length)} minified, ${kB(gzipSync(mqttJs, { level: 9 }).length)} gzipped`);
  return { rawBytes: raw.bytes, minifiedBytes: min.bytes, gzipBytes: min.gzipBytes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
