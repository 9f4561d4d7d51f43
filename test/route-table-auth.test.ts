/** Client-server API §"Using access tokens": every route of the real route table that needs a user refuses missing and unknown tokens. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { fetchJson } from './support/http.js';
import { startTestHub } from './support/hub.js';
import { matchSpecOperation, validateResponse, needsSpec } from './support/openapi.js';
import type { Route } from '../src/http/route.js';

/** Plausible values for path parameters, by name; anything else gets `x`. */
const PARAM_VALUES: Record<string, string> = {
  roomId: '!x:localhost', userId: '@x:localhost', eventId: '$x', roomAlias: '#x:localhost',
  roomIdOrAlias: '!x:localhost', serverName: 'localhost', eventType: 'm.room.message', type: 'm.x',
  stateKey: 'x', txnId: 'txn1', deviceId: 'DEVICE', filterId: '1', mediaId: 'abc', tag: 'm.favourite',
  kind: 'override', scope: 'global', ruleId: 'x', version: '1', sessionId: 'x', receiptType: 'm.read',
  relType: 'm.annotation', keyName: 'displayname', fileName: 'x.txt', protocol: 'x', appserviceId: 'x',
};

/** A concrete request path for a route template, each parameter percent-encoded. */
function concretePath(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(PARAM_VALUES[name] ?? 'x'));
}

const hub = await startTestHub();
after(async () => { await hub.stop(); });

const guarded = hub.hs.routes.filter((r) => r.listener === 'client' && (r.auth === 'user' || r.auth === 'admin'));

async function call(route: Route, headers: Record<string, string>): Promise<{ status: number; body: any; path: string }> {
  const path = concretePath(route.path);
  const hasBody = route.method === 'POST' || route.method === 'PUT';
  const res = await fetchJson(hub.clientUrl + path, {
    method: route.method,
    headers: hasBody ? { ...headers, 'Content-Type': 'application/json' } : headers,
    body: hasBody ? '{}' : undefined,
  });
  return { ...res, path };
}

/** The 401 body must also fit the spec's response for that operation (or the standard error shape). */
function assertSpecError(route: Route, res: { status: number; body: any; path: string }): void {
  const v = validateResponse(route.method, res.path, res.status, res.body);
  if (v.errors.some((e) => e.startsWith('no spec operation'))) return;
  // User-interactive-auth endpoints document their 401 as the auth challenge (`flows` …); a missing
  // or unknown access token is answered before any challenge, in the standard error shape.
  const uiaChallenge = v.errors.length > 0 && v.errors.every((e) => e.includes("required property 'flows'"));
  const standard = typeof res.body?.errcode === 'string' && typeof res.body?.error === 'string';
  assert.ok(v.ok || (uiaChallenge && standard), v.errors.join('; '));
}

describe('client-server API §"Using access tokens" on every user and admin route', () => {
  it('the route table has user routes to check', () => {
    assert.ok(guarded.some((r) => r.path === '/_matrix/client/v3/account/whoami'), 'whoami is missing from the route table');
  });

  for (const route of guarded) {
    it(`${route.method} ${route.path} without a token is 401 M_MISSING_TOKEN`, async () => {
      const res = await call(route, {});
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(res.body?.errcode, 'M_MISSING_TOKEN');
      assertSpecError(route, res);
    });

    it(`${route.method} ${route.path} with an unknown token is 401 M_UNKNOWN_TOKEN`, async () => {
      const res = await call(route, { Authorization: 'Bearer not-a-real-token' });
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(res.body?.errcode, 'M_UNKNOWN_TOKEN');
      assertSpecError(route, res);
    });
  }
});

describe('client-server API §"Using access tokens": each route\'s auth kind agrees with the spec\'s `security`', needsSpec, () => {
  const clientRoutes = hub.hs.routes.filter((r) => r.listener === 'client');

  it('the spec marks whoami as needing a token and /versions as not', () => {
    assert.equal((matchSpecOperation('GET', '/_matrix/client/v3/account/whoami') as { auth: string }).auth, 'required');
    assert.equal((matchSpecOperation('GET', '/_matrix/client/versions') as { auth: string }).auth, 'optional');
    assert.equal((matchSpecOperation('POST', '/_matrix/client/v3/login') as { auth: string }).auth, 'none');
  });

  for (const route of clientRoutes) {
    const op = matchSpecOperation(route.method, route.path);
    if (typeof op === 'string') continue; // not a spec operation: test/spec-coverage.test.ts reports it
    it(`${route.method} ${route.path} is '${route.auth}', spec security: ${op.auth}`, () => {
      if (op.auth === 'required') assert.ok(route.auth === 'user' || route.auth === 'admin', `the spec requires an access token for ${op.method} ${op.path}`);
      if (op.auth === 'none') assert.ok(route.auth === 'none' || route.auth === 'optional', `the spec lets ${op.method} ${op.path} be called without an access token`);
    });
  }
});
