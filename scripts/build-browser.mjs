// Builds the browser bundle of hearth/devices (devices/browser.ts) with esbuild: one minified ESM file, platform browser.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ENTRY = join(ROOT, 'devices/browser.ts');
export const OUTFILE = join(ROOT, 'dist/browser/hearth-devices.js');

/**
 * Bundles devices/browser.ts into `outfile` (minified unless `minify: false`); resolves to the byte sizes and
 * esbuild's metafile (inputs and their bytes in the output, and every import left external).
 */
export async function buildBrowser({ outfile = OUTFILE, minify = true } = {}) {
  const r = await build({
    entryPoints: [ENTRY], outfile, bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    minify, metafile: true, write: false, legalComments: 'none', logLevel: 'silent',
  });
  const file = r.outputFiles.find((f) => f.path.endsWith('.js'));
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, file.contents);
  return { bytes: file.contents.length, gzipBytes: gzipSync(file.contents, { level: 9 }).length, metafile: r.metafile, text: file.text };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { bytes, gzipBytes } = await buildBrowser();
  console.log(`${OUTFILE.slice(ROOT.length)}: ${bytes} bytes minified, ${gzipBytes} gzipped`);
}
