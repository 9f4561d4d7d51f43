/** Client-server API §"Account registration" and §"User-Interactive Authentication API", over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { validateResponse } from './support/openapi.js';
import { createSpecClient } from './support/spec-client.js';
import { call, loginOk, register } from './support/accounts.js';

const REGISTER = '/_matrix/client/v3/register';
const VALIDITY = '/_matrix/client/v1/register/m.login.registration_token/validity';

describe('client-server API §"Account registration" with --registration open (m.login.dummy)', () => {
  let hub: TestHub;
  before(async () => { hub = await startTestHub({ registration: 'open', serverName: 'hub.test' }); });
  after(async () => { await hub.stop(); });

  it('§"User-interactive API in the REST API": a request without auth gets 401 {flows, params, session, completed} and no errcode', async () => {
    const res = await call(hub, 'POST', REGISTER, { username: 'shape', password: 'pw' });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body.flows, [{ stages: ['m.login.dummy'] }]);
    assert.deepEqual(res.body.params, {});
    assert.deepEqual(res.body.completed, []);
    assert.equal(typeof res.body.session, 'string');
    assert.equal('errcode' in res.body, false);
    const v = validateResponse('POST', REGISTER, 401, res.body);
    assert.ok(v.ok, v.errors.join('; '));
  });

  it('completing m.login.dummy registers the user, logs in a device, and the token works', async () => {
    const body = await register(hub, 'Alice', 'secret-pw', { initial_device_display_name: 'Jungle Phone' });
    assert.equal(body.user_id, '@alice:hub.test', 'the username is lower-cased');
    assert.equal(body.home_server, 'hub.test');
    assert.match(body.device_id, /^[A-Z]{10}$/);
    assert.equal(typeof body.access_token, 'string');
    assert.equal('refresh_token' in body, false);
    assert.equal('expires_in_ms' in body, false);
    const whoami = await createSpecClient(hub.clientUrl, body.access_token).get('/_matrix/client/v3/account/whoami');
    assert.deepEqual(whoami.body, { user_id: '@alice:hub.test', device_id: body.device_id, is_guest: false });
    const devices = await createSpecClient(hub.clientUrl, body.access_token).get('/_matrix/client/v3/devices');
    assert.equal(devices.body.devices[0].display_name, 'Jungle Phone');
  });

  it('a new user gets their localpart as display name, as Synapse does', async () => {
    await register(hub, 'dora', 'pw');
    const res = await createSpecClient(hub.clientUrl).get('/_matrix/client/v3/profile/%40dora%3Ahub.test');
    assert.deepEqual(res.body, { displayname: 'dora' });
  });

  it('the password may be sent only with the first request (its hash is kept in the session)', async () => {
    const first = await call(hub, 'POST', REGISTER, { username: 'early', password: 'only-once' });
    const done = await call(hub, 'POST', REGISTER, { auth: { type: 'm.login.dummy', session: first.body.session } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.user_id, '@early:hub.test', 'the stored username is used too');
    await loginOk(hub, 'early', 'only-once');
  });

  it('400 M_MISSING_PARAM when no password was ever given', async () => {
    const first = await call(hub, 'POST', REGISTER, { username: 'nopass' });
    const done = await call(hub, 'POST', REGISTER, { username: 'nopass', auth: { type: 'm.login.dummy', session: first.body.session } });
    assert.equal(done.status, 400);
    assert.equal(done.body.errcode, 'M_MISSING_PARAM');
  });

  it('400 M_USER_IN_USE before user-interactive auth (no session) when the username is taken', async () => {
    await register(hub, 'taken', 'pw');
    const res = await call(hub, 'POST', REGISTER, { username: 'TAKEN', password: 'pw' });
    assert.equal(res.status, 400);
    assert.equal(res.body.errcode, 'M_USER_IN_USE');
    assert.equal('session' in res.body, false);
  });

  for (const [username, why] of [['bad name', 'a space'], ['_reserved', 'a leading underscore'], ['12345', 'all digits (reserved for generated ids)'], ['', 'empty'], ['x'.repeat(250), 'over 255 bytes as a user id']]) {
    it(`400 M_INVALID_USERNAME for ${why}`, async () => {
      const res = await call(hub, 'POST', REGISTER, { username, password: 'pw' });
      assert.equal(res.status, 400);
      assert.equal(res.body.errcode, 'M_INVALID_USERNAME');
    });
  }

  it('without a username the server generates a numeric localpart (as Synapse)', async () => {
    const first = await call(hub, 'POST', REGISTER, { password: 'pw' });
    const a = await call(hub, 'POST', REGISTER, { password: 'pw', auth: { type: 'm.login.dummy', session: first.body.session } });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.match(a.body.user_id, /^@\d+:hub\.test$/);
    const second = await call(hub, 'POST', REGISTER, { password: 'pw' });
    const b = await call(hub, 'POST', REGISTER, { password: 'pw', auth: { type: 'm.login.dummy', session: second.body.session } });
    assert.equal(Number(b.body.user_id.slice(1).split(':')[0]), Number(a.body.user_id.slice(1).split(':')[0]) + 1);
  });

  it('inhibit_login returns only user_id (and the deprecated home_server)', async () => {
    const body = await register(hub, 'quiet', 'pw', { inhibit_login: true });
    assert.deepEqual(body, { user_id: '@quiet:hub.test', home_server: 'hub.test' });
  });

  it('device_id is used as given; refresh_token: true adds refresh_token and expires_in_ms', async () => {
    const body = await register(hub, 'fresh', 'pw', { device_id: 'MYDEVICE', refresh_token: true });
    assert.equal(body.device_id, 'MYDEVICE');
    assert.equal(typeof body.refresh_token, 'string');
    assert.equal(body.expires_in_ms, 5 * 60_000);
  });

  it('a stage outside the offered flows is refused with 401, an errcode, and the flows again', async () => {
    const first = await call(hub, 'POST', REGISTER, { username: 'stagey', password: 'pw' });
    const res = await call(hub, 'POST', REGISTER, { auth: { type: 'm.login.registration_token', token: 'x', session: first.body.session } });
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
    assert.deepEqual(res.body.flows, [{ stages: ['m.login.dummy'] }]);
    assert.equal(res.body.session, first.body.session);
  });

  it('an unknown session is 400, and a finished session cannot register a second account', async () => {
    const unknown = await call(hub, 'POST', REGISTER, { username: 'ghost', password: 'pw', auth: { type: 'm.login.dummy', session: 'nope' } });
    assert.equal(unknown.status, 400);
    const first = await call(hub, 'POST', REGISTER, { username: 'once', password: 'pw' });
    const ok = await call(hub, 'POST', REGISTER, { username: 'once', password: 'pw', auth: { type: 'm.login.dummy', session: first.body.session } });
    assert.equal(ok.status, 200);
    const again = await call(hub, 'POST', REGISTER, { username: 'twice', password: 'pw', auth: { type: 'm.login.dummy', session: first.body.session } });
    assert.equal(again.status, 400);
  });

  it('400 M_UNRECOGNIZED for an unknown kind; 400 M_NOT_JSON without a body', async () => {
    const res = await call(hub, 'POST', `${REGISTER}?kind=robot`, {});
    assert.equal(res.status, 400);
    assert.equal(res.body.errcode, 'M_UNRECOGNIZED');
    assert.equal((await call(hub, 'POST', REGISTER)).body.errcode, 'M_NOT_JSON');
  });

  it('GET /register/available: true when free, M_USER_IN_USE when taken, M_INVALID_USERNAME when invalid', async () => {
    const free = await createSpecClient(hub.clientUrl).get('/_matrix/client/v3/register/available?username=newbie');
    assert.deepEqual(free.body, { available: true });
    await register(hub, 'occupied', 'pw');
    const taken = await call(hub, 'GET', '/_matrix/client/v3/register/available?username=occupied');
    assert.equal(taken.status, 400);
    assert.equal(taken.body.errcode, 'M_USER_IN_USE');
    const invalid = await call(hub, 'GET', '/_matrix/client/v3/register/available?username=no%20way');
    assert.equal(invalid.body.errcode, 'M_INVALID_USERNAME');
  });

  it('guest registration is 403 M_FORBIDDEN while --allow-guests is off', async () => {
    const res = await call(hub, 'POST', `${REGISTER}?kind=guest`, {});
    assert.equal(res.status, 403);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
  });
});

describe('client-server API §"Token-authenticated registration" with --registration token', () => {
  let hub: TestHub;
  before(async () => { hub = await startTestHub({ registration: 'token', serverName: 'hub.test' }); });
  after(async () => { await hub.stop(); });

  async function registerWithToken(username: string, token: string) {
    const first = await call(hub, 'POST', REGISTER, { username, password: 'pw' });
    assert.equal(first.status, 401);
    const tokenStage = await call(hub, 'POST', REGISTER, { auth: { type: 'm.login.registration_token', token, session: first.body.session } });
    if (tokenStage.status !== 401 || tokenStage.body.errcode !== undefined) return tokenStage;
    assert.deepEqual(tokenStage.body.completed, ['m.login.registration_token']);
    return call(hub, 'POST', REGISTER, { auth: { type: 'm.login.dummy', session: first.body.session } });
  }

  it('offers Synapse\'s flow: m.login.registration_token then m.login.dummy', async () => {
    const res = await call(hub, 'POST', REGISTER, { username: 'flows', password: 'pw' });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body.flows, [{ stages: ['m.login.registration_token', 'm.login.dummy'] }]);
  });

  it('a token of two uses registers two users and is then exhausted; /validity follows it', async () => {
    await hub.store.registrationTokens.add({ token: 'twice', usesAllowed: 2, expiryTime: null });
    assert.deepEqual((await createSpecClient(hub.clientUrl).get(`${VALIDITY}?token=twice`)).body, { valid: true });
    for (const name of ['first', 'second']) {
      const res = await registerWithToken(name, 'twice');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.user_id, `@${name}:hub.test`);
    }
    assert.equal((await hub.store.registrationTokens.get('twice'))?.completed, 2);
    assert.deepEqual((await call(hub, 'GET', `${VALIDITY}?token=twice`)).body, { valid: false });
    const third = await registerWithToken('third', 'twice');
    assert.equal(third.status, 401);
    assert.equal(third.body.errcode, 'M_UNAUTHORIZED');
    assert.deepEqual(third.body.completed, []);
    assert.equal(await hub.store.accounts.getUser('@third:hub.test'), undefined);
  });

  it('an unknown token fails the stage with 401 M_UNAUTHORIZED and the same session', async () => {
    const res = await registerWithToken('nobody', 'no-such-token');
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_UNAUTHORIZED');
    assert.equal(typeof res.body.session, 'string');
    assert.deepEqual((await call(hub, 'GET', `${VALIDITY}?token=no-such-token`)).body, { valid: false });
  });

  it('the token is consumed only when registration completes, so a use taken meanwhile fails the late one', async () => {
    await hub.store.registrationTokens.add({ token: 'single', usesAllowed: 1, expiryTime: null });
    const slow = await call(hub, 'POST', REGISTER, { username: 'slow', password: 'pw' });
    const stage = await call(hub, 'POST', REGISTER, { auth: { type: 'm.login.registration_token', token: 'single', session: slow.body.session } });
    assert.deepEqual(stage.body.completed, ['m.login.registration_token']);
    assert.equal((await hub.store.registrationTokens.get('single'))?.completed, 0, 'not consumed by the stage');
    assert.equal((await registerWithToken('quick', 'single')).status, 200);
    const late = await call(hub, 'POST', REGISTER, { auth: { type: 'm.login.dummy', session: slow.body.session } });
    assert.equal(late.status, 401);
    assert.equal(late.body.errcode, 'M_UNAUTHORIZED');
    assert.deepEqual(late.body.completed, [], 'the token stage is taken back');
    assert.equal((await hub.store.registrationTokens.get('single'))?.completed, 1);
  });

  it('a stage may open the session (auth without a session key, as matrix-nio sends it)', async () => {
    await hub.store.registrationTokens.add({ token: 'nio', usesAllowed: null, expiryTime: null });
    const first = await call(hub, 'POST', REGISTER, { username: 'niouser', password: 'pw', auth: { type: 'm.login.registration_token', token: 'nio' } });
    assert.equal(first.status, 401);
    assert.deepEqual(first.body.completed, ['m.login.registration_token']);
    const done = await call(hub, 'POST', REGISTER, { username: 'niouser', password: 'pw', auth: { type: 'm.login.dummy', session: first.body.session } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
  });

  it('the stages must follow the flow\'s order: m.login.dummy first is refused', async () => {
    const first = await call(hub, 'POST', REGISTER, { username: 'hasty', password: 'pw' });
    const res = await call(hub, 'POST', REGISTER, { auth: { type: 'm.login.dummy', session: first.body.session } });
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
    assert.deepEqual(res.body.completed, []);
  });

  it('an expired token is invalid', async () => {
    await hub.store.registrationTokens.add({ token: 'old', usesAllowed: null, expiryTime: 1 });
    assert.deepEqual((await call(hub, 'GET', `${VALIDITY}?token=old`)).body, { valid: false });
    assert.equal((await registerWithToken('late', 'old')).body.errcode, 'M_UNAUTHORIZED');
  });
});

describe('client-server API §"Account registration" with --registration closed', () => {
  let hub: TestHub;
  before(async () => { hub = await startTestHub({ allowGuests: true, serverName: 'hub.test' }); });
  after(async () => { await hub.stop(); });

  it('POST /register, /register/available and the token /validity are 403 M_FORBIDDEN', async () => {
    for (const res of [
      await call(hub, 'POST', REGISTER, { username: 'x', password: 'pw' }),
      await call(hub, 'GET', '/_matrix/client/v3/register/available?username=x'),
      await call(hub, 'GET', `${VALIDITY}?token=x`),
    ]) {
      assert.equal(res.status, 403);
      assert.equal(res.body.errcode, 'M_FORBIDDEN');
    }
  });

  it('guests may still register with --allow-guests on: a numeric guest user with a device and token', async () => {
    const res = await createSpecClient(hub.clientUrl).post(`${REGISTER}?kind=guest`, { username: 'ignored', initial_device_display_name: 'Guest tab' });
    assert.match(res.body.user_id, /^@\d+:hub\.test$/);
    const whoami = await createSpecClient(hub.clientUrl, res.body.access_token).get('/_matrix/client/v3/account/whoami');
    assert.equal(whoami.body.is_guest, true);
    assert.equal(whoami.body.device_id, res.body.device_id);
  });
});
