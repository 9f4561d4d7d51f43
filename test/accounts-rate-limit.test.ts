/** Client-server API §"Rate limiting" at the HTTP boundary: per IP address before login, per user after, over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { validateResponse } from './support/openapi.js';
import { call, fakeClock } from './support/accounts.js';

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
