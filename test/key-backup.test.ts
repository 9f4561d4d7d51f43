/** Client-Server API §"Server-side key backups" over real HTTP: /room_keys/version[/{version}] and /room_keys/keys[/{roomId}[/{sessionId}]]. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { clientOf } from './support/e2e.js';

const ALG = 'm.megolm_backup.v1.curve25519-aes-sha2';
let hub: TestHub;
let alice: TestUser, bob: TestUser;
const c = (u: TestUser) => clientOf(hub, u);
const enc = encodeURIComponent;
const ROOM = '!room:localhost';
const data = (first: number, forwarded: number, verified: boolean, tag: string) =>
  ({ first_message_index: first, forwarded_count: forwarded, is_verified: verified, session_data: { ephemeral: 'e', ciphertext: tag, mac: 'm' } });

before(async () => {
  hub = await startTestHub();
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
});
after(async () => { await hub.stop(); });

describe('client-server API §"Server-side key backups" /room_keys/version', () => {
  it('GET /room_keys/version without a backup is 404 M_NOT_FOUND', async () => {
    const res = await c(alice).get('/room_keys/version');
    assert.equal(res.status, 404);
    assert.equal(res.body.errcode, 'M_NOT_FOUND');
  });

  it('POST creates versions "1", "2", …; GET shows the newest with count and etag; older versions stay readable', async () => {
    const v1 = await c(alice).post('/room_keys/version', { algorithm: ALG, auth_data: { public_key: 'pk1' } });
    assert.equal(v1.status, 200, JSON.stringify(v1.body));
    assert.deepEqual(v1.body, { version: '1' });
    const v2 = await c(alice).post('/room_keys/version', { algorithm: ALG, auth_data: { public_key: 'pk2' } });
    assert.deepEqual(v2.body, { version: '2' });
    const current = await c(alice).get('/room_keys/version');
    assert.equal(current.status, 200, JSON.stringify(current.body));
    assert.deepEqual(current.body, { algorithm: ALG, auth_data: { public_key: 'pk2' }, count: 0, etag: '0', version: '2' });
    assert.deepEqual((await c(alice).get('/room_keys/version/1')).body.auth_data, { public_key: 'pk1' });
    assert.equal((await c(bob).get('/room_keys/version')).status, 404, 'backups are per user');
    const unknown = await c(alice).get('/room_keys/version/99');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errcode, 'M_NOT_FOUND');
  });

  it('POST without algorithm or auth_data is 400 M_MISSING_PARAM; with wrong types 400 M_BAD_JSON', async () => {
    const missing = await c(alice).post('/room_keys/version', { algorithm: ALG });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errcode, 'M_MISSING_PARAM');
    const bad = await c(alice).post('/room_keys/version', { algorithm: ALG, auth_data: 'x' });
    assert.equal(bad.body.errcode, 'M_BAD_JSON');
  });

  it('PUT /room_keys/version/{version} changes auth_data only: 400 M_INVALID_PARAM for another algorithm or version, 404 for an unknown version', async () => {
    const ok = await c(alice).put('/room_keys/version/2', { algorithm: ALG, auth_data: { public_key: 'pk2b' }, version: '2' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual((await c(alice).get('/room_keys/version/2')).body.auth_data, { public_key: 'pk2b' });
    const alg = await c(alice).put('/room_keys/version/2', { algorithm: 'm.other', auth_data: {} });
    assert.equal(alg.status, 400);
    assert.equal(alg.body.errcode, 'M_INVALID_PARAM');
    const ver = await c(alice).put('/room_keys/version/2', { algorithm: ALG, auth_data: {}, version: '1' });
    assert.equal(ver.status, 400);
    assert.equal(ver.body.errcode, 'M_INVALID_PARAM');
    const unknown = await c(alice).put('/room_keys/version/42', { algorithm: ALG, auth_data: {} });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errcode, 'M_NOT_FOUND');
  });
});

describe('client-server API §"Server-side key backups" /room_keys/keys', () => {
  it('PUT on each level stores keys; GET reads each level; count and etag follow', async () => {
    const one = await c(alice).put(`/room_keys/keys/${enc(ROOM)}/s1?version=2`, data(0, 0, false, 'a'));
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.count, 1);
    const room = await c(alice).put(`/room_keys/keys/${enc(ROOM)}?version=2`, { sessions: { s2: data(1, 0, false, 'b') } });
    assert.equal(room.body.count, 2);
    const all = await c(alice).put('/room_keys/keys?version=2', { rooms: { '!other:localhost': { sessions: { s3: data(0, 0, true, 'c') } } } });
    assert.equal(all.body.count, 3);
    assert.notEqual(all.body.etag, one.body.etag);

    assert.deepEqual((await c(alice).get(`/room_keys/keys/${enc(ROOM)}/s1?version=2`)).body, data(0, 0, false, 'a'));
    assert.deepEqual((await c(alice).get(`/room_keys/keys/${enc(ROOM)}?version=2`)).body, { sessions: { s1: data(0, 0, false, 'a'), s2: data(1, 0, false, 'b') } });
    const everything = await c(alice).get('/room_keys/keys?version=2');
    assert.deepEqual(Object.keys(everything.body.rooms).sort(), ['!other:localhost', ROOM]);
    const info = await c(alice).get('/room_keys/version');
    assert.equal(info.body.count, 3);
    assert.equal(info.body.etag, all.body.etag);
  });

  it('§"Server-side key backups": a worse key for a stored session is not kept, and the etag does not move', async () => {
    const before = (await c(alice).get('/room_keys/version')).body.etag;
    const worse = await c(alice).put(`/room_keys/keys/${enc(ROOM)}/s1?version=2`, data(5, 0, false, 'worse'));
    assert.equal(worse.body.etag, before);
    assert.equal((await c(alice).get(`/room_keys/keys/${enc(ROOM)}/s1?version=2`)).body.session_data.ciphertext, 'a');
    const verified = await c(alice).put(`/room_keys/keys/${enc(ROOM)}/s1?version=2`, data(9, 9, true, 'verified'));
    assert.notEqual(verified.body.etag, before);
    assert.equal((await c(alice).get(`/room_keys/keys/${enc(ROOM)}/s1?version=2`)).body.session_data.ciphertext, 'verified');
  });

  it('writing to an older version is 403 M_WRONG_ROOM_KEYS_VERSION with current_version; an unknown one 404', async () => {
    const old = await c(alice).put(`/room_keys/keys/${enc(ROOM)}/s1?version=1`, data(0, 0, false, 'x'));
    assert.equal(old.status, 403);
    assert.equal(old.body.errcode, 'M_WRONG_ROOM_KEYS_VERSION');
    assert.equal(old.body.current_version, '2');
    const unknown = await c(alice).put(`/room_keys/keys/${enc(ROOM)}/s1?version=7`, data(0, 0, false, 'x'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errcode, 'M_NOT_FOUND');
    const none = await c(bob).put(`/room_keys/keys/${enc(ROOM)}/s1?version=1`, data(0, 0, false, 'x'));
    assert.equal(none.status, 404);
  });

  it('a missing session is 404; a room without keys is an empty `sessions`; a missing version parameter is 400 M_MISSING_PARAM; bad key data 400 M_BAD_JSON', async () => {
    const missing = await c(alice).get(`/room_keys/keys/${enc(ROOM)}/nope?version=2`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errcode, 'M_NOT_FOUND');
    assert.deepEqual((await c(alice).get(`/room_keys/keys/${enc('!empty:localhost')}?version=2`)).body, { sessions: {} });
    const noVersion = await c(alice).get('/room_keys/keys');
    assert.equal(noVersion.status, 400);
    assert.equal(noVersion.body.errcode, 'M_MISSING_PARAM');
    const bad = await c(alice).put(`/room_keys/keys/${enc(ROOM)}/s9?version=2`, { first_message_index: 'zero' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errcode, 'M_BAD_JSON');
    assert.equal((await c(alice).get('/room_keys/keys?version=9')).status, 404);
  });

  it('DELETE on each level removes keys and answers {etag, count}', async () => {
    const s = await c(alice).delete(`/room_keys/keys/${enc(ROOM)}/s1?version=2`);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.count, 2);
    const r = await c(alice).delete(`/room_keys/keys/${enc(ROOM)}?version=2`);
    assert.equal(r.body.count, 1);
    const all = await c(alice).delete('/room_keys/keys?version=2');
    assert.equal(all.body.count, 0);
    assert.equal((await c(alice).delete('/room_keys/keys?version=8')).status, 404);
  });

  it('DELETE /room_keys/version/{version}: the version is gone (404), deleting again succeeds, an unknown one is 404', async () => {
    assert.equal((await c(alice).delete('/room_keys/version/2')).status, 200);
    const current = await c(alice).get('/room_keys/version');
    assert.equal(current.body.version, '1', 'the older version is current again');
    assert.equal((await c(alice).get('/room_keys/version/2')).status, 404);
    assert.equal((await c(alice).delete('/room_keys/version/2')).status, 200);
    const unknown = await c(alice).delete('/room_keys/version/55');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errcode, 'M_NOT_FOUND');
    assert.equal((await c(alice).delete('/room_keys/version/1')).status, 200);
    assert.equal((await c(alice).get('/room_keys/version')).status, 404);
    assert.deepEqual((await c(alice).post('/room_keys/version', { algorithm: ALG, auth_data: {} })).body, { version: '3' });
  });
});
