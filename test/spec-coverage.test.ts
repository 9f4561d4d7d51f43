/** Client-server API coverage: every client route of the real route table names an operation of the spec's OpenAPI definitions. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from './support/hub.js';
import { matchSpecOperation, needsSpec } from './support/openapi.js';

/**
 * Client-listener endpoints that are intentionally not Client-Server API operations, with the reason.
 * A path matches an entry when it starts with the entry's prefix.
 */
/** Whole paths served on purpose beside the spec's templates (Synapse serves them too). */
const EXTRA_PATHS: ReadonlyArray<{ path: RegExp; why: string }> = [
  { path: /^\/_matrix\/client\/(v3|r0)\/rooms\/\{roomId\}\/state\/\{eventType\}$/, why: 'state with an empty state key written without the trailing slash' },
];

const NOT_IN_SPEC: ReadonlyArray<{ prefix: string; why: string }> = [
  { prefix: '/_matrix/client/unstable/', why: 'MSC endpoints under the unstable prefix' },
  { prefix: '/_matrix/media/unstable/', why: 'MSC media endpoints under the unstable prefix' },
  { prefix: '/_synapse/', why: 'Synapse-compatible admin API, outside the spec' },
  { prefix: '/_matrix/key/', why: 'server-server API §"Publishing Keys", also served on the client port' },
  { prefix: '/_matrix/federation/', why: 'server-server API' },
  { prefix: '/.well-known/matrix/server', why: 'server-server API §"Server discovery"' },
];

const hub = await startTestHub();
after(async () => { await hub.stop(); });

const clientRoutes = hub.hs.routes.filter((r) => r.listener === 'client');
const checked = clientRoutes.filter((r) => !NOT_IN_SPEC.some((a) => r.path.startsWith(a.prefix)) && !EXTRA_PATHS.some((x) => x.path.test(r.path)));

describe('client-server API OpenAPI coverage of the route table (/r0 read as /v3)', needsSpec, () => {
  it('checks the known discovery and whoami routes (the check is not vacuous)', () => {
    const paths = checked.map((r) => `${r.method} ${r.path}`);
    for (const p of ['GET /_matrix/client/versions', 'GET /_matrix/client/v3/account/whoami', 'GET /_matrix/client/r0/account/whoami']) {
      assert.ok(paths.includes(p), `${p} is not in the route table`);
    }
  });

  it('a misspelt template or a wrong version matches no operation', () => {
    assert.equal(typeof matchSpecOperation('GET', '/_matrix/client/v3/acount/whoami'), 'string');
    assert.equal(typeof matchSpecOperation('GET', '/_matrix/client/r0/rooms/{roomId}/hierarchy'), 'string'); // v1 only
    assert.equal(typeof matchSpecOperation('GET', '/_matrix/client/v3/rooms/{roomId}/{membership}'), 'string');
  });

  for (const route of checked) {
    it(`${route.method} ${route.path} is a spec operation`, () => {
      const op = matchSpecOperation(route.method, route.path);
      if (typeof op === 'string') {
        assert.fail(`${op}. Fix the path template, or add the route to NOT_IN_SPEC in test/spec-coverage.test.ts if it is deliberately not a spec endpoint.`);
      }
    });
  }
});
