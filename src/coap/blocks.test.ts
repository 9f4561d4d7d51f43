/** RFC 7959 §2.2 Block option values, block slicing, and the byte-bounded memory of bodies sent block-wise. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBodyMemory, encodeBlock, parseBlock, sliceBlock } from './blocks.js';

describe('RFC 7959 §2.2 Block option', () => {
  it('encodes NUM, M and SZX in the fewest bytes and parses them back', () => {
    assert.deepEqual(encodeBlock({ num: 0, more: false, szx: 0 }), Buffer.alloc(0));
    assert.deepEqual(encodeBlock({ num: 0, more: true, szx: 6 }), Buffer.of(0x0e));
    assert.deepEqual(encodeBlock({ num: 16, more: false, szx: 6 }), Buffer.of(0x01, 0x06));
    assert.deepEqual(encodeBlock({ num: 4096, more: true, szx: 2 }), Buffer.of(0x01, 0x00, 0x0a));
    for (const b of [{ num: 0, more: true, szx: 6 }, { num: 300, more: false, szx: 4 }, { num: 70000, more: true, szx: 0 }]) assert.deepEqual(parseBlock(encodeBlock(b)), b);
  });

  it('refuses SZX 7 (reserved) and values longer than 3 bytes', () => {
    assert.equal(parseBlock(Buffer.of(0x0f)), undefined);
    assert.equal(parseBlock(Buffer.alloc(4)), undefined);
  });

  it('slices block n of a body and says whether more follow', () => {
    const body = Buffer.alloc(2500, 7);
    assert.equal(sliceBlock(body, 0, 6)!.payload.length, 1024);
    assert.deepEqual(parseBlock(sliceBlock(body, 1, 6)!.option), { num: 1, more: true, szx: 6 });
    assert.equal(sliceBlock(body, 2, 6)!.payload.length, 452);
    assert.deepEqual(parseBlock(sliceBlock(body, 2, 6)!.option), { num: 2, more: false, szx: 6 });
    assert.equal(sliceBlock(body, 3, 6), undefined);
  });
});

describe('body memory for block follow-ups (RFC 7959 §2.6)', () => {
  it('keeps bodies within its byte bound, dropping the least recently used first', () => {
    const m = createBodyMemory(3000);
    m.remember('a', { body: Buffer.alloc(1000), format: 60, observe: 1 });
    m.remember('b', { body: Buffer.alloc(1000), format: 60, observe: 1 });
    assert.ok(m.recall('a'));
    m.remember('c', { body: Buffer.alloc(1500), format: 60, observe: 1 });
    assert.equal(m.recall('b'), undefined);
    assert.ok(m.recall('a'));
    assert.ok(m.recall('c'));
    assert.equal(m.bytes(), 2500);
    m.remember('huge', { body: Buffer.alloc(4000), format: 60, observe: 1 });
    assert.equal(m.recall('huge'), undefined);
  });
});
