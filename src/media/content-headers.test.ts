/** Unit tests of the headers served with media (spec §"Serving inline content", Content-Disposition) and byte ranges. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contentDisposition, parseRange, servedContentType, uploadContentType } from './content-headers.js';
import { thumbnailFromOriginal } from './thumbnails.js';
import { sniffImage } from './image-info.js';
import { gifImage, pngImage } from '../../test/support/images.js';

describe('content repository §"Serving inline content": Content-Disposition', () => {
  it('is inline only for the spec\'s safe types, whatever the parameters or case', () => {
    assert.equal(contentDisposition('image/png', null), 'inline');
    assert.equal(contentDisposition('Text/Plain; charset=utf-8', null), 'inline');
    assert.equal(contentDisposition('text/html', null), 'attachment');
    assert.equal(contentDisposition('image/svg+xml', null), 'attachment');
    assert.equal(contentDisposition('application/octet-stream', null), 'attachment');
  });

  it('names the upload\'s file: a token as filename=, anything else as RFC 5987 filename*=', () => {
    assert.equal(contentDisposition('image/jpeg', 'cat.jpg'), 'inline; filename=cat.jpg');
    assert.equal(contentDisposition('application/pdf', 'War and Peace.pdf'), "attachment; filename*=utf-8''War%20and%20Peace.pdf");
    assert.equal(contentDisposition('text/plain', 'naïve "quote".txt'), "inline; filename*=utf-8''na%C3%AFve%20%22quote%22.txt");
    // Header-breaking characters never reach the header.
    assert.equal(contentDisposition('text/plain', 'a\r\nSet-Cookie: x'), "inline; filename*=utf-8''a%0D%0ASet-Cookie%3A%20x");
    assert.equal(contentDisposition('text/plain', ''), 'inline');
  });
});

describe('content repository: Content-Type of uploads and downloads', () => {
  it('uploads without a usable Content-Type are application/octet-stream (spec: the default)', () => {
    assert.equal(uploadContentType(undefined), 'application/octet-stream');
    assert.equal(uploadContentType('  '), 'application/octet-stream');
    assert.equal(uploadContentType('image/p\u00e9ng'), 'application/octet-stream');
    assert.equal(uploadContentType(' image/png '), 'image/png');
  });

  it('downloads add a UTF-8 charset to bare text types only (the spec allows adding a charset)', () => {
    assert.equal(servedContentType('text/plain'), 'text/plain; charset=UTF-8');
    assert.equal(servedContentType('text/plain; charset=UTF-16'), 'text/plain; charset=UTF-16');
    assert.equal(servedContentType('image/png'), 'image/png');
  });
});

describe('downloads: Range requests (RFC 9110 §14)', () => {
  it('parses one range, open-ended and suffix ranges, clamped to the file', () => {
    assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=90-500', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-500', 100), { start: 0, end: 99 });
  });

  it('serves the whole file for no, malformed or multiple ranges, and refuses ranges past the end', () => {
    for (const h of [undefined, 'bytes=', 'items=0-1', 'bytes=0-1,5-6', 'bytes=9-3']) assert.equal(parseRange(h, 100), undefined, String(h));
    assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 100), 'unsatisfiable');
  });
});

describe('content repository §"Thumbnails" without an image library', () => {
  const req = { width: 32, height: 32, method: 'crop' as const, animated: undefined };

  it('a readable image is its own thumbnail, served as the type it really is', () => {
    assert.deepEqual(thumbnailFromOriginal('image/png', sniffImage(pngImage(800, 600)), req), { contentType: 'image/png' });
    assert.deepEqual(thumbnailFromOriginal('image/gif', sniffImage(gifImage(8, 8, 2)), { ...req, animated: true }), { contentType: 'image/gif' });
  });

  it('refuses non-images, unreadable images, and animated images when animated=false forbids them', () => {
    assert.ok('refused' in thumbnailFromOriginal('application/pdf', undefined, req));
    assert.ok('refused' in thumbnailFromOriginal('image/svg+xml', undefined, req));
    assert.ok('refused' in thumbnailFromOriginal('image/png', undefined, req));
    assert.ok('refused' in thumbnailFromOriginal('image/gif', sniffImage(gifImage(8, 8, 2)), { ...req, animated: false }));
    assert.deepEqual(thumbnailFromOriginal('image/gif', sniffImage(gifImage(8, 8, 1)), { ...req, animated: false }), { contentType: 'image/gif' });
  });
});
