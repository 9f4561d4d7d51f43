/** The browser build of hearth/devices (issue 7): one ESM file that reaches no Node built-in and no Node-only module. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { buildBrowser } from '../scripts/build-browser.mjs';
import { tempDir } from './support/hub.js';

describe('browser bundle (README "Device SDK in a browser")', () => {
  it('imports nothing external; no input is a Node built-in, mqtt.js, coap or the file queue', async () => {
    const { metafile } = await buildBrowser({ outfile: join(tempDir('hearth-bundle-'), 'b.js') });
    const [output] = Object.values(metafile.outputs);
    assert.deepEqual(output?.imports, []);
    const inputs = Object.keys(metafile.inputs);
    const banned = inputs.filter((f) => /(^|\/)node_modules\/(mqtt|coap|ws|buffer|events|readable-stream)\//.test(f) || /devices\/(coap-transport|mqtt-transport|queue-file|connect)\.ts$/.test(f));
    assert.deepEqual(banned, []);
    assert.ok(inputs.includes('devices/ws-transport.ts') && inputs.includes('node_modules/@noble/ed25519/index.js'), inputs.join(', '));
    for (const [file, input] of Object.entries(metafile.inputs)) {
      const builtins = input.imports.filter((i) => i.path.startsWith('node:') || builtinModules.includes(i.path));
      assert.deepEqual(builtins, [], `${file} imports a Node built-in`);
    }
  });

  it('the output has no require() and no node: specifier; our own modules in it never touch Buffer or process', async () => {
    const { text, metafile } = await buildBrowser({ outfile: join(tempDir('hearth-bundle-'), 'b.js') });
    assert.ok(!/\brequire\s*\(/.test(text), 'the bundle calls require()');
    assert.ok(!/["']node:[a-z_]+["']/.test(text), 'the bundle names a node: module');
    // cbor-x reads globalThis.Buffer only where it exists (and in a branch CBOR never reaches); our code not at all.
    const ours = Object.keys(metafile.inputs).filter((f) => f.startsWith('devices/'));
    assert.ok(ours.length >= 8, ours.join(', '));
    for (const f of ours) {
      const src = readFileSync(f, 'utf8').replace(/^\s*(\/\*\*|\*|\/\/).*$/gm, '');
      assert.ok(!/\bBuffer\b|\bprocess\.|NodeJS\./.test(src), `${f} uses Buffer, process or NodeJS types`);
    }
  });
});
