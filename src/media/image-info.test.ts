/** Unit tests of image sniffing, which decides what may answer a thumbnail request (spec §"Thumbnails"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sniffImage } from './image-info.js';
import { gifImage, jpegHead, pngImage, webpVp8x } from '../../test/support/images.js';

describe('content repository §"Thumbnails": recognising thumbnail sources', () => {
  it('reads a PNG\'s size from IHDR and tells a still PNG from an APNG', () => {
    assert.deepEqual(sniffImage(pngImage(40, 30)), { format: 'png', contentType: 'image/png', width: 40, height: 30, animated: false });
    assert.equal(sniffImage(pngImage(40, 30, { animated: true }))?.animated, true);
  });

  it('a PNG whose chunks before IDAT run past the bytes read is of unknown animation', () => {
    const png = pngImage(8, 8, { textBytes: 5000 });
    assert.equal(sniffImage(png)?.animated, false);
    assert.equal(sniffImage(png.subarray(0, 1000))?.animated, undefined);
  });

  it('counts GIF frames: one is still, two are animated, a cut-off first frame is unknown', () => {
    assert.deepEqual(sniffImage(gifImage(64, 48, 1)), { format: 'gif', contentType: 'image/gif', width: 64, height: 48, animated: false });
    assert.equal(sniffImage(gifImage(64, 48, 2))?.animated, true);
    assert.equal(sniffImage(gifImage(64, 48, 1).subarray(0, 30))?.animated, undefined);
  });

  it('reads a JPEG\'s size from its SOF0 segment (width and height in that order)', () => {
    assert.deepEqual(sniffImage(jpegHead(1024, 768)), { format: 'jpeg', contentType: 'image/jpeg', width: 1024, height: 768, animated: false });
  });

  it('reads a VP8X WebP\'s canvas size and animation flag', () => {
    assert.deepEqual(sniffImage(webpVp8x(300, 200, false)), { format: 'webp', contentType: 'image/webp', width: 300, height: 200, animated: false });
    assert.equal(sniffImage(webpVp8x(300, 200, true))?.animated, true);
  });

  it('is undefined for other content, truncated headers and zero-sized images', () => {
    assert.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
    assert.equal(sniffImage(Buffer.from('%PDF-1.7\n')), undefined);
    assert.equal(sniffImage(pngImage(4, 4).subarray(0, 20)), undefined);
    assert.equal(sniffImage(jpegHead(0, 10)), undefined);
    assert.equal(sniffImage(Buffer.alloc(0)), undefined);
  });
});
