/** Tests of appendices §"Unpadded Base64" and §"URL-safe unpadded Base64". */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from './base64.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('appendices §Unpadded Base64 examples', () => {
  const examples: Array<[string, string]> = [
    ['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, encoded] of examples) {
    it(`UNPADDED_BASE64(${JSON.stringify(plain)}) = ${JSON.stringify(encoded)}`, () => {
      assert.equal(encodeBase64(utf8(plain)), encoded);
      assert.deepEqual(decodeBase64(encoded), utf8(plain));
    });
  }

  it('decoding accepts input with padding ("SHOULD accept input with or without padding")', () => {
    assert.deepEqual(decodeBase64('Zg=='), utf8('f'));
    assert.deepEqual(decodeBase64('Zm8='), utf8('fo'));
  });

  it('decoding rejects characters outside the alphabet and impossible lengths', () => {
    for (const bad of ['Zm9v!', 'Z', 'Zm9vY', 'Zg=', 'Z===', 'Zm-_', 'Zg==Zg']) {
      assert.throws(() => decodeBase64(bad), SyntaxError, bad);
    }
  });
});

describe('appendices §URL-safe unpadded Base64', () => {
  it('uses - and _ for values 62 and 63', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf]);
    assert.equal(encodeBase64(bytes), '+/+/');
    assert.equal(encodeBase64Url(bytes), '-_-_');
    assert.deepEqual(decodeBase64Url('-_-_'), bytes);
    assert.throws(() => decodeBase64Url('+/+/'), SyntaxError);
  });

  it('property: both alphabets round-trip any bytes and never pad', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const std = encodeBase64(bytes);
        const url = encodeBase64Url(bytes);
        assert.ok(!std.includes('=') && !url.includes('='));
        assert.deepEqual(decodeBase64(std), bytes);
        assert.deepEqual(decodeBase64Url(url), bytes);
        assert.equal(url, std.replaceAll('+', '-').replaceAll('/', '_'));
      }),
    );
  });
});
