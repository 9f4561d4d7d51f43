/** Content repository end to end: POST /_matrix/media/v1/create and PUT /_matrix/media/v3/upload/{serverName}/{mediaId} (spec v1.7 async uploads). */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient } from './support/spec-client.js';
import { assertSpecResponse } from './support/openapi.js';

const LIMIT = 64 * 1024;
const DAY = 86_400_000;
let clock = 1_800_000_000_000;
let hub: TestHub;
let alice: TestUser;
let bob: TestUser;

before(async () => {
  hub = await startTestHub({ maxUploadSize: LIMIT }, { now: () => clock });
  alice = await makeUser(hub, 'alice');
  bob = await makeUser(hub, 'bob');
});
after(async () => { await hub.stop(); });

/** POST /_matrix/media/v1/create as `user` (checked against the spec); resolves to the media id and expiry. */
async function create(user: TestUser = alice): Promise<{ id: string; expires: number }> {
  const res = await createSpecClient(hub.clientUrl, user.token).post('/_matrix/media/v1/create');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { id: res.body.content_uri.slice(`mxc://${hub.config.serverName}/`.length), expires: res.body.unused_expires_at };
}

async function put(id: string, body: Buffer, opts: { user?: TestUser; type?: string; filename?: string; server?: string } = {}) {
  const path = `/_matrix/media/v3/upload/${opts.server ?? hub.config.serverName}/${id}${opts.filename ? `?filename=${encodeURIComponent(opts.filename)}` : ''}`;
  const res = await fetch(hub.clientUrl + path, {
    method: 'PUT', body,
    headers: { Authorization: `Bearer ${(opts.user ?? alice).token}`, 'Content-Type': opts.type ?? 'application/octet-stream' },
  });
  const json = await res.json() as any;
  if (res.status === 200) assertSpecResponse('PUT', path, { status: 200, body: json });
  return { status: res.status, body: json };
}

const download = (id: string, query = '') =>
  fetch(`${hub.clientUrl}/_matrix/client/v1/media/download/${hub.config.serverName}/${id}${query}`, { headers: { Authorization: `Bearer ${alice.token}` } });

describe('content repository POST /_matrix/media/v1/create', () => {
  it('returns an mxc:// URI and unused_expires_at 24 hours ahead (the spec\'s recommended expiry)', async () => {
    const { id, expires } = await create();
    assert.match(id, /^[A-Za-z0-9]{24}$/);
    assert.equal(expires, clock + DAY);
  });

  it('refuses a sixth pending upload of one user with 429 M_LIMIT_EXCEEDED; other users are not affected', async () => {
    const carol = await makeUser(hub, 'carol');
    for (let i = 0; i < 5; i++) await create(carol);
    const res = await createSpecClient(hub.clientUrl, carol.token).post('/_matrix/media/v1/create');
    assert.equal(res.status, 429);
    assert.equal(res.body.errcode, 'M_LIMIT_EXCEEDED');
    await create(bob);
  });

  it('needs an access token (401 M_MISSING_TOKEN)', async () => {
    const res = await createSpecClient(hub.clientUrl).post('/_matrix/media/v1/create');
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_MISSING_TOKEN');
  });
});

describe('content repository PUT /_matrix/media/v3/upload/{serverName}/{mediaId}', () => {
  it('uploads the content of a created id, which then downloads with its type and filename', async () => {
    const { id } = await create();
    const bytes = randomBytes(5000);
    assert.deepEqual((await put(id, bytes, { type: 'image/webp', filename: 'pic.webp' })).body, {});
    const res = await download(id);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/webp');
    assert.equal(res.headers.get('content-disposition'), 'inline; filename=pic.webp');
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes));
  });

  it('a second upload to the same id is 409 M_CANNOT_OVERWRITE_MEDIA and the content stays', async () => {
    const { id } = await create();
    await put(id, Buffer.from('first'));
    const again = await put(id, Buffer.from('second'));
    assert.equal(again.status, 409);
    assert.equal(again.body.errcode, 'M_CANNOT_OVERWRITE_MEDIA');
    assert.equal(await (await download(id)).text(), 'first');
  });

  it('an upload to an id that direct upload made is 409 M_CANNOT_OVERWRITE_MEDIA', async () => {
    const res = await fetch(`${hub.clientUrl}/_matrix/media/v3/upload`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}` }, body: Buffer.from('direct') });
    const id = ((await res.json()) as any).content_uri.split('/').pop();
    const again = await put(id, Buffer.from('over'));
    assert.equal(again.status, 409);
    assert.equal(again.body.errcode, 'M_CANNOT_OVERWRITE_MEDIA');
  });

  it('an upload by another user than the creator is 403 M_FORBIDDEN', async () => {
    const { id } = await create();
    const res = await put(id, Buffer.from('x'), { user: bob });
    assert.equal(res.status, 403);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
  });

  it('an id that was never created, or of another server, is 404 M_NOT_FOUND', async () => {
    for (const res of [await put('neverCreated123', Buffer.from('x')), await put((await create()).id, Buffer.from('x'), { server: 'other.example' })]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.errcode, 'M_NOT_FOUND');
    }
  });

  it('an upload over --max-upload-size is 413 M_TOO_LARGE and leaves the id pending', async () => {
    const { id } = await create();
    const res = await put(id, Buffer.alloc(LIMIT + 1));
    assert.equal(res.status, 413);
    assert.equal(res.body.errcode, 'M_TOO_LARGE');
    assert.equal((await put(id, Buffer.from('fits'))).status, 200);
  });

  it('while one upload to an id is in progress, a second is 409 M_CANNOT_OVERWRITE_MEDIA; the first completes', async () => {
    const { id } = await create();
    const first = new Promise<number>((resolve, reject) => {
      const req = request(`${hub.clientUrl}/_matrix/media/v3/upload/${hub.config.serverName}/${id}`, {
        method: 'PUT', headers: { Authorization: `Bearer ${alice.token}`, 'Transfer-Encoding': 'chunked' },
      }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
      req.on('error', reject);
      req.write('slow ');
      // Let the server start receiving, then race a second upload, then finish the first.
      setTimeout(async () => {
        const second = await put(id, Buffer.from('racing'));
        assert.equal(second.status, 409);
        assert.equal(second.body.errcode, 'M_CANNOT_OVERWRITE_MEDIA');
        req.end('upload');
      }, 100);
    });
    assert.equal(await first, 200);
    assert.equal(await (await download(id)).text(), 'slow upload');
  });

  it('the id expires unused after unused_expires_at: upload and download are then 404 M_NOT_FOUND', async () => {
    const { id, expires } = await create();
    clock = expires;
    try {
      const res = await put(id, Buffer.from('late'));
      assert.equal(res.status, 404);
      assert.equal(res.body.errcode, 'M_NOT_FOUND');
      assert.equal((await download(id)).status, 404);
    } finally {
      clock = expires - DAY;
    }
  });
});

describe('content repository: downloading a created id before its upload (timeout_ms)', () => {
  let dave: TestUser;
  before(async () => { dave = await makeUser(hub, 'dave'); });

  it('is 504 M_NOT_YET_UPLOADED once timeout_ms runs out (download and thumbnail)', async () => {
    const { id } = await create(dave);
    const res = await download(id, '?timeout_ms=0');
    assert.equal(res.status, 504);
    assert.equal(((await res.json()) as any).errcode, 'M_NOT_YET_UPLOADED');
    const thumb = await fetch(`${hub.clientUrl}/_matrix/client/v1/media/thumbnail/${hub.config.serverName}/${id}?width=32&height=32&timeout_ms=50`, { headers: { Authorization: `Bearer ${alice.token}` } });
    assert.equal(thumb.status, 504);
    assert.equal(((await thumb.json()) as any).errcode, 'M_NOT_YET_UPLOADED');
  });

  it('waits for the upload and then serves it', async () => {
    const { id } = await create(dave);
    const waiting = download(id, '?timeout_ms=10000');
    await new Promise((r) => setTimeout(r, 100));
    await put(id, Buffer.from('arrived'), { type: 'text/plain', user: dave });
    const res = await waiting;
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'arrived');
  });
});
