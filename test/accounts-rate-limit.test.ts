/** Client-server API §"Rate limiting" at the HTTP boundary: per IP address before login, per user after, over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { validateResponse } from './support/openapi.js';
import { call, fakeClock } from './support/accounts.js';
import { fetchJson } from './support/http.js';
import { clientAddress } from '../src/http/server.js';

const clock = fakeClock();
let hub: TestHub;
let tokens: string[];
before(async () => {
  hub = await startTestHub({ rateLimit: true, rateLimitPerSecond: 1, rateLimitBurst: 3, serverName: 'hub.test' }, { now: clock.now });
  // Users and tokens made in-process, so no request is spent on them.
  tokens = [];
  for (const name of ['ann', 'ben']) {
    const user = await hub.hs.services.accounts.createUser({ localpart: name, password: 'pw' });
    tokens.push((await hub.hs.services.tokens.issue({ userId: user.userId, refresh: false })).access_token);
  }
});
after(async () => { await hub.stop(); });

describe('client-server API §"Rate limiting" (token bucket: 1/s, burst 3)', () => {
  it('POST /login is limited per address: the 4th attempt is 429 M_LIMIT_EXCEEDED with retry_after_ms and Retry-After', async () => {
    const attempt = () => call(hub, 'POST', '/_matrix/client/v3/login', { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'ann' }, password: 'wrong' });
    for (let i = 0; i < 3; i++) assert.equal((await attempt()).status, 403);
    const limited = await attempt();
    assert.equal(limited.status, 429);
    assert.equal(limited.body.errcode, 'M_LIMIT_EXCEEDED');
    assert.equal(limited.body.retry_after_ms, 1000);
    assert.equal(limited.headers.get('retry-after'), '1');
    const v = validateResponse('POST', '/_matrix/client/v3/login', 429, limited.body);
    assert.ok(v.ok, v.errors.join('; '));
    // /versions is exempt.
    assert.equal((await call(hub, 'GET', '/_matrix/client/versions')).status, 200);
    clock.advance(1000);
    assert.equal((await attempt()).status, 403, 'a token came back after a second');
  });

  it('authenticated requests are limited per user, not per address', async () => {
    const whoami = (token: string) => call(hub, 'GET', '/_matrix/client/v3/account/whoami', undefined, token);
    for (let i = 0; i < 3; i++) assert.equal((await whoami(tokens[0]!)).status, 200);
    const limited = await whoami(tokens[0]!);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.errcode, 'M_LIMIT_EXCEEDED');
    assert.equal((await whoami(tokens[1]!)).status, 200, 'another user from the same address is not affected');
  });
});

describe('client addresses behind a reverse proxy (--x-forwarded, Synapse\'s x_forwarded)', () => {
  let proxied: TestHub;
  before(async () => { proxied = await startTestHub({ rateLimit: true, rateLimitPerSecond: 1, rateLimitBurst: 3, serverName: 'hub.test', xForwarded: true }, { now: clock.now }); });
  after(async () => { await proxied.stop(); });
  const login = (h: TestHub, forwardedFor: string) => fetchJson(h.clientUrl + '/_matrix/client/v3/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'nobody' }, password: 'wrong' }),
  });

  it('on: unauthenticated requests are limited per forwarded address, the last entry (the one the proxy appended)', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await login(proxied, '203.0.113.7')).status, 403);
    assert.equal((await login(proxied, '203.0.113.7')).status, 429);
    assert.equal((await login(proxied, '198.51.100.2')).status, 403, 'another client behind the same proxy has its own bucket');
    assert.equal((await login(proxied, '198.51.100.9, 203.0.113.7')).status, 429, 'an entry the client wrote in front does not escape the limit');
  });

  it('off (the default): the header is ignored, every request counts for the socket address', async () => {
    clock.advance(10_000);
    for (let i = 0; i < 3; i++) assert.equal((await login(hub, `192.0.2.${i}`)).status, 403);
    assert.equal((await login(hub, '192.0.2.99')).status, 429);
  });

  it('clientAddress: a missing or malformed last entry falls back to the socket address', () => {
    const req = (xff?: string | string[]) => ({ headers: xff === undefined ? {} : { 'x-forwarded-for': xff }, socket: { remoteAddress: '127.0.0.1' } }) as unknown as Parameters<typeof clientAddress>[0];
    assert.equal(clientAddress(req('2001:db8::1'), true), '2001:db8::1');
    assert.equal(clientAddress(req(['10.0.0.1', '10.0.0.2']), true), '10.0.0.2');
    assert.equal(clientAddress(req('10.0.0.1, unknown'), true), '127.0.0.1');
    assert.equal(clientAddress(req(), true), '127.0.0.1');
    assert.equal(clientAddress(req('10.0.0.1'), false), '127.0.0.1');
  });
});
