/** Client-server API §"Profiles" (GET /profile/{userId}, GET/PUT displayname and avatar_url), over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { createSpecClient } from './support/spec-client.js';
import { call, loginOk, register } from './support/accounts.js';
import { createAccounts } from '../src/accounts/accounts.js';
import type { ProfileChange } from '../src/accounts/hooks.js';

const ALICE = '%40alice%3Ahub.test';
let hub: TestHub;
let alice: { access_token: string };
let bob: { access_token: string };
const changes: Array<[string, ProfileChange]> = [];
before(async () => {
  hub = await startTestHub({ registration: 'open', serverName: 'hub.test' });
  hub.hs.services.onProfileChange = async (userId, profile) => { changes.push([userId, profile]); };
  alice = await register(hub, 'alice', 'pw');
  bob = await register(hub, 'bob', 'pw');
});
after(async () => { await hub.stop(); });

describe('client-server API §"Profiles" GET', () => {
  it('GET /profile/{userId} needs no token and returns the default display name', async () => {
    assert.deepEqual((await createSpecClient(hub.clientUrl).get(`/_matrix/client/v3/profile/${ALICE}`)).body, { displayname: 'alice' });
    assert.deepEqual((await createSpecClient(hub.clientUrl).get(`/_matrix/client/v3/profile/${ALICE}/displayname`)).body, { displayname: 'alice' });
  });

  it('404 M_NOT_FOUND for an unknown user, and for a field that is not set', async () => {
    for (const path of ['/_matrix/client/v3/profile/%40nobody%3Ahub.test', '/_matrix/client/v3/profile/%40nobody%3Ahub.test/displayname', `/_matrix/client/v3/profile/${ALICE}/avatar_url`]) {
      const res = await call(hub, 'GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.errcode, 'M_NOT_FOUND', path);
    }
  });
});

describe('client-server API §"Profiles" PUT', () => {
  it('sets the display name and avatar URL; GET returns them; the onProfileChange hook hears both fields', async () => {
    const client = createSpecClient(hub.clientUrl, alice.access_token);
    changes.length = 0;
    assert.deepEqual((await client.put(`/_matrix/client/v3/profile/${ALICE}/displayname`, { displayname: 'Alice W.' })).body, {});
    await client.put(`/_matrix/client/v3/profile/${ALICE}/avatar_url`, { avatar_url: 'mxc://hub.test/abc' });
    assert.deepEqual((await client.get(`/_matrix/client/v3/profile/${ALICE}`)).body, { displayname: 'Alice W.', avatar_url: 'mxc://hub.test/abc' });
    assert.deepEqual((await client.get(`/_matrix/client/v3/profile/${ALICE}/avatar_url`)).body, { avatar_url: 'mxc://hub.test/abc' });
    assert.deepEqual(changes, [
      ['@alice:hub.test', { displayname: 'Alice W.', avatar_url: null }],
      ['@alice:hub.test', { displayname: 'Alice W.', avatar_url: 'mxc://hub.test/abc' }],
    ]);
  });

  it('an empty string clears a field', async () => {
    await call(hub, 'PUT', `/_matrix/client/v3/profile/${ALICE}/avatar_url`, { avatar_url: '' }, alice.access_token);
    assert.equal((await call(hub, 'GET', `/_matrix/client/v3/profile/${ALICE}/avatar_url`)).status, 404);
  });

  it('403 M_FORBIDDEN on another user\'s profile, which stays unchanged', async () => {
    const res = await call(hub, 'PUT', `/_matrix/client/v3/profile/${ALICE}/displayname`, { displayname: 'Hacked' }, bob.access_token);
    assert.equal(res.status, 403);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
    assert.equal((await call(hub, 'GET', `/_matrix/client/v3/profile/${ALICE}/displayname`)).body.displayname, 'Alice W.');
  });

  it('a server admin may set a local user\'s profile (as Synapse); an unknown user is then 404', async () => {
    await createAccounts({ store: hub.store, serverName: 'hub.test', now: Date.now }).createUser({ localpart: 'root', password: 'pw', admin: true });
    const root = await loginOk(hub, 'root', 'pw');
    const res = await call(hub, 'PUT', '/_matrix/client/v3/profile/%40bob%3Ahub.test/displayname', { displayname: 'Robert' }, root.access_token);
    assert.equal(res.status, 200);
    assert.equal((await hub.store.profiles.get('@bob:hub.test'))?.displayname, 'Robert');
    const ghost = await call(hub, 'PUT', '/_matrix/client/v3/profile/%40ghost%3Ahub.test/displayname', { displayname: 'Boo' }, root.access_token);
    assert.equal(ghost.status, 404);
  });

  it('400 M_MISSING_PARAM without the field, 400 M_INVALID_PARAM for a non-string or an over-long value', async () => {
    const path = `/_matrix/client/v3/profile/${ALICE}/displayname`;
    assert.equal((await call(hub, 'PUT', path, {}, alice.access_token)).body.errcode, 'M_MISSING_PARAM');
    assert.equal((await call(hub, 'PUT', path, { displayname: 42 }, alice.access_token)).body.errcode, 'M_INVALID_PARAM');
    assert.equal((await call(hub, 'PUT', path, { displayname: 'x'.repeat(257) }, alice.access_token)).body.errcode, 'M_INVALID_PARAM');
  });

  it('PUT needs an access token (401 M_MISSING_TOKEN)', async () => {
    const res = await call(hub, 'PUT', `/_matrix/client/v3/profile/${ALICE}/displayname`, { displayname: 'x' });
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_MISSING_TOKEN');
  });
});
