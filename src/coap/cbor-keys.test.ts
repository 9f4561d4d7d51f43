/** MSC3079 "JSON -> CBOR": the v1 integer key table, its test vector, and the decoding rules. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Encoder } from 'cbor-x';
import { CBOR_KEYS_V1, CborBodyError, decodeCbor, encodeCbor } from './cbor-keys.js';

/** The MSC's example event, its intermediate form and its canonical CBOR. */
const VECTOR_JSON = {
  type: 'm.room.message',
  content: { msgtype: 'm.text', body: 'Hello World' },
  sender: '@alice:localhost',
  room_id: '!foo:localhost',
  unsigned: { bool_value: true, null_value: null },
};
const VECTOR_HEX = 'a5026e6d2e726f6f6d2e6d65737361676503a2181b6b48656c6c6f20576f726c64181c666d2e74657874056e21666f6f3a6c6f63616c686f7374067040616c6963653a6c6f63616c686f737409a26a626f6f6c5f76616c7565f56a6e756c6c5f76616c7565f6';

/** A raw encoder, to build maps the codec itself would never write (mixed twins, floats). */
const raw = new Encoder({ useRecords: false, variableMapSize: true, useTag259ForMaps: false } as ConstructorParameters<typeof Encoder>[0]);

describe('MSC3079 "JSON -> CBOR" test vector', () => {
  it('encodes the example event, canonically, to the exact bytes of the MSC', () => {
    assert.equal(encodeCbor(VECTOR_JSON, { canonical: true }).toString('hex'), VECTOR_HEX);
  });

  it('decodes the MSC bytes back to the example JSON (keys 2, 3, 5, 6, 9, 27, 28 expanded; unknown keys kept)', () => {
    assert.deepEqual(decodeCbor(Buffer.from(VECTOR_HEX, 'hex')), VECTOR_JSON);
  });

  it('round-trips: decode(encode(x)) is x, whatever the key order', () => {
    assert.deepEqual(decodeCbor(encodeCbor(VECTOR_JSON)), VECTOR_JSON);
  });
});

describe('MSC3079 Appendix A (v1 integer keys)', () => {
  it('has 104 keys numbered 1..104 with no integer used twice', () => {
    const ints = Object.values(CBOR_KEYS_V1).sort((a, b) => a - b);
    assert.deepEqual(ints, Array.from({ length: 104 }, (_, i) => i + 1));
    assert.equal(CBOR_KEYS_V1.origin_server_ts, 8);
    assert.equal(CBOR_KEYS_V1['m.fully_read'], 92);
    assert.equal(CBOR_KEYS_V1.room_alias, 104);
  });

  it('writes every table key as its integer, at any depth', () => {
    const bytes = encodeCbor({ rooms: { join: { '!r:h': { timeline: { events: [{ event_id: '$e' }] } } } } });
    // {23: {24: {"!r:h": {12: {13: [{1: "$e"}]}}}}}
    assert.equal(bytes.toString('hex'), 'a117a11818a16421723a68a10ca10d81a101622465');
  });

  it('a string key wins over its integer twin', () => {
    const bytes = raw.encode(new Map<string | number, unknown>([[8, 1], ['origin_server_ts', 2]]));
    assert.deepEqual(decodeCbor(bytes), { origin_server_ts: 2 });
    const reversed = raw.encode(new Map<string | number, unknown>([['origin_server_ts', 2], [8, 1]]));
    assert.deepEqual(decodeCbor(reversed), { origin_server_ts: 2 });
  });

  it('a numeric string key is never expanded', () => {
    assert.deepEqual(decodeCbor(raw.encode(new Map([['8', 'x']]))), { 8: 'x' });
    assert.deepEqual(Object.keys(decodeCbor(raw.encode(new Map([['8', 'x']]))) as object), ['8']);
  });

  it('an integer key outside the table becomes its decimal string', () => {
    assert.deepEqual(decodeCbor(raw.encode(new Map([[999, true]]))), { 999: true });
  });

  it('accepts floats where JSON has integers (30000.0 reads as 30000)', () => {
    const bytes = Buffer.concat([Buffer.from('a11859', 'hex'), Buffer.from('fb40dd4c0000000000', 'hex')]); // {89 (timeout): 30000.0}
    const json = decodeCbor(bytes) as { timeout: number };
    assert.equal(json.timeout, 30000);
    assert.equal(JSON.stringify(json), '{"timeout":30000}');
    assert.deepEqual(decodeCbor(Buffer.from('a11859fa46ea6000', 'hex')), { timeout: 30000 }); // float32
  });

  it('writes timestamps beyond 32 bits as CBOR integers, never as floats (Matrix has no floats)', () => {
    const bytes = encodeCbor({ origin_server_ts: 1_732_500_000_000 });
    assert.equal(bytes.toString('hex'), 'a1081b00000193610c0d00');
    assert.deepEqual(decodeCbor(bytes), { origin_server_ts: 1_732_500_000_000 });
  });

  it('keeps keys named like Object.prototype members (toString, __proto__) as ordinary keys', () => {
    const x = JSON.parse('{"toString":1,"__proto__":{"a":2}}') as Record<string, unknown>;
    const back = decodeCbor(encodeCbor(x)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(back), ['toString', '__proto__']);
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.deepEqual(back.__proto__, { a: 2 });
  });

  it('writes plain string keys when asked (option 257 = 0)', () => {
    assert.equal(encodeCbor({ type: 'x' }, { integerKeys: false }).toString('hex'), 'a164747970656178');
  });

  it('drops undefined members and calls toJSON, as JSON.stringify does', () => {
    assert.deepEqual(decodeCbor(encodeCbor({ a: undefined, b: { toJSON: () => 'B' }, c: [undefined] })), { b: 'B', c: [null] });
  });

  it('refuses what JSON cannot carry: byte strings, undefined, NaN, huge integers, trailing items, garbage', () => {
    for (const hex of ['a1614142abcd', 'a16141f7', 'a16141fb7ff8000000000000', 'a161411b7fffffffffffffff', 'a1614101' + '01', 'ff', '']) {
      assert.throws(() => decodeCbor(Buffer.from(hex, 'hex')), CborBodyError, hex);
    }
  });

  it('round-trips any JSON object whose keys mix table keys and other strings (property)', () => {
    const key = fc.oneof(fc.constantFrom(...Object.keys(CBOR_KEYS_V1)), fc.string(), fc.constantFrom('8', '104', '-1'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.maxSafeInteger(), fc.string(), fc.array(tie('value'), { maxLength: 4 }), tie('object')),
      object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
    })).object;
    fc.assert(fc.property(json, (x) => {
      assert.deepEqual(decodeCbor(encodeCbor(x)), JSON.parse(JSON.stringify(x)));
    }), { numRuns: 300 });
  });
});
