/** Discovery (/versions, /.well-known) and federation identity (server-server API §"Publishing Keys", /version) on a real hub. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:https';
import * as ed from '@noble/ed25519';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../src/events/canonical-json.js';
import { rotateServerKey } from '../src/keys/signing-key.js';
import { fetchJson, getJson } from './support/http.js';
import { startTestHub, tempDir, type TestHub } from './support/hub.js';

ed.hashes.sha512 = (m: Uint8Array) => new Uint8Array(createHash('sha512').update(m).digest());

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Verifies a signed JSON object with @noble/ed25519, an implementation other than the signer's node:crypto. */
function nobleVerify(doc: any, server: string, keyId: string, publicKey: string): boolean {
  const { signatures, unsigned, ...rest } = doc;
  const sig = signatures?.[server]?.[keyId];
  if (!sig) return false;
  return ed.verify(b64(sig), new TextEncoder().encode(canonicalJson(rest)), b64(publicKey));
}

let hub: TestHub;
before(async () => { hub = await startTestHub({ serverName: 'hub.test', wellKnownServer: 'hub.test:443', publicBaseurl: 'https://matrix.hub.test/' }); });
after(async () => { await hub.stop(); });

describe('client-server API §"GET /_matrix/client/versions"', () => {
  it('lists spec versions from v1.1 upward and an unstable_features object', async () => {
    const body = await getJson(`${hub.clientUrl}/_matrix/client/versions`);
    assert.ok(Array.isArray(body.versions));
    assert.ok(body.versions.includes('v1.1'));
    assert.ok(body.versions.every((v: string) => /^v1\.\d+$/.test(v)));
    assert.equal(typeof body.unstable_features, 'object');
  });
});

describe('client-server API §"Server Discovery" (.well-known)', () => {
  it('serves /.well-known/matrix/client with the configured base_url and CORS', async () => {
    const res = await fetchJson(`${hub.clientUrl}/.well-known/matrix/client`);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(res.body, { 'm.homeserver': { base_url: 'https://matrix.hub.test/' } });
  });
  it('serves /.well-known/matrix/server with the configured delegation', async () => {
    assert.deepEqual(await getJson(`${hub.clientUrl}/.well-known/matrix/server`), { 'm.server': 'hub.test:443' });
  });
  it('answers 404 M_NOT_FOUND when server delegation is off', async () => {
    const off = await startTestHub({ wellKnownServer: null });
    try {
      const res = await fetchJson(`${off.clientUrl}/.well-known/matrix/server`);
      assert.equal(res.status, 404);
      assert.equal(res.body.errcode, 'M_NOT_FOUND');
    } finally { await off.stop(); }
  });
});

describe('server-server API §"GET /_matrix/federation/v1/version"', () => {
  it('names the server implementation', async () => {
    const body = await getJson(`${hub.federationUrl}/_matrix/federation/v1/version`);
    assert.equal(body.server.name, 'Hearth');
    assert.match(body.server.version, /^\d+\.\d+\.\d+/);
  });
});

describe('server-server API §"Publishing Keys" (GET /_matrix/key/v2/server)', () => {
  it('publishes the signing key, signed by itself, verifiable with @noble/ed25519', async () => {
    const doc = await getJson(`${hub.federationUrl}/_matrix/key/v2/server`);
    assert.equal(doc.server_name, 'hub.test');
    const [keyId, { key }] = Object.entries(doc.verify_keys as Record<string, { key: string }>)[0]!;
    assert.match(keyId, /^ed25519:[a-zA-Z0-9_]+$/);
    assert.equal(b64(key).length, 32);
    assert.ok(nobleVerify(doc, 'hub.test', keyId, key), 'signature verifies');
    assert.ok(doc.valid_until_ts > Date.now());
    const tampered = { ...doc, valid_until_ts: doc.valid_until_ts + 1 };
    assert.equal(nobleVerify(tampered, 'hub.test', keyId, key), false, 'a changed document no longer verifies');
  });
  it('keeps the same key across restarts of the same data dir', async () => {
    const first = await getJson(`${hub.federationUrl}/_matrix/key/v2/server`);
    const again = await startTestHub({ dataDir: hub.dataDir, serverName: 'hub.test' });
    try {
      const second = await getJson(`${again.federationUrl}/_matrix/key/v2/server`);
      assert.deepEqual(Object.keys(second.verify_keys), Object.keys(first.verify_keys));
    } finally { await again.stop(); }
  });
  it('lists the previous key under old_verify_keys after rotation', async () => {
    const dataDir = tempDir();
    const h = await startTestHub({ serverName: 'rot.test', dataDir });
    const before = await getJson(`${h.federationUrl}/_matrix/key/v2/server`);
    await h.stop();
    rotateServerKey(dataDir, 1_700_000_000_000);
    const h2 = await startTestHub({ serverName: 'rot.test', dataDir });
    try {
      const after = await getJson(`${h2.federationUrl}/_matrix/key/v2/server`);
      const oldId = Object.keys(before.verify_keys)[0]!;
      const newId = Object.keys(after.verify_keys)[0]!;
      assert.notEqual(newId, oldId);
      assert.deepEqual(after.old_verify_keys[oldId], { key: before.verify_keys[oldId].key, expired_ts: 1_700_000_000_000 });
      assert.ok(nobleVerify(after, 'rot.test', newId, after.verify_keys[newId].key));
    } finally { await h2.stop(); }
  });
  it('is served over TLS with a generated self-signed certificate when federation TLS is on', async () => {
    const h = await startTestHub({ federationTls: true });
    try {
      const body: any = await new Promise((resolve, reject) => {
        get(`${h.federationUrl.replace('0.0.0.0', '127.0.0.1')}/_matrix/key/v2/server`, { rejectUnauthorized: false }, (res) => {
          const cert = (res.socket as any).getPeerCertificate();
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ cert, doc: JSON.parse(text) }));
        }).on('error', reject);
      });
      assert.ok(h.federationUrl.startsWith('https://'));
      assert.equal(body.cert.subject.CN, '127.0.0.1');
      assert.ok(body.doc.verify_keys);
    } finally { await h.stop(); }
  });
});
