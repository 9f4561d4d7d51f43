/** The LRU caches: least recently used entries go first, and the bound is on total weight. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lru } from './lru.js';

describe('Lru (bounded caches of the event reader)', () => {
  it('evicts the least recently used entry past the bound', () => {
    const l = new Lru<string, number>(2);
    l.set('a', 1); l.set('b', 2);
    assert.equal(l.get('a'), 1); // a is now the most recent
    l.set('c', 3);
    assert.equal(l.get('b'), undefined);
    assert.equal(l.get('a'), 1);
    assert.equal(l.get('c'), 3);
  });
  it('bounds total weight, and refuses an entry heavier than the bound', () => {
    const l = new Lru<string, number[]>(10, (v) => v.length);
    l.set('a', new Array(6).fill(0));
    l.set('b', new Array(6).fill(0));
    assert.equal(l.get('a'), undefined, 'a evicted to fit b');
    l.set('huge', new Array(11).fill(0));
    assert.equal(l.get('huge'), undefined);
    assert.ok(l.get('b'));
    l.delete('b');
    assert.equal(l.get('b'), undefined);
  });
});

describe('Lru keeps hot entries without re-inserting them on every hit', () => {
  it('a hot entry read between many inserts survives while cold ones are evicted', () => {
    const l = new Lru<string, number>(100);
    l.set('hot', 0);
    for (let i = 0; i < 1000; i++) {
      l.set(`k${i}`, i);
      assert.equal(l.get('hot'), 0, `hot entry still cached after ${i} inserts`);
    }
    assert.equal(l.get('k0'), undefined, 'cold entries were evicted');
    assert.equal(l.get('k999'), 999);
  });
});
