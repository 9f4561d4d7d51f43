/** Client-server API §"Login", §"Refreshing access tokens", §"Soft logout" and POST /logout, over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { createSpecClient } from './support/spec-client.js';
import { call, fakeClock, login, loginOk, passwordAuth, register } from './support/accounts.js';
import { createAccounts } from '../src/accounts/accounts.js';

const WHOAMI = '/_matrix/client/v3/account/whoami';
const LIFETIME = 5 * 60_000;

const clock = fakeClock();
let hub: TestHub;
before(async () => {
  hub = await startTestHub({ registration: 'open', serverName: 'hub.test', publicBaseurl: 'https://matrix.hub.test/' }, { now: clock.now });
  await register(hub, 'alice', 'wonderland');
});
after(async () => { await hub.stop(); });

const whoami = (token: string) => call(hub, 'GET', WHOAMI, undefined, token);

describe('client-server API §"Login" GET /login', () => {
  it('offers m.login.password and m.login.token with get_login_token', async () => {
    const res = await createSpecClient(hub.clientUrl).get('/_matrix/client/v3/login');
    assert.deepEqual(res.body, { flows: [{ type: 'm.login.password' }, { type: 'm.login.token', get_login_token: true }] });
  });
});

describe('client-server API §"Login" POST /login with m.login.password', () => {
  it('logs in with identifier m.id.user (localpart), returning a device, a token and well_known', async () => {
    const res = await createSpecClient(hub.clientUrl).post('/_matrix/client/v3/login', {
      type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'wonderland', initial_device_display_name: 'Laptop',
    });
    assert.equal(res.body.user_id, '@alice:hub.test');
    assert.equal(res.body.home_server, 'hub.test');
    assert.deepEqual(res.body.well_known, { 'm.homeserver': { base_url: 'https://matrix.hub.test/' } });
    assert.match(res.body.device_id, /^[A-Z]{10}$/);
    assert.equal((await whoami(res.body.access_token)).body.device_id, res.body.device_id);
  });

  it('accepts the full user id, any letter case, and the deprecated top-level `user`', async () => {
    for (const body of [
      { type: 'm.login.password', identifier: { type: 'm.id.user', user: '@alice:hub.test' }, password: 'wonderland' },
      { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'ALICE' }, password: 'wonderland' },
      { type: 'm.login.password', user: 'alice', password: 'wonderland' },
    ]) {
      const res = await call(hub, 'POST', '/_matrix/client/v3/login', body);
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(res.body.user_id, '@alice:hub.test');
    }
  });

  it('403 M_FORBIDDEN for a wrong password, an unknown user, another server\'s user or a third-party id', async () => {
    for (const res of [
      await login(hub, 'alice', 'wrong'),
      await login(hub, 'nobody', 'wonderland'),
      await login(hub, '@alice:elsewhere.test', 'wonderland'),
      await call(hub, 'POST', '/_matrix/client/v3/login', { type: 'm.login.password', identifier: { type: 'm.id.thirdparty', medium: 'email', address: 'a@b.c' }, password: 'x' }),
    ]) {
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.equal(res.body.errcode, 'M_FORBIDDEN');
    }
  });

  it('400 M_UNKNOWN for an unknown login type, 400 M_MISSING_PARAM without a password', async () => {
    const bad = await call(hub, 'POST', '/_matrix/client/v3/login', { type: 'm.login.magic' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errcode, 'M_UNKNOWN');
    const noPassword = await call(hub, 'POST', '/_matrix/client/v3/login', { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' } });
    assert.equal(noPassword.status, 400);
    assert.equal(noPassword.body.errcode, 'M_MISSING_PARAM');
  });

  it('a user made by `hearth user add` (createAccounts) can log in', async () => {
    await createAccounts({ store: hub.store, serverName: 'hub.test', now: clock.now }).createUser({ localpart: 'cliuser', password: 'from-the-cli' });
    assert.equal((await loginOk(hub, 'cliuser', 'from-the-cli')).user_id, '@cliuser:hub.test');
  });

  it('403 M_USER_DEACTIVATED for a deactivated account with the right password (M_FORBIDDEN with a wrong one)', async () => {
    await register(hub, 'gone', 'pw');
    await hub.store.accounts.setDeactivated('@gone:hub.test', true);
    const right = await login(hub, 'gone', 'pw');
    assert.equal(right.status, 403);
    assert.equal(right.body.errcode, 'M_USER_DEACTIVATED');
    assert.equal((await login(hub, 'gone', 'nope')).body.errcode, 'M_FORBIDDEN');
  });

  it('§"Relationship between access tokens and devices": reusing a device_id keeps the device and invalidates its old token', async () => {
    const first = await loginOk(hub, 'alice', 'wonderland', { device_id: 'REUSED', initial_device_display_name: 'Kitchen tablet' });
    const second = await loginOk(hub, 'alice', 'wonderland', { device_id: 'REUSED', initial_device_display_name: 'ignored' });
    assert.equal(second.device_id, 'REUSED');
    const old = await whoami(first.access_token);
    assert.equal(old.status, 401);
    assert.equal(old.body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal((await whoami(second.access_token)).status, 200);
    const device = await call(hub, 'GET', '/_matrix/client/v3/devices/REUSED', undefined, second.access_token);
    assert.equal(device.body.display_name, 'Kitchen tablet', 'the name of a known device is kept');
  });
});

describe('client-server API POST /logout and /logout/all', () => {
  it('logout invalidates the token (then 401 M_UNKNOWN_TOKEN) and deletes its device; other devices keep working', async () => {
    const a = await loginOk(hub, 'alice', 'wonderland');
    const b = await loginOk(hub, 'alice', 'wonderland');
    assert.deepEqual((await createSpecClient(hub.clientUrl, a.access_token).post('/_matrix/client/v3/logout', {})).body, {});
    const res = await whoami(a.access_token);
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal(res.body.soft_logout, false);
    assert.equal((await call(hub, 'GET', `/_matrix/client/v3/devices/${a.device_id}`, undefined, b.access_token)).status, 404);
    assert.equal((await whoami(b.access_token)).status, 200);
  });

  it('logout/all invalidates every token of the user, and only theirs', async () => {
    await register(hub, 'bob', 'builder');
    const bob = await loginOk(hub, 'bob', 'builder');
    const tokens = [(await loginOk(hub, 'alice', 'wonderland')).access_token, (await loginOk(hub, 'alice', 'wonderland')).access_token];
    assert.equal((await call(hub, 'POST', '/_matrix/client/v3/logout/all', {}, tokens[0])).status, 200);
    for (const t of tokens) assert.equal((await whoami(t)).body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal((await whoami(bob.access_token)).status, 200);
    assert.equal((await hub.store.devices.listDevices('@alice:hub.test')).length, 0);
  });
});

describe('client-server API §"Refreshing access tokens" and §"Soft logout"', () => {
  it('a refreshable login expires after the configured lifetime with 401 M_UNKNOWN_TOKEN soft_logout: true', async () => {
    const session = await loginOk(hub, 'alice', 'wonderland', { refresh_token: true });
    assert.equal(session.expires_in_ms, LIFETIME);
    assert.equal(typeof session.refresh_token, 'string');
    assert.equal((await whoami(session.access_token)).status, 200);
    clock.advance(LIFETIME);
    const expired = await whoami(session.access_token);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal(expired.body.soft_logout, true);
    // The refresh token does not expire: the same device gets a new access token.
    const refreshed = await createSpecClient(hub.clientUrl).post('/_matrix/client/v3/refresh', { refresh_token: session.refresh_token });
    assert.equal((await whoami(refreshed.body.access_token)).body.device_id, session.device_id);
  });

  it('POST /refresh rotates both tokens; the old pair works until the new access token is used', async () => {
    const session = await loginOk(hub, 'alice', 'wonderland', { refresh_token: true });
    const res = await createSpecClient(hub.clientUrl).post('/_matrix/client/v3/refresh', { refresh_token: session.refresh_token });
    assert.equal(res.body.expires_in_ms, LIFETIME);
    assert.notEqual(res.body.access_token, session.access_token);
    assert.notEqual(res.body.refresh_token, session.refresh_token);
    assert.equal((await whoami(session.access_token)).status, 200, 'not yet revoked: the new tokens may have been lost');
    assert.equal((await whoami(res.body.access_token)).status, 200);
    assert.equal((await whoami(session.access_token)).body.errcode, 'M_UNKNOWN_TOKEN', 'revoked once the new token was used');
    const reused = await call(hub, 'POST', '/_matrix/client/v3/refresh', { refresh_token: session.refresh_token });
    assert.equal(reused.status, 401);
    assert.equal(reused.body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal((await call(hub, 'POST', '/_matrix/client/v3/refresh', { refresh_token: res.body.refresh_token })).status, 200);
  });

  it('401 M_UNKNOWN_TOKEN for an unknown refresh token; 400 M_INVALID_PARAM without one', async () => {
    const res = await call(hub, 'POST', '/_matrix/client/v3/refresh', { refresh_token: 'hthr_nonsense' });
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal((await call(hub, 'POST', '/_matrix/client/v3/refresh', {})).body.errcode, 'M_INVALID_PARAM');
  });

  it('tokens from a login without refresh_token never expire', async () => {
    const session = await loginOk(hub, 'alice', 'wonderland');
    assert.equal('expires_in_ms' in session, false);
    clock.advance(365 * 24 * 3_600_000);
    assert.equal((await whoami(session.access_token)).status, 200);
  });
});

describe('client-server API §"Login" m.login.token and POST /login/get_token (v1.7)', () => {
  it('get_token needs m.login.password every time; the token logs in once, as the same user', async () => {
    const alice = await loginOk(hub, 'alice', 'wonderland');
    const first = await call(hub, 'POST', '/_matrix/client/v1/login/get_token', {}, alice.access_token);
    assert.equal(first.status, 401);
    assert.deepEqual(first.body.flows, [{ stages: ['m.login.password'] }]);
    const res = await createSpecClient(hub.clientUrl, alice.access_token).post('/_matrix/client/v1/login/get_token', { auth: passwordAuth('alice', 'wonderland', first.body.session) });
    assert.equal(res.body.expires_in_ms, 120_000);
    const loggedIn = await call(hub, 'POST', '/_matrix/client/v3/login', { type: 'm.login.token', token: res.body.login_token });
    assert.equal(loggedIn.status, 200);
    assert.equal(loggedIn.body.user_id, '@alice:hub.test');
    assert.notEqual(loggedIn.body.device_id, alice.device_id);
    const again = await call(hub, 'POST', '/_matrix/client/v3/login', { type: 'm.login.token', token: res.body.login_token });
    assert.equal(again.status, 403);
    assert.equal(again.body.errcode, 'M_FORBIDDEN');
  });

  it('a login token expires after two minutes (403 M_FORBIDDEN)', async () => {
    const alice = await loginOk(hub, 'alice', 'wonderland');
    const first = await call(hub, 'POST', '/_matrix/client/v1/login/get_token', {}, alice.access_token);
    const res = await call(hub, 'POST', '/_matrix/client/v1/login/get_token', { auth: passwordAuth('alice', 'wonderland', first.body.session) }, alice.access_token);
    clock.advance(120_000);
    const late = await call(hub, 'POST', '/_matrix/client/v3/login', { type: 'm.login.token', token: res.body.login_token });
    assert.equal(late.status, 403);
    assert.equal(late.body.errcode, 'M_FORBIDDEN');
  });
});
