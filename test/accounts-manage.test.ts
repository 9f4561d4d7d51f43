/** Client-server API §"Password management", §"Account deactivation" and §"Adding Account Administrative Contact Information", over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { validateResponse } from './support/openapi.js';
import { call, login, loginOk, passwordAuth, register, withPasswordUia } from './support/accounts.js';

const PASSWORD = '/_matrix/client/v3/account/password';
const DEACTIVATE = '/_matrix/client/v3/account/deactivate';
const WHOAMI = '/_matrix/client/v3/account/whoami';

let hub: TestHub;
before(async () => { hub = await startTestHub({ registration: 'open', serverName: 'hub.test' }); });
after(async () => { await hub.stop(); });

describe('client-server API §"Password management" POST /account/password', () => {
  it('asks for m.login.password; a wrong password is 401 M_FORBIDDEN with the same session', async () => {
    const me = await register(hub, 'pat', 'old-pw');
    const first = await call(hub, 'POST', PASSWORD, { new_password: 'new-pw' }, me.access_token);
    assert.equal(first.status, 401);
    assert.deepEqual(first.body.flows, [{ stages: ['m.login.password'] }]);
    const v = validateResponse('POST', PASSWORD, 401, first.body);
    assert.ok(v.ok, v.errors.join('; '));
    const wrong = await call(hub, 'POST', PASSWORD, { new_password: 'new-pw', auth: passwordAuth('pat', 'guess', first.body.session) }, me.access_token);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.errcode, 'M_FORBIDDEN');
    assert.equal(wrong.body.session, first.body.session);
    assert.equal((await loginOk(hub, 'pat', 'old-pw')).user_id, '@pat:hub.test', 'unchanged after a failed attempt');
  });

  it('changes the password: the old one fails afterwards, other devices are logged out, this one stays', async () => {
    const me = await register(hub, 'quinn', 'old-pw');
    const other = await loginOk(hub, 'quinn', 'old-pw');
    const res = await withPasswordUia(hub, 'POST', PASSWORD, { new_password: 'new-pw' }, me.access_token, 'quinn', 'old-pw');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {});
    assert.equal((await login(hub, 'quinn', 'old-pw')).body.errcode, 'M_FORBIDDEN');
    await loginOk(hub, 'quinn', 'new-pw');
    assert.equal((await call(hub, 'GET', WHOAMI, undefined, other.access_token)).body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal((await call(hub, 'GET', WHOAMI, undefined, me.access_token)).status, 200);
    assert.equal((await hub.store.devices.getDevice('@quinn:hub.test', other.device_id)), undefined, 'the other device is deleted');
  });

  it('logout_devices: false keeps the other devices', async () => {
    const me = await register(hub, 'rita', 'old-pw');
    const other = await loginOk(hub, 'rita', 'old-pw');
    const res = await withPasswordUia(hub, 'POST', PASSWORD, { new_password: 'new-pw', logout_devices: false }, me.access_token, 'rita', 'old-pw');
    assert.equal(res.status, 200);
    assert.equal((await call(hub, 'GET', WHOAMI, undefined, other.access_token)).status, 200);
  });

  it('the m.login.password stage must name the caller: another user\'s password is refused', async () => {
    const me = await register(hub, 'sam', 'pw-sam');
    await register(hub, 'tess', 'pw-tess');
    const first = await call(hub, 'POST', PASSWORD, { new_password: 'x' }, me.access_token);
    const res = await call(hub, 'POST', PASSWORD, { new_password: 'x', auth: passwordAuth('tess', 'pw-tess', first.body.session) }, me.access_token);
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
  });

  it('a UIA session belongs to one operation: using it for deactivation is 403', async () => {
    const me = await register(hub, 'uma', 'pw');
    const first = await call(hub, 'POST', PASSWORD, { new_password: 'x' }, me.access_token);
    const res = await call(hub, 'POST', DEACTIVATE, { auth: passwordAuth('uma', 'pw', first.body.session) }, me.access_token);
    assert.equal(res.status, 403);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
    assert.equal((await call(hub, 'GET', WHOAMI, undefined, me.access_token)).status, 200, 'not deactivated');
  });
});

describe('client-server API §"Account deactivation" POST /account/deactivate', () => {
  it('deactivates after m.login.password: tokens die, login says M_USER_DEACTIVATED, the hooks run', async () => {
    const me = await register(hub, 'vic', 'pw');
    const other = await loginOk(hub, 'vic', 'pw');
    const deactivated: string[] = [];
    const devicesDeleted: string[][] = [];
    hub.hs.services.onDeactivate = async (userId) => { deactivated.push(userId); };
    hub.hs.services.onDevicesDeleted = async (_userId, ids) => { devicesDeleted.push([...ids].sort()); };
    try {
      const res = await withPasswordUia(hub, 'POST', DEACTIVATE, {}, me.access_token, 'vic', 'pw');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { id_server_unbind_result: 'success' });
    } finally {
      delete hub.hs.services.onDeactivate;
      delete hub.hs.services.onDevicesDeleted;
    }
    assert.deepEqual(deactivated, ['@vic:hub.test']);
    assert.deepEqual(devicesDeleted, [[me.device_id, other.device_id].sort()]);
    for (const t of [me.access_token, other.access_token]) assert.equal((await call(hub, 'GET', WHOAMI, undefined, t)).body.errcode, 'M_UNKNOWN_TOKEN');
    const again = await login(hub, 'vic', 'pw');
    assert.equal(again.status, 403);
    assert.equal(again.body.errcode, 'M_USER_DEACTIVATED');
  });

  it('erase: true also clears the profile', async () => {
    const me = await register(hub, 'wes', 'pw');
    const res = await withPasswordUia(hub, 'POST', DEACTIVATE, { erase: true }, me.access_token, 'wes', 'pw');
    assert.equal(res.status, 200);
    assert.deepEqual(await hub.store.profiles.get('@wes:hub.test'), { displayname: null, avatarUrl: null });
  });

  it('a failing onDeactivate hook is logged, and the account is still deactivated', async () => {
    const me = await register(hub, 'xan', 'pw');
    hub.hs.services.onDeactivate = async () => { throw new Error('room service down'); };
    try {
      assert.equal((await withPasswordUia(hub, 'POST', DEACTIVATE, {}, me.access_token, 'xan', 'pw')).status, 200);
    } finally {
      delete hub.hs.services.onDeactivate;
    }
    assert.equal((await hub.store.accounts.getUser('@xan:hub.test'))?.deactivated, true);
  });
});

describe('client-server API §"Adding Account Administrative Contact Information" (no 3PIDs kept)', () => {
  let token: string;
  before(async () => { token = (await register(hub, 'yuri', 'pw')).access_token; });

  it('GET /account/3pid lists none', async () => {
    const res = await call(hub, 'GET', '/_matrix/client/v3/account/3pid', undefined, token);
    assert.deepEqual(res.body, { threepids: [] });
  });

  it('requestToken for registration or a new contact is 403 M_THREEPID_DENIED', async () => {
    const email = { client_secret: 'c', email: 'a@b.c', send_attempt: 1 };
    const msisdn = { client_secret: 'c', country: 'GB', phone_number: '07700900000', send_attempt: 1 };
    for (const [path, body] of [
      ['/_matrix/client/v3/register/email/requestToken', email], ['/_matrix/client/v3/register/msisdn/requestToken', msisdn],
      ['/_matrix/client/v3/account/3pid/email/requestToken', email], ['/_matrix/client/v3/account/3pid/msisdn/requestToken', msisdn],
    ] as const) {
      const res = await call(hub, 'POST', path, body);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.errcode, 'M_THREEPID_DENIED', path);
    }
  });

  it('requestToken for a password reset is 400 M_THREEPID_NOT_FOUND', async () => {
    const res = await call(hub, 'POST', '/_matrix/client/v3/account/password/email/requestToken', { client_secret: 'c', email: 'a@b.c', send_attempt: 1 });
    assert.equal(res.status, 400);
    assert.equal(res.body.errcode, 'M_THREEPID_NOT_FOUND');
  });

  it('3pid/add passes user-interactive auth, then finds no validated session (400 M_THREEPID_AUTH_FAILED)', async () => {
    const res = await withPasswordUia(hub, 'POST', '/_matrix/client/v3/account/3pid/add', { client_secret: 'c', sid: 's' }, token, 'yuri', 'pw');
    assert.equal(res.status, 400);
    assert.equal(res.body.errcode, 'M_THREEPID_AUTH_FAILED');
  });

  it('3pid/delete and 3pid/unbind answer no-support; 3pid/bind is 403 M_THREEPID_DENIED', async () => {
    for (const path of ['/_matrix/client/v3/account/3pid/delete', '/_matrix/client/v3/account/3pid/unbind']) {
      const res = await call(hub, 'POST', path, { medium: 'email', address: 'a@b.c' }, token);
      assert.deepEqual(res.body, { id_server_unbind_result: 'no-support' }, path);
    }
    const bind = await call(hub, 'POST', '/_matrix/client/v3/account/3pid/bind', { client_secret: 'c', id_server: 'id.test', id_access_token: 't', sid: 's' }, token);
    assert.equal(bind.status, 403);
    assert.equal(bind.body.errcode, 'M_THREEPID_DENIED');
  });
});
