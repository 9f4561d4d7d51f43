/** Glob matching (appendices §"Glob-style matching") and dot-separated property paths (appendices §"Dot-separated property paths"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createGlobCache, globMatches, globRegExp } from './glob.js';
import { lookupPath, splitDottedPath } from './dotted-path.js';

describe('appendices §"Glob-style matching"', () => {
  const rows: [pattern: string, value: string, mode: 'whole' | 'word', expected: boolean][] = [
    ['*', '', 'whole', true],
    ['?', '', 'whole', false],
    ['?', '🔥', 'whole', true],
    ['a*c', 'abbbc', 'whole', true],
    ['a*c', 'abbbcd', 'whole', false],
    ['a?c', 'abc', 'whole', true],
    ['a?c', 'ac', 'whole', false],
    ['(a)', '(A)', 'whole', true],
    ['a+', 'aa', 'whole', false],
    ['[ab]', 'a', 'whole', false],
    ['KÜCHE', 'küche', 'whole', true],
    ['küche', 'Die Küche!', 'word', true],
    ['lie', 'believe', 'word', false],
  ];
  const cache = createGlobCache(4);
  for (const [pattern, value, mode, expected] of rows) {
    it(`${JSON.stringify(pattern)} ${mode} on ${JSON.stringify(value)} → ${expected} (with and without a cache)`, () => {
      assert.equal(globMatches(pattern, value, mode), expected);
      assert.equal(globMatches(pattern, value, mode, cache), expected);
      assert.equal(globMatches(pattern, value, mode, cache), expected);
    });
  }

  it('the cache returns the compiled RegExp again, and keeps literal and glob forms apart', () => {
    const c = createGlobCache();
    assert.equal(globRegExp('a*', 'word', false, c), globRegExp('a*', 'word', false, c));
    assert.notEqual(globRegExp('a*', 'word', true, c), globRegExp('a*', 'word', false, c));
  });

  it('a literal pattern escapes * and ?', () => {
    assert.equal(globRegExp('a*', 'whole', true).test('abc'), false);
    assert.equal(globRegExp('a*', 'whole', true).test('A*'), true);
  });
});

describe('appendices §"Dot-separated property paths"', () => {
  it('splits on unescaped dots; \\. is a dot and \\\\ a backslash; other escapes stay as-is', () => {
    assert.deepEqual(splitDottedPath('content.body'), ['content', 'body']);
    assert.deepEqual(splitDottedPath('content.m\\.relates_to'), ['content', 'm.relates_to']);
    assert.deepEqual(splitDottedPath('content.m\\\\foo'), ['content', 'm\\foo']);
    assert.deepEqual(splitDottedPath('content.\\x'), ['content', '\\x']);
    assert.deepEqual(splitDottedPath('a\\\\.b'), ['a\\', 'b']);
    assert.deepEqual(splitDottedPath(''), ['']);
  });

  it('looks up nested object properties; arrays are not indexed; inherited properties are absent', () => {
    const ev = { content: { 'm.relates_to': { rel_type: 'm.replace' }, list: ['a'] } };
    assert.equal(lookupPath(ev, 'content.m\\.relates_to.rel_type'), 'm.replace');
    assert.equal(lookupPath(ev, 'content.m.relates_to'), undefined);
    assert.equal(lookupPath(ev, 'content.list.0'), undefined);
    assert.equal(lookupPath(ev, 'content.toString'), undefined);
    assert.deepEqual(lookupPath(ev, ['content', 'list']), ['a']);
  });
});
