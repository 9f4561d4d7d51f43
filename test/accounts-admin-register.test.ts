/** Synapse's shared-secret registration (`/_synapse/admin/v1/register`, used by register_new_matrix_user), over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startTestHub, type TestHub } from './support/hub.js';
import { call, fakeClock, loginOk } from './support/accounts.js';

const PATH = '/_synapse/admin/v1/register';
const SECRET = 'correct horse battery staple';

/** The MAC exactly as Synapse documents it, computed here independently of the server's code. */
function mac(nonce: string, user: string, password: string, admin: boolean, secret = SECRET): string {
  return createHmac('sha1', secret).update(`${nonce}\0${user}\0${password}\0${admin ? 'admin' : 'notadmin'}`).digest('hex');
}

describe('shared-secret registration POST /_synapse/admin/v1/register', () => {
  const clock = fakeClock();
  let hub: TestHub;
  before(async () => { hub = await startTestHub({ registrationSharedSecret: SECRET, serverName: 'hub.test' }, { now: clock.now }); });
  after(async () => { await hub.stop(); });

  const nonce = async (): Promise<string> => (await call(hub, 'GET', PATH)).body.nonce;

  it('registers an admin with a correct MAC, even with registration closed, and logs it in', async () => {
    const n = await nonce();
    const res = await call(hub, 'POST', PATH, { nonce: n, username: 'root', password: 'pw', admin: true, displayname: 'Root', mac: mac(n, 'root', 'pw', true) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user_id, '@root:hub.test');
    assert.equal(res.body.home_server, 'hub.test');
    assert.equal((await call(hub, 'GET', '/_matrix/client/v3/account/whoami', undefined, res.body.access_token)).body.user_id, '@root:hub.test');
    assert.equal((await hub.store.accounts.getUser('@root:hub.test'))?.admin, true);
    assert.equal((await hub.store.profiles.get('@root:hub.test'))?.displayname, 'Root');
    await loginOk(hub, 'root', 'pw');
  });

  it('notadmin registers a normal user', async () => {
    const n = await nonce();
    const res = await call(hub, 'POST', PATH, { nonce: n, username: 'plain', password: 'pw', admin: false, mac: mac(n, 'plain', 'pw', false) });
    assert.equal(res.status, 200);
    assert.equal((await hub.store.accounts.getUser('@plain:hub.test'))?.admin, false);
  });

  it('403 M_FORBIDDEN for a wrong MAC (wrong secret, or admin flipped); nothing is registered and the nonce is spent', async () => {
    const n = await nonce();
    const wrong = await call(hub, 'POST', PATH, { nonce: n, username: 'evil', password: 'pw', admin: true, mac: mac(n, 'evil', 'pw', true, 'guess') });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.errcode, 'M_FORBIDDEN');
    const retry = await call(hub, 'POST', PATH, { nonce: n, username: 'evil', password: 'pw', admin: true, mac: mac(n, 'evil', 'pw', true) });
    assert.equal(retry.status, 400, 'the nonce was used up by the failed attempt');
    const n2 = await nonce();
    const flipped = await call(hub, 'POST', PATH, { nonce: n2, username: 'evil', password: 'pw', admin: true, mac: mac(n2, 'evil', 'pw', false) });
    assert.equal(flipped.status, 403);
    assert.equal(await hub.store.accounts.getUser('@evil:hub.test'), undefined);
  });

  it('a nonce works once and for one minute', async () => {
    const n = await nonce();
    assert.equal((await call(hub, 'POST', PATH, { nonce: n, username: 'once', password: 'pw', mac: mac(n, 'once', 'pw', false) })).status, 200);
    assert.equal((await call(hub, 'POST', PATH, { nonce: n, username: 'twice', password: 'pw', mac: mac(n, 'twice', 'pw', false) })).status, 400);
    const old = await nonce();
    clock.advance(60_000);
    assert.equal((await call(hub, 'POST', PATH, { nonce: old, username: 'stale', password: 'pw', mac: mac(old, 'stale', 'pw', false) })).status, 400);
  });

  it('the username rules of registration apply (M_USER_IN_USE, M_INVALID_USERNAME)', async () => {
    let n = await nonce();
    const taken = await call(hub, 'POST', PATH, { nonce: n, username: 'root', password: 'pw', mac: mac(n, 'root', 'pw', false) });
    assert.equal(taken.body.errcode, 'M_USER_IN_USE');
    n = await nonce();
    const invalid = await call(hub, 'POST', PATH, { nonce: n, username: 'no way', password: 'pw', mac: mac(n, 'no way', 'pw', false) });
    assert.equal(invalid.body.errcode, 'M_INVALID_USERNAME');
  });
});

describe('shared-secret registration without --registration-shared-secret', () => {
  let hub: TestHub;
  before(async () => { hub = await startTestHub(); });
  after(async () => { await hub.stop(); });

  it('GET and POST answer 400: shared-secret registration is not enabled', async () => {
    assert.equal((await call(hub, 'GET', PATH)).status, 400);
    const res = await call(hub, 'POST', PATH, { nonce: 'x', username: 'a', password: 'b', mac: 'c' });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /not enabled/);
  });
});
