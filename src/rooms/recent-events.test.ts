/** Recent events per room: answers only what memory fully covers, and says "ask the store" otherwise. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRecentEvents } from './recent-events.js';

const ids = (xs: Array<{ id: string }> | undefined) => xs?.map((x) => x.id);

describe('recent room events (sync timelines and unread counts from memory)', () => {
  it('covers nothing before start, then every committed event after the start position', () => {
    const r = createRecentEvents();
    r.add('!a', 11, '$x');
    assert.equal(r.range('!a', 100, 0, 'b', 10), undefined, 'not started: the store answers');
    r.start(10);
    r.add('!a', 11, '$1'); r.add('!b', 12, '$2'); r.add('!a', 13, '$3');
    assert.deepEqual(ids(r.range('!a', 14, 10, 'b', 10)), ['$3', '$1'], 'newest first, exclusive bounds');
    assert.deepEqual(ids(r.range('!a', 10, 14, 'f', 10)), ['$1', '$3'], 'oldest first');
    assert.deepEqual(ids(r.range('!a', 13, 10, 'b', 10)), ['$1'], '`from` is exclusive');
    assert.deepEqual(ids(r.range('!a', 14, 10, 'b', 1)), ['$3'], 'limit');
    assert.deepEqual(ids(r.range('!c', 14, 10, 'b', 10)), [], 'a room with nothing since the start');
    assert.equal(r.range('!a', 14, 9, 'b', 10), undefined, 'below the start: the store answers');
    assert.equal(r.range('!a', 14, 0, 'b', 1), undefined, 'even with a limit the newest entries would satisfy');
  });

  it('raises a room\'s floor when its oldest entries are dropped', () => {
    const r = createRecentEvents({ perRoom: 2 });
    r.start(0);
    r.add('!a', 1, '$1'); r.add('!a', 2, '$2'); r.add('!a', 3, '$3');
    assert.equal(r.range('!a', 4, 0, 'b', 10), undefined, '$1 was dropped');
    assert.deepEqual(ids(r.range('!a', 4, 1, 'b', 10)), ['$3', '$2']);
    assert.equal(r.changedBetween(['!a'], 0, 3), undefined);
    assert.deepEqual([...r.changedBetween(['!a'], 1, 3)!], ['!a']);
  });

  it('dropping a whole room list raises the floor of every room without a list past its newest event', () => {
    const r = createRecentEvents({ rooms: 2 });
    r.start(0);
    r.add('!a', 1, '$1'); r.add('!b', 2, '$2'); r.add('!c', 3, '$3'); // !a's list is dropped
    assert.equal(r.range('!a', 10, 0, 'b', 10), undefined, '!a had events that memory no longer has');
    assert.deepEqual(ids(r.range('!a', 10, 1, 'b', 10)), []);
    assert.equal(r.range('!z', 10, 0, 'b', 10), undefined, 'an unknown room is no longer known to be empty from 0');
    assert.deepEqual(ids(r.range('!b', 10, 0, 'b', 10)), ['$2'], 'lists kept are still whole');
  });

  it('changedBetween: rooms with an event in (since, until], or undefined below coverage', () => {
    const r = createRecentEvents();
    r.start(5);
    r.add('!a', 6, '$6'); r.add('!b', 8, '$8');
    assert.deepEqual([...r.changedBetween(['!a', '!b', '!c'], 5, 7)!], ['!a']);
    assert.deepEqual([...r.changedBetween(['!a', '!b', '!c'], 6, 8)!], ['!b']);
    assert.deepEqual([...r.changedBetween(['!a', '!b'], 8, 9)!], []);
    assert.equal(r.changedBetween(['!a'], 4, 8), undefined);
  });

  it('ignores an event not newer than the room\'s newest (only commits, in order)', () => {
    const r = createRecentEvents();
    r.start(0);
    r.add('!a', 5, '$5'); r.add('!a', 3, '$3');
    assert.deepEqual(ids(r.range('!a', 10, 0, 'b', 10)), ['$5']);
  });
});
