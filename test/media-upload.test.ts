/** Content repository end to end: uploads, downloads and their headers, body limits and config (spec §"Content repository"). */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient } from './support/spec-client.js';
import { assertSpecResponse } from './support/openapi.js';

const LIMIT = 256 * 1024;
let hub: TestHub;
let alice: TestUser;

before(async () => {
  hub = await startTestHub({ maxUploadSize: LIMIT, allowGuests: true });
  alice = await makeUser(hub, 'alice');
});
after(async () => { await hub.stop(); });

/** POST /_matrix/media/v3/upload with raw bytes; the 200 body is checked against the spec. */
async function upload(body: Buffer, opts: { type?: string; filename?: string; token?: string; path?: string } = {}) {
  const path = (opts.path ?? '/_matrix/media/v3/upload') + (opts.filename !== undefined ? `?filename=${encodeURIComponent(opts.filename)}` : '');
  const headers: Record<string, string> = {};
  if (opts.token !== '') headers.Authorization = `Bearer ${opts.token ?? alice.token}`;
  if (opts.type !== undefined) headers['Content-Type'] = opts.type;
  const res = await fetch(hub.clientUrl + path, { method: 'POST', headers, body });
  const json = await res.json() as any;
  if (res.status === 200) assertSpecResponse('POST', path, { status: res.status, body: json });
  return { status: res.status, body: json };
}

const mediaIdOf = (uri: string) => uri.slice(`mxc://${hub.config.serverName}/`.length);
const v1 = (what: string, id: string, tail = '') => `${hub.clientUrl}/_matrix/client/v1/media/${what}/${hub.config.serverName}/${id}${tail}`;
const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(url, { method, headers: { Authorization: `Bearer ${alice.token}`, ...headers } });

/** A request whose body the test controls (declared length, chunks), for the limit tests. */
function rawRequest(path: string, headers: Record<string, string | number>, write: (req: ReturnType<typeof request>, answered: () => boolean) => void): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(hub.clientUrl + path, { method: 'POST', headers }, (res) => {
      answered = true;
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', (err) => { if (!answered) reject(err); });
    write(req, () => answered);
  });
}

const tempFiles = () => { try { return readdirSync(join(hub.dataDir, 'media', 'tmp')); } catch { return []; } };

describe('content repository POST /_matrix/media/v3/upload and GET /_matrix/client/v1/media/download', () => {
  it('a binary upload returns an mxc:// URI on this server, and downloads byte for byte', async () => {
    const bytes = randomBytes(200_000);
    const { status, body } = await upload(bytes, { type: 'application/octet-stream' });
    assert.equal(status, 200);
    assert.match(body.content_uri, new RegExp(`^mxc://${hub.config.serverName}/[A-Za-z0-9]{24}$`));
    const res = await get(v1('download', mediaIdOf(body.content_uri)));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(bytes.length));
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes));
  });

  it('stores the file under DATA_DIR/media/<first two characters>/<media id>', async () => {
    const { body } = await upload(Buffer.from('on disk'), { type: 'text/plain' });
    const id = mediaIdOf(body.content_uri);
    assert.deepEqual(readdirSync(join(hub.dataDir, 'media', id.slice(0, 2))).filter((n) => n === id), [id]);
  });

  it('serves the upload\'s Content-Type and an inline disposition with its filename for a safe type', async () => {
    const { body } = await upload(Buffer.from('\x89PNG not really'), { type: 'image/png', filename: 'cat.png' });
    const res = await get(v1('download', mediaIdOf(body.content_uri)));
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('content-disposition'), 'inline; filename=cat.png');
  });

  it('serves unsafe types (HTML, SVG) as attachments, and a non-token filename as filename*', async () => {
    const { body } = await upload(Buffer.from('<script>alert(1)</script>'), { type: 'text/html', filename: 'Grüße <1>.html' });
    const res = await get(v1('download', mediaIdOf(body.content_uri)));
    assert.equal(res.headers.get('content-type'), 'text/html; charset=UTF-8');
    assert.equal(res.headers.get('content-disposition'), "attachment; filename*=utf-8''Gr%C3%BC%C3%9Fe%20%3C1%3E.html");
    const svg = await upload(Buffer.from('<svg/>'), { type: 'image/svg+xml' });
    assert.equal((await get(v1('download', mediaIdOf(svg.body.content_uri)))).headers.get('content-disposition'), 'attachment');
  });

  it('without Content-Type or filename: application/octet-stream and no filename (spec: the header\'s default)', async () => {
    const res0 = await fetch(`${hub.clientUrl}/_matrix/media/v3/upload`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}` }, body: new Uint8Array([1, 2, 3]) });
    // fetch adds no Content-Type for a bare byte array.
    const uri = ((await res0.json()) as any).content_uri as string;
    const res = await get(v1('download', mediaIdOf(uri)));
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal(res.headers.get('content-disposition'), 'attachment');
  });

  it('sends the security headers: a sandboxing Content-Security-Policy and Cross-Origin-Resource-Policy', async () => {
    const { body } = await upload(Buffer.from('x'), { type: 'text/plain' });
    const res = await get(v1('download', mediaIdOf(body.content_uri)));
    assert.match(res.headers.get('content-security-policy') ?? '', /^sandbox; default-src 'none'; script-src 'none';/);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
  });

  it('GET …/download/{serverName}/{mediaId}/{fileName} names the file in Content-Disposition', async () => {
    const { body } = await upload(Buffer.from('hello'), { type: 'text/plain', filename: 'a.txt' });
    const res = await get(v1('download', mediaIdOf(body.content_uri), '/renamed.txt'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-disposition'), 'inline; filename=renamed.txt');
    assert.equal(await res.text(), 'hello');
  });

  it('answers Range requests with 206 and the slice, and 416 past the end', async () => {
    const bytes = randomBytes(1000);
    const { body } = await upload(bytes, { type: 'video/mp4' });
    const id = mediaIdOf(body.content_uri);
    const part = await get(v1('download', id), { Range: 'bytes=100-199' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 100-199/1000');
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200)));
    const past = await get(v1('download', id), { Range: 'bytes=5000-' });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), 'bytes */1000');
  });

  it('HEAD sends the headers without the body', async () => {
    const { body } = await upload(Buffer.from('0123456789'), { type: 'text/plain' });
    const res = await get(v1('download', mediaIdOf(body.content_uri)), {}, 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '10');
    assert.equal(await res.text(), '');
  });

  it('the deprecated GET /_matrix/media/v3/download (and /r0) serves local media without a token', async () => {
    const { body } = await upload(Buffer.from('legacy'), { type: 'text/plain', filename: 'l.txt' });
    for (const v of ['v3', 'r0']) {
      const res = await fetch(`${hub.clientUrl}/_matrix/media/${v}/download/${hub.config.serverName}/${mediaIdOf(body.content_uri)}`);
      assert.equal(res.status, 200, v);
      assert.equal(res.headers.get('content-disposition'), 'inline; filename=l.txt');
      assert.equal(await res.text(), 'legacy');
    }
  });

  it('the /r0 upload path older clients use also uploads', async () => {
    for (const path of ['/_matrix/media/r0/upload']) {
      const { status, body } = await upload(Buffer.from(path), { type: 'text/plain', path });
      assert.equal(status, 200, path);
      assert.equal(await (await get(v1('download', mediaIdOf(body.content_uri)))).text(), path);
    }
  });
});

describe('content repository: errors of upload and download', () => {
  it('upload without an access token is 401 M_MISSING_TOKEN and nothing is stored', async () => {
    const { status, body } = await upload(Buffer.from('x'), { token: '' });
    assert.equal(status, 401);
    assert.equal(body.errcode, 'M_MISSING_TOKEN');
    assert.deepEqual(tempFiles(), []);
  });

  it('the v1 endpoints refuse requests without a token with 401 M_MISSING_TOKEN', async () => {
    const { body } = await upload(Buffer.from('secret'), { type: 'text/plain' });
    const id = mediaIdOf(body.content_uri);
    for (const url of [v1('download', id), v1('download', id, '/x.txt'), v1('thumbnail', id, '?width=32&height=32'), `${hub.clientUrl}/_matrix/client/v1/media/config`]) {
      const res = await fetch(url);
      assert.equal(res.status, 401, url);
      assert.equal(((await res.json()) as any).errcode, 'M_MISSING_TOKEN');
    }
  });

  it('unknown media is 404 M_NOT_FOUND, on v1 and on the legacy endpoint', async () => {
    for (const url of [v1('download', 'doesNotExist123'), `${hub.clientUrl}/_matrix/media/v3/download/${hub.config.serverName}/doesNotExist123`]) {
      const res = await get(url);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as any).errcode, 'M_NOT_FOUND');
    }
  });

  it('media of another server is 404 M_NOT_FOUND (no federation yet); a malformed server name is 400', async () => {
    const remote = await get(`${hub.clientUrl}/_matrix/client/v1/media/download/matrix.org/abcdefghijklmnop`);
    assert.equal(remote.status, 404);
    assert.equal(((await remote.json()) as any).errcode, 'M_NOT_FOUND');
    const bad = await get(`${hub.clientUrl}/_matrix/client/v1/media/download/bad%20name!/abc`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as any).errcode, 'M_INVALID_PARAM');
  });

  it('§"Security considerations": a media id with characters outside [A-Za-z0-9_-] is 404, never a path', async () => {
    for (const id of ['..%2F..%2Fhearth.db', '.hidden', 'a.b']) {
      const res = await get(v1('download', id));
      assert.equal(res.status, 404, id);
      assert.equal(((await res.json()) as any).errcode, 'M_NOT_FOUND');
    }
  });

  it('guests may download but not upload or create ids (403 M_GUEST_ACCESS_FORBIDDEN, as Synapse)', async () => {
    const reg = await fetch(`${hub.clientUrl}/_matrix/client/v3/register?kind=guest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const guest = ((await reg.json()) as any).access_token as string;
    const refused = await upload(Buffer.from('x'), { token: guest });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.errcode, 'M_GUEST_ACCESS_FORBIDDEN');
    const create = await fetch(`${hub.clientUrl}/_matrix/media/v1/create`, { method: 'POST', headers: { Authorization: `Bearer ${guest}` } });
    assert.equal(create.status, 403);
    const { body } = await upload(Buffer.from('for guests'), { type: 'text/plain' });
    const res = await fetch(v1('download', mediaIdOf(body.content_uri)), { headers: { Authorization: `Bearer ${guest}` } });
    assert.equal(await res.text(), 'for guests');
  });

  it('a declared Content-Length over --max-upload-size is 413 M_TOO_LARGE at once, without reading the body', { timeout: 10_000 }, async () => {
    // The body is never sent: a server that waited for it would never answer.
    const res = await rawRequest('/_matrix/media/v3/upload', { Authorization: `Bearer ${alice.token}`, 'Content-Type': 'application/octet-stream', 'Content-Length': 100 * 1024 * 1024 }, (req) => req.flushHeaders());
    assert.equal(res.status, 413);
    assert.equal(res.body.errcode, 'M_TOO_LARGE');
    assert.deepEqual(tempFiles(), []);
  });

  it('a chunked body growing past --max-upload-size is 413 M_TOO_LARGE and its temp file is removed', { timeout: 10_000 }, async () => {
    const res = await rawRequest('/_matrix/media/v3/upload', { Authorization: `Bearer ${alice.token}`, 'Transfer-Encoding': 'chunked' }, (req, answered) => {
      const chunk = Buffer.alloc(64 * 1024, 7);
      let sent = 0;
      const pump = () => {
        // Stop writing once the server has answered (or after 4x the limit).
        while (sent < 4 * LIMIT && !req.destroyed && !answered()) { sent += chunk.length; if (!req.write(chunk)) { req.once('drain', pump); return; } }
      };
      req.on('error', () => undefined);
      pump();
    });
    assert.equal(res.status, 413);
    assert.equal(res.body.errcode, 'M_TOO_LARGE');
    assert.deepEqual(tempFiles(), []);
  });

  it('an upload of exactly --max-upload-size bytes is accepted', async () => {
    const { status } = await upload(Buffer.alloc(LIMIT, 1), { type: 'application/octet-stream' });
    assert.equal(status, 200);
  });
});

describe('content repository GET /_matrix/client/v1/media/config', () => {
  it('advertises m.upload.size = --max-upload-size (checked against the spec)', async () => {
    const client = createSpecClient(hub.clientUrl, alice.token);
    assert.deepEqual((await client.get('/_matrix/client/v1/media/config')).body, { 'm.upload.size': LIMIT });
    assert.deepEqual((await client.get('/_matrix/media/v3/config')).body, { 'm.upload.size': LIMIT });
  });

  it('URL previews are off: v1 preview_url is 404 M_UNRECOGNIZED, the legacy one 400 M_UNRECOGNIZED (as Synapse)', async () => {
    const client = createSpecClient(hub.clientUrl, alice.token);
    const a = await client.get('/_matrix/client/v1/media/preview_url?url=https%3A%2F%2Fmatrix.org');
    assert.equal(a.status, 404);
    assert.equal(a.body.errcode, 'M_UNRECOGNIZED');
    const b = await client.get('/_matrix/media/v3/preview_url?url=https%3A%2F%2Fmatrix.org');
    assert.equal(b.status, 400);
    assert.equal(b.body.errcode, 'M_UNRECOGNIZED');
  });
});
