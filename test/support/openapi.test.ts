/** Self-test of the OpenAPI harness: spec responses validate, wrong ones fail, and concrete paths find their templates. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertSpecResponse, createSpecValidator, specOperations, validateResponse, needsSpec } from './openapi.js';
import { createSpecClient } from './spec-client.js';
import { fetchJson } from './http.js';
import { startTestHub, type TestHub } from './hub.js';

let hub: TestHub;
before(async () => { hub = await startTestHub(); });
after(async () => { await hub.stop(); });

describe('client-server API §"GET /_matrix/client/versions" checked against versions.yaml', needsSpec, () => {
  it('accepts the response of a running hub', async () => {
    const res = await fetchJson(`${hub.clientUrl}/_matrix/client/versions`);
    assert.equal(res.status, 200);
    assertSpecResponse('GET', '/_matrix/client/versions', res);
    const client = await createSpecClient(hub.clientUrl).get('/_matrix/client/versions');
    assert.equal(client.status, 200);
  });

  it('rejects `versions` given as a string, naming the field', () => {
    const r = validateResponse('GET', '/_matrix/client/versions', 200, { versions: 'v1.1' });
    assert.equal(r.ok, false);
    assert.equal(r.operation, 'GET /_matrix/client/versions (getVersions)');
    assert.ok(r.errors.some((e) => e.startsWith('/versions must be array')), r.errors.join('; '));
    assert.throws(() => assertSpecResponse('GET', '/_matrix/client/versions', { status: 200, body: { versions: 'v1.1' } }), /\/versions must be array/);
  });

  it('rejects a body without the required `versions`', () => {
    const r = validateResponse('GET', '/_matrix/client/versions', 200, { unstable_features: {} });
    assert.deepEqual(r.errors, ["(root) must have required property 'versions'"]);
  });

  it('the spec client rejects a 2xx that does not match the spec', async () => {
    const server: Server = createServer((_req, res) => { res.setHeader('Content-Type', 'application/json'); res.end('{"versions":"v1.1"}'); });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await assert.rejects(createSpecClient(url).get('/_matrix/client/versions'), /\/versions must be array/);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });
});

describe('client-server API §"API standards": matching concrete paths to spec templates', needsSpec, () => {
  it('maps /r0 to /v3, ignores the query string and reads percent-encoded segments', () => {
    const ok = validateResponse('PUT', '/_matrix/client/r0/rooms/%21abc%3Ahs/send/m.room.message/txn1?x=1', 200, { event_id: '$e' });
    assert.deepEqual(ok, { ok: true, errors: [], operation: 'PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId} (sendMessage)' });
    const bad = validateResponse('PUT', '/_matrix/client/v3/rooms/!abc:hs/send/m.room.message/txn1', 200, { event_id: 'no-sigil' });
    assert.equal(bad.ok, false);
  });

  it('fails when no operation matches, or the method is not the spec\'s', () => {
    assert.match(validateResponse('GET', '/_matrix/client/v3/acount/whoami', 200, {}).errors[0]!, /no spec operation matches/);
    assert.match(validateResponse('POST', '/_matrix/client/v3/account/whoami', 200, {}).errors[0]!, /the spec has GET/);
    assert.throws(() => assertSpecResponse('GET', '/_matrix/client/v3/nope', { status: 200, body: {} }), /no spec operation matches/);
  });

  it('fails an undocumented success status; checks an unlisted error against the standard error shape', () => {
    assert.match(validateResponse('GET', '/_matrix/client/v3/account/whoami', 201, {}).errors[0]!, /status 201 is not a documented response/);
    assert.equal(validateResponse('GET', '/_matrix/client/v3/sync', 401, { errcode: 'M_MISSING_TOKEN', error: 'x' }).ok, true);
    assert.deepEqual(validateResponse('GET', '/_matrix/client/v3/sync', 401, { error: 'x' }).errors, ["(root) must have required property 'errcode'"]);
  });

  it('finds every spec operation from its own template (literal segments beat parameters)', () => {
    const ops = specOperations();
    assert.ok(ops.length > 100, `only ${ops.length} operations loaded`);
    assert.ok(ops.some((o) => o.method === 'PUT' && o.path === '/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}'));
    for (const op of ops) {
      const concrete = op.path.replace(/\{[^}]+\}/g, 'x');
      const r = validateResponse(op.method, concrete, 599, { errcode: 'M_UNKNOWN', error: '' });
      assert.equal(r.operation?.split(' (')[0], `${op.method} ${op.path}`, `${op.method} ${concrete}`);
    }
  });

  it('compiles the schema of every documented response of every operation', () => {
    const v = createSpecValidator();
    for (const op of v.operations) {
      const concrete = op.path.replace(/\{[^}]+\}/g, 'x');
      for (const status of [200, 201, 302, 400, 401, 403, 404, 409, 413, 429, 502]) {
        assert.doesNotThrow(() => v.validateResponse(op.method, concrete, status, {}), `${op.method} ${op.path} ${status}`);
      }
    }
  });
});
