/** Tests of canonical JSON against appendices §"Canonical JSON" (examples, grammar) plus property tests. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonBytes, CanonicalJsonError, compareCodePoints, createCanonicalMemo } from './canonical-json.js';

describe('appendices §Canonical JSON "Examples"', () => {
  // Each input is the spec's JSON text, parsed as a server would; each output is compared exactly.
  const examples: Array<[string, string]> = [
    ['{}', '{}'],
    ['{\n    "one": 1,\n    "two": "Two"\n}', '{"one":1,"two":"Two"}'],
    ['{\n    "b": "2",\n    "a": "1"\n}', '{"a":"1","b":"2"}'],
    ['{"b":"2","a":"1"}', '{"a":"1","b":"2"}'],
    [
      `{
    "auth": {
        "success": true,
        "mxid": "@john.doe:example.com",
        "profile": {
            "display_name": "John Doe",
            "three_pids": [
                {
                    "medium": "email",
                    "address": "john.doe@example.org"
                },
                {
                    "medium": "msisdn",
                    "address": "123456789"
                }
            ]
        }
    }
}`,
      '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}',
    ],
    ['{\n    "a": "日本語"\n}', '{"a":"日本語"}'],
    ['{\n    "本": 2,\n    "日": 1\n}', '{"日":1,"本":2}'],
    ['{\n    "a": "\\u65E5"\n}', '{"a":"日"}'],
    ['{\n    "a": null\n}', '{"a":null}'],
    ['{\n    "a": -0,\n    "b": 1e10\n}', '{"a":0,"b":10000000000}'],
  ];
  for (const [input, expected] of examples) {
    it(`encodes ${JSON.stringify(input).slice(0, 50)}`, () => {
      assert.equal(canonicalJson(JSON.parse(input)), expected);
    });
  }
});

describe('appendices §Canonical JSON "Grammar" string escapes', () => {
  it('escapes only ", \\ and control characters, with short forms for \\b \\t \\n \\f \\r', () => {
    assert.equal(canonicalJson('"\\\b\t\n\f\r'), '"\\"\\\\\\b\\t\\n\\f\\r"');
  });
  it('writes other control characters as lowercase \\u00XX (u000X with X in 0-7,b,e,f; u001X)', () => {
    const all = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
    assert.equal(
      canonicalJson(all),
      '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f' +
        '\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"',
    );
  });
  it('does not escape "/", DEL, U+2028 or non-ASCII', () => {
    assert.equal(canonicalJson('/\u007f\u2028é😀'), '"/\u007f\u2028é😀"');
  });
  it('rejects a lone surrogate, which has no UTF-8 encoding', () => {
    assert.throws(() => canonicalJson('\ud800'), CanonicalJsonError);
    assert.throws(() => canonicalJson({ '\udc00': 1 }), CanonicalJsonError);
  });
  it('encodes to UTF-8 bytes', () => {
    assert.deepEqual([...canonicalJsonBytes({ a: '日' })], [...Buffer.from('{"a":"日"}', 'utf8')]);
  });
});

describe('appendices §Canonical JSON: keys "lexicographically sorted by Unicode codepoint"', () => {
  it('sorts an astral character (U+1F600) after U+FFFD, unlike UTF-16 order', () => {
    assert.equal(canonicalJson({ '😀': 1, '\ufffd': 2, a: 3 }), '{"a":3,"\ufffd":2,"😀":1}');
  });
  it('sorts U+E000 after U+D7FF and before U+10000', () => {
    assert.equal(canonicalJson({ '𐀀': 1, '\ue000': 2, '\ud7ff': 3 }), '{"\ud7ff":3,"\ue000":2,"𐀀":1}');
  });
  it('compareCodePoints agrees with comparing code point arrays', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const ca = [...a].map((c) => c.codePointAt(0)!);
        const cb = [...b].map((c) => c.codePointAt(0)!);
        let expected = 0;
        for (let i = 0; i < Math.min(ca.length, cb.length) && expected === 0; i++) expected = ca[i]! - cb[i]!;
        if (expected === 0) expected = ca.length - cb.length;
        assert.equal(Math.sign(compareCodePoints(a, b)), Math.sign(expected));
      }),
    );
  });
});

describe('appendices §Canonical JSON: numbers are integers in [-(2**53)+1, (2**53)-1]', () => {
  it('accepts the bounds', () => {
    assert.equal(canonicalJson([2 ** 53 - 1, -(2 ** 53) + 1]), '[9007199254740991,-9007199254740991]');
  });
  it('throws on floats, NaN, Infinity and integers out of range', () => {
    for (const bad of [1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 1e300]) {
      assert.throws(() => canonicalJson({ a: bad }), CanonicalJsonError, String(bad));
    }
  });
  it('property: every non-integer double throws', () => {
    fc.assert(
      fc.property(fc.double().filter((d) => !Number.isInteger(d)), (d) => {
        assert.throws(() => canonicalJson([d]), CanonicalJsonError);
      }),
    );
  });
  it('property: every integer beyond ±(2**53−1) throws', () => {
    const big = fc.oneof(fc.double({ min: 2 ** 53, noNaN: true }), fc.double({ max: -(2 ** 53), noNaN: true }));
    fc.assert(fc.property(big, (d) => assert.throws(() => canonicalJson({ n: d }), CanonicalJsonError)));
  });
  it('lenientNumbers (rooms v1–v5) writes finite floats and big integers but never NaN', () => {
    assert.equal(canonicalJson({ a: 50.57, b: 2 ** 60 }, { lenientNumbers: true }), '{"a":50.57,"b":1152921504606846976}');
    assert.throws(() => canonicalJson(NaN, { lenientNumbers: true }), CanonicalJsonError);
  });
});

describe('canonicalJson: values outside JSON', () => {
  it('omits undefined object members like JSON.stringify', () => {
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  });
  it('throws on undefined array elements, functions and non-plain objects', () => {
    assert.throws(() => canonicalJson([undefined]), CanonicalJsonError);
    assert.throws(() => canonicalJson({ f: () => 1 }), CanonicalJsonError);
    assert.throws(() => canonicalJson({ d: new Date(0) }), CanonicalJsonError);
  });
  it('omitTopLevel drops top-level keys only', () => {
    const v = { signatures: 1, a: { signatures: 2 } };
    assert.equal(canonicalJson(v, { omitTopLevel: new Set(['signatures']) }), '{"a":{"signatures":2}}');
  });
});

/** Arbitrary JSON that canonical JSON accepts: safe integers only, well-formed strings; normalised by a JSON round trip. */
function canonicalJsonValue(unit: 'binary' | 'binary-ascii'): fc.Arbitrary<unknown> {
  const str = fc.string({ unit }).filter((s) => !/\p{Cs}/u.test(s));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null), fc.boolean(), fc.maxSafeInteger(), str,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(str, tie('value'), { maxKeys: 6 }),
    ),
  }));
  return value.map((v) => JSON.parse(JSON.stringify(v)) as unknown);
}

describe('canonical JSON properties', () => {
  const json = canonicalJsonValue('binary');

  it('round-trips: JSON.parse(canonicalJson(x)) deep-equals x', () => {
    fc.assert(fc.property(json, (x) => assert.deepStrictEqual(JSON.parse(canonicalJson(x)), x)));
  });

  it('is stable under key reordering', () => {
    const reorder = (v: unknown, seed: number): unknown => {
      if (Array.isArray(v)) return v.map((x) => reorder(x, seed));
      if (v === null || typeof v !== 'object') return v;
      const entries = Object.entries(v);
      const rotated = entries.length ? [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)] : entries;
      return Object.fromEntries(rotated.reverse().map(([k, x]) => [k, reorder(x, seed)]));
    };
    fc.assert(fc.property(json, fc.nat(), (x, seed) => assert.equal(canonicalJson(reorder(x, seed)), canonicalJson(x))));
  });

  it('has no insignificant whitespace and equals JSON.stringify of sorted objects for ASCII keys', () => {
    const ascii = canonicalJsonValue('binary-ascii');
    const sortDeep = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(sortDeep);
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
    };
    fc.assert(
      fc.property(ascii, (x) => {
        // Integer-like keys are ordered first by JS objects, so compare only where that cannot happen.
        fc.pre(!/"\d+":/.test(JSON.stringify(x)));
        assert.equal(canonicalJson(x), JSON.stringify(sortDeep(x)));
      }),
    );
  });
});

describe('canonicalJson: key order, whatever order the object holds its keys in', () => {
  it('sorts integer-like keys by code point ("10" < "2" < "b"), though JS objects list them first, numerically', () => {
    assert.equal(canonicalJson({ b: 1, 2: 2, 10: 3 }), '{"10":3,"2":2,"b":1}');
    assert.equal(canonicalJson({ x: [{ b: 1, 10: 2 }], a: 0 }), '{"a":0,"x":[{"10":2,"b":1}]}');
  });
  it('rejects a lone surrogate in a key, in order or not', () => {
    assert.throws(() => canonicalJson({ a: 1, ['b\uD800']: 2 }), CanonicalJsonError);
    assert.throws(() => canonicalJson({ ['\uDC00']: 1, a: 2 }), CanonicalJsonError);
  });
  it('encodes a document nested 500 deep, out of order at every level, in linear time', () => {
    let v: unknown = 1;
    for (let i = 0; i < 500; i++) v = { z: i, a: [v] };
    const out = canonicalJson(v);
    assert.ok(out.startsWith('{"a":[{"a":[{'));
    assert.deepStrictEqual(JSON.parse(out), v);
  });
  it('property: equals a reference encoder that sorts each object by compareCodePoints and writes leaves with JSON.stringify', () => {
    const reference = (v: unknown): string => {
      if (Array.isArray(v)) return '[' + v.map(reference).join(',') + ']';
      if (v === null || typeof v !== 'object') return JSON.stringify(v);
      const keys = Object.keys(v).sort(compareCodePoints);
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + reference((v as Record<string, unknown>)[k])).join(',') + '}';
    };
    const withIntegerKeys = fc.dictionary(fc.oneof(fc.nat({ max: 200 }).map(String), fc.string()).filter((s) => !/\p{Cs}/u.test(s)), canonicalJsonValue('binary'), { maxKeys: 8 });
    fc.assert(fc.property(fc.oneof(canonicalJsonValue('binary'), withIntegerKeys), (x) => assert.equal(canonicalJson(x), reference(x))));
  });
});

describe('createCanonicalMemo: shared members encoded once, same bytes as canonicalJson', () => {
  const object = canonicalJsonValue('binary').filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
  it('property: encoding a source and a copy with some members replaced equals canonicalJson of each', () => {
    fc.assert(
      fc.property(object, object, fc.array(fc.string(), { maxLength: 3 }), (source, replacements, omitted) => {
        const memo = createCanonicalMemo(source);
        const derived = { ...source, ...replacements };
        const omit = new Set(omitted);
        assert.equal(memo.encode(derived, omit), canonicalJson(derived, { omitTopLevel: omit }));
        assert.equal(memo.encode(source), canonicalJson(source));
      }),
    );
  });
  it('applies the same number rules (strict by default)', () => {
    const source = { a: 1.5 };
    assert.throws(() => createCanonicalMemo(source).encode(source), CanonicalJsonError);
    assert.equal(createCanonicalMemo(source, { lenientNumbers: true }).encode(source), '{"a":1.5}');
  });
});
