/** Unit tests of the device registry: tokens, atomic durable writes, and seeing another process's changes. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeviceToken, hashDeviceToken, openRegistry, verifyDeviceToken, REGISTRY_FILE, type DeviceRecord } from './registry.js';

const dirs: string[] = [];
const dir = () => { const d = mkdtempSync(join(tmpdir(), 'hearth-registry-')); dirs.push(d); return d; };
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const device = (name: string): DeviceRecord => ({
  name, profile: 'hearth', topic: `hearth/${name}`, userId: `@device_${name}:h`, roomId: '!r:h', tokenHash: hashDeviceToken('t'), status: 'active', createdTs: 1,
});

describe('device tokens (issue 5: short tokens, stored hashed)', () => {
  it('are 22 characters of base64url (128 bits) and verify only against their own hash', () => {
    const token = createDeviceToken();
    assert.match(token, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(verifyDeviceToken(token, hashDeviceToken(token)), true);
    assert.equal(verifyDeviceToken(Buffer.from(token), hashDeviceToken(token)), true);
    assert.equal(verifyDeviceToken((token[0] === 'x' ? 'y' : 'x') + token.slice(1), hashDeviceToken(token)), false);
    assert.equal(verifyDeviceToken(token, ''), false, 'a revoked device has no hash');
    assert.equal(verifyDeviceToken(undefined, hashDeviceToken(token)), false);
  });
  it('never start with "-", which command lines read as an option (`hearth-device send --token -…`)', () => {
    // One base64url token in 64 starts with '-': over 2,000 draws the old generator fails with near certainty.
    const tokens = Array.from({ length: 2000 }, createDeviceToken);
    for (const t of tokens) assert.match(t, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    assert.equal(new Set(tokens).size, tokens.length);
  });
});

describe('registry file (lowdb JSON in the data dir)', () => {
  it('writes pretty JSON with mode 0600 and leaves no temp file behind', async () => {
    const d = dir();
    const r = await openRegistry({ dataDir: d });
    await Promise.all([1, 2, 3].map((i) => r.update((data) => { data.devices.push(device(`d${i}`)); })));
    const file = join(d, REGISTRY_FILE);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).devices.map((x: DeviceRecord) => x.name), ['d1', 'd2', 'd3']);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(d), [REGISTRY_FILE]);
    r.close();
  });

  it("a watching registry sees another process's write without being asked", async () => {
    const d = dir();
    const hub = await openRegistry({ dataDir: d, watch: true, watchIntervalMs: 50 });
    const cli = await openRegistry({ dataDir: d });
    const seen = new Promise<void>((resolve) => hub.onChange((data) => { if (data.devices.some((x) => x.name === 'lamp')) resolve(); }));
    // The poll does not keep a process alive (a hub has its listeners for that); this test keeps itself alive.
    const keepAlive = setInterval(() => undefined, 20);
    await cli.update((data) => { data.devices.push(device('lamp')); });
    await seen;
    clearInterval(keepAlive);
    assert.equal(hub.get('lamp')?.topic, 'hearth/lamp');
    hub.close();
    cli.close();
  });

  it('re-reads on a lookup miss, at most once per interval', async () => {
    const d = dir();
    let t = 10_000;
    const hub = await openRegistry({ dataDir: d, now: () => t, missReloadMs: 1000 });
    const cli = await openRegistry({ dataDir: d });
    await cli.update((data) => { data.devices.push(device('fan')); });
    assert.equal(hub.get('fan'), undefined);
    assert.equal(await hub.reloadOnMiss(), true);
    assert.ok(hub.get('fan'));
    assert.equal(await hub.reloadOnMiss(), false, 'a second miss within the interval does not re-read');
    t += 1000;
    assert.equal(await hub.reloadOnMiss(), true);
  });
});
