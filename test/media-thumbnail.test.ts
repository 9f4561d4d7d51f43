/** Content repository §"Thumbnails" end to end, without an image library: the original image answers, other content is refused. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { validateResponse } from './support/openapi.js';
import { gifImage, jpegHead, pngImage } from './support/images.js';

let hub: TestHub;
let alice: TestUser;

before(async () => {
  hub = await startTestHub();
  alice = await makeUser(hub, 'alice');
});
after(async () => { await hub.stop(); });

async function upload(body: Buffer, type: string): Promise<string> {
  const res = await fetch(`${hub.clientUrl}/_matrix/media/v3/upload`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': type }, body });
  assert.equal(res.status, 200);
  return (((await res.json()) as any).content_uri as string).split('/').pop()!;
}

/** GET the v1 thumbnail; a JSON error is checked against the spec's responses for the operation. */
async function thumbnail(id: string, query: string, opts: { legacy?: boolean; token?: string } = {}) {
  const path = `${opts.legacy ? '/_matrix/media/v3' : '/_matrix/client/v1/media'}/thumbnail/${hub.config.serverName}/${id}?${query}`;
  const res = await fetch(hub.clientUrl + path, { headers: opts.legacy ? {} : { Authorization: `Bearer ${opts.token ?? alice.token}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) {
    const body = JSON.parse(bytes.toString());
    const v = validateResponse('GET', path, res.status, body);
    assert.ok(v.ok, v.errors.join('; '));
    return { status: res.status, headers: res.headers, bytes, body };
  }
  return { status: res.status, headers: res.headers, bytes, body: undefined as any };
}

describe('content repository §"Thumbnails" GET /_matrix/client/v1/media/thumbnail', () => {
  it('a PNG smaller than the requested size is returned as is (spec: return the original rather than thumbnail it)', async () => {
    const png = pngImage(16, 16);
    const res = await thumbnail(await upload(png, 'image/png'), 'width=32&height=32&method=crop');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('content-disposition'), 'inline; filename=thumbnail.png');
    assert.match(res.headers.get('content-security-policy') ?? '', /^sandbox;/);
    assert.ok(res.bytes.equals(png));
  });

  it('an image larger than requested is also answered with the original (never smaller than asked, never upscaled)', async () => {
    const png = pngImage(800, 600);
    const res = await thumbnail(await upload(png, 'image/png'), 'width=96&height=96&method=scale');
    assert.equal(res.status, 200);
    assert.ok(res.bytes.equals(png));
  });

  it('serves the type the image really is, and a JPEG upload as image/jpeg', async () => {
    const png = pngImage(10, 10);
    const mislabeled = await thumbnail(await upload(png, 'image/webp'), 'width=32&height=32');
    assert.equal(mislabeled.headers.get('content-type'), 'image/png');
    const jpeg = await thumbnail(await upload(jpegHead(640, 480), 'image/jpeg'), 'width=320&height=240');
    assert.equal(jpeg.status, 200);
    assert.equal(jpeg.headers.get('content-type'), 'image/jpeg');
  });

  it('animated=true returns an animated GIF; animated=false refuses it (MUST NOT animate) with 400 M_UNKNOWN', async () => {
    const id = await upload(gifImage(64, 64, 3), 'image/gif');
    const yes = await thumbnail(id, 'width=32&height=32&animated=true');
    assert.equal(yes.status, 200);
    assert.equal(yes.headers.get('content-type'), 'image/gif');
    const no = await thumbnail(id, 'width=32&height=32&animated=false');
    assert.equal(no.status, 400);
    assert.equal(no.body.errcode, 'M_UNKNOWN');
    // A still GIF is fine with animated=false.
    assert.equal((await thumbnail(await upload(gifImage(64, 64, 1), 'image/gif'), 'width=32&height=32&animated=false')).status, 200);
  });

  it('content that is not a thumbnailable image is 400 M_UNKNOWN (as Synapse), including SVG and a fake PNG', async () => {
    for (const [body, type] of [[Buffer.from('%PDF-1.7'), 'application/pdf'], [Buffer.from('<svg/>'), 'image/svg+xml'], [Buffer.from('not a png'), 'image/png']] as const) {
      const res = await thumbnail(await upload(body, type), 'width=32&height=32');
      assert.equal(res.status, 400, type);
      assert.equal(res.body.errcode, 'M_UNKNOWN');
    }
  });

  it('width and height are required positive integers; method is crop or scale; animated is a boolean', async () => {
    const id = await upload(pngImage(4, 4), 'image/png');
    const cases: Array<[string, string]> = [
      ['height=32', 'M_MISSING_PARAM'], ['width=32', 'M_MISSING_PARAM'], ['width=-1&height=32', 'M_INVALID_PARAM'],
      ['width=0&height=32', 'M_INVALID_PARAM'], ['width=3.5&height=32', 'M_INVALID_PARAM'],
      ['width=32&height=32&method=stretch', 'M_INVALID_PARAM'], ['width=32&height=32&animated=yes', 'M_INVALID_PARAM'],
    ];
    for (const [query, errcode] of cases) {
      const res = await thumbnail(id, query);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.errcode, errcode, query);
    }
  });

  it('unknown media is 404 M_NOT_FOUND; remote media is 404 M_NOT_FOUND (no federation yet)', async () => {
    assert.equal((await thumbnail('unknownMediaId', 'width=32&height=32')).body.errcode, 'M_NOT_FOUND');
    const res = await fetch(`${hub.clientUrl}/_matrix/client/v1/media/thumbnail/matrix.org/abc?width=32&height=32`, { headers: { Authorization: `Bearer ${alice.token}` } });
    assert.equal(res.status, 404);
  });

  it('the v1 endpoint needs a token; the deprecated /_matrix/media/v3/thumbnail serves local media without one', async () => {
    const id = await upload(pngImage(8, 8), 'image/png');
    const noToken = await fetch(`${hub.clientUrl}/_matrix/client/v1/media/thumbnail/${hub.config.serverName}/${id}?width=8&height=8`);
    assert.equal(noToken.status, 401);
    const legacy = await thumbnail(id, 'width=8&height=8', { legacy: true });
    assert.equal(legacy.status, 200);
    assert.equal(legacy.headers.get('content-type'), 'image/png');
  });
});
