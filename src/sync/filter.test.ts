/** Filters (spec: "Filtering"; Filter, RoomFilter, RoomEventFilter and EventFilter schemas) as fixture tables. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MatrixError } from '../http/errors.js';
import {
  applyEventFields, blocksEverything, defaultFilter, limitOf, matchesEventFilter, parseFilter, parseRoomEventFilter,
  parseRoomEventFilterParam, resolveFilterParam, roomAllowed, typeMatches, validateFilter, type FilterableEvent,
} from './filter.js';

/** The example of POST /user/{userId}/filter in the spec. */
const SPEC_EXAMPLE = {
  room: {
    state: { types: ['m.room.*'], not_rooms: ['!726s6s6q:example.com'] },
    timeline: { limit: 10, types: ['m.room.message'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
    ephemeral: { types: ['m.receipt', 'm.typing'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
  },
  presence: { types: ['m.presence'], not_senders: ['@alice:example.com'] },
  event_format: 'client',
  event_fields: ['type', 'content', 'sender'],
};

const errcodeOf = (fn: () => unknown): string => {
  try { fn(); } catch (e) { if (e instanceof MatrixError) return `${e.status} ${e.errcode}`; throw e; }
  return 'ok';
};

describe('filtering §Filter schema: normalisation', () => {
  it('the empty filter includes everything, with the client format', () => {
    const f = defaultFilter();
    assert.deepEqual(f.room.timeline, { notTypes: [], notSenders: [], notRooms: [], lazyLoadMembers: false, includeRedundantMembers: false, unreadThreadNotifications: false });
    assert.deepEqual([f.eventFormat, f.eventFields, f.room.rooms, f.room.includeLeave], ['client', undefined, undefined, false]);
  });

  it('the spec example filter', () => {
    const f = parseFilter(SPEC_EXAMPLE);
    assert.deepEqual(f.room.timeline.types, ['m.room.message']);
    assert.equal(f.room.timeline.limit, 10);
    assert.deepEqual(f.room.timeline.notSenders, ['@spam:example.com']);
    assert.deepEqual(f.room.state.types, ['m.room.*']);
    assert.deepEqual(f.presence.notSenders, ['@alice:example.com']);
    assert.deepEqual(f.eventFields, ['type', 'content', 'sender']);
    assert.equal(f.room.ephemeral.senders, undefined);
  });

  it('lazy_load_members, include_redundant_members, unread_thread_notifications, include_leave, contains_url, rooms, federation format', () => {
    const f = parseFilter({
      event_format: 'federation',
      room: { include_leave: true, rooms: ['!a:hs'], state: { lazy_load_members: true, include_redundant_members: true }, timeline: { unread_thread_notifications: true, contains_url: false } },
    });
    assert.deepEqual([f.eventFormat, f.room.includeLeave, f.room.rooms], ['federation', true, ['!a:hs']]);
    assert.deepEqual([f.room.state.lazyLoadMembers, f.room.state.includeRedundantMembers, f.room.timeline.lazyLoadMembers], [true, true, false]);
    assert.deepEqual([f.room.timeline.unreadThreadNotifications, f.room.timeline.containsUrl, f.room.state.containsUrl], [true, false, undefined]);
  });
});

describe('filtering §Filter schema: validation (400 M_BAD_JSON for wrong types, M_INVALID_PARAM for invalid values)', () => {
  const rows: [name: string, json: unknown, expected: string][] = [
    ['the spec example', SPEC_EXAMPLE, 'ok'],
    ['unknown fields (forward compatibility)', { 'org.example': 1, room: { timeline: { 'org.matrix.labels': ['x'] } } }, 'ok'],
    ['not an object', ['room'], '400 M_BAD_JSON'],
    ['event_fields not an array', { event_fields: 'content' }, '400 M_BAD_JSON'],
    ['event_fields with a number', { event_fields: [1] }, '400 M_BAD_JSON'],
    ['event_format a number', { event_format: 1 }, '400 M_BAD_JSON'],
    ['event_format "raw"', { event_format: 'raw' }, '400 M_INVALID_PARAM'],
    ['presence not an object', { presence: [] }, '400 M_BAD_JSON'],
    ['room.timeline not an object', { room: { timeline: 5 } }, '400 M_BAD_JSON'],
    ['limit a string', { room: { timeline: { limit: '10' } } }, '400 M_BAD_JSON'],
    ['limit 0 ("must be an integer greater than 0")', { room: { timeline: { limit: 0 } } }, '400 M_INVALID_PARAM'],
    ['limit 2.5', { room: { state: { limit: 2.5 } } }, '400 M_INVALID_PARAM'],
    ['types not an array', { account_data: { types: 'm.tag' } }, '400 M_BAD_JSON'],
    ['not_types with null', { room: { account_data: { not_types: [null] } } }, '400 M_BAD_JSON'],
    ['senders with a non-user id', { presence: { senders: ['alice'] } }, '400 M_INVALID_PARAM'],
    ['not_senders with "@" alone', { presence: { not_senders: ['@'] } }, '400 M_INVALID_PARAM'],
    ['room.rooms with a user id', { room: { rooms: ['@a:hs'] } }, '400 M_INVALID_PARAM'],
    ['room.timeline.not_rooms with a non-string', { room: { timeline: { not_rooms: [1] } } }, '400 M_BAD_JSON'],
    ['include_leave a string', { room: { include_leave: 'true' } }, '400 M_BAD_JSON'],
    ['lazy_load_members a number', { room: { state: { lazy_load_members: 1 } } }, '400 M_BAD_JSON'],
    ['contains_url a string', { room: { timeline: { contains_url: 'yes' } } }, '400 M_BAD_JSON'],
  ];
  for (const [name, json, expected] of rows) it(`${name} → ${expected}`, () => assert.equal(errcodeOf(() => validateFilter(json)), expected));
});

describe('filtering §EventFilter types / not_types: "A * can be used as a wildcard to match any sequence of characters"', () => {
  const rows: [pattern: string, type: string, expected: boolean][] = [
    ['m.room.message', 'm.room.message', true], ['m.room.message', 'm.room.messages', false], ['m.room.*', 'm.room.member', true],
    ['m.room.*', 'm.room.', true], ['m.room.*', 'm.roomy', false], ['*', '', true], ['*.member', 'm.room.member', true],
    ['m.*.member', 'm.room.member', true], ['m.*.member', 'm.member', false], ['a*b*c', 'abc', true], ['a*b*c', 'acb', false],
    ['a*a', 'a', false], ['M.ROOM.*', 'm.room.member', false],
  ];
  for (const [pattern, type, expected] of rows) it(`${pattern} on ${JSON.stringify(type)} → ${expected}`, () => assert.equal(typeMatches(pattern, type), expected));
});

describe('filtering §RoomEventFilter matching', () => {
  const ev = (over: Partial<FilterableEvent> = {}): FilterableEvent => ({ type: 'm.room.message', sender: '@bob:hs', room_id: '!a:hs', content: { body: 'x' }, ...over });
  const rows: [name: string, filter: object, event: FilterableEvent, expected: boolean][] = [
    ['empty filter', {}, ev(), true],
    ['types lists the type', { types: ['m.room.message'] }, ev(), true],
    ['types does not list it', { types: ['m.room.member'] }, ev(), false],
    ['types [] excludes everything', { types: [] }, ev(), false],
    ['not_types wins over types', { types: ['m.room.*'], not_types: ['m.room.message'] }, ev(), false],
    ['not_types wildcard', { not_types: ['m.room.*'] }, ev(), false],
    ['senders lists the sender', { senders: ['@bob:hs'] }, ev(), true],
    ['senders does not', { senders: ['@carol:hs'] }, ev(), false],
    ['"A matching sender will be excluded even if it is listed in the senders filter"', { senders: ['@bob:hs'], not_senders: ['@bob:hs'] }, ev(), false],
    ['rooms lists the room', { rooms: ['!a:hs'] }, ev(), true],
    ['rooms does not', { rooms: ['!b:hs'] }, ev(), false],
    ['not_rooms wins over rooms', { rooms: ['!a:hs'], not_rooms: ['!a:hs'] }, ev(), false],
    ['rooms given but the event has no room id', { rooms: ['!a:hs'] }, ev({ room_id: undefined }), false],
    ['contains_url true with a string url', { contains_url: true }, ev({ content: { url: 'mxc://hs/abc' } }), true],
    ['contains_url true without url', { contains_url: true }, ev(), false],
    ['contains_url true with a non-string url', { contains_url: true }, ev({ content: { url: 5 } }), false],
    ['contains_url false with a url', { contains_url: false }, ev({ content: { url: 'mxc://hs/abc' } }), false],
    ['contains_url false without url', { contains_url: false }, ev(), true],
  ];
  for (const [name, filter, event, expected] of rows) {
    it(`${name} → ${expected}`, () => assert.equal(matchesEventFilter(parseRoomEventFilter(filter), event), expected));
  }

  it('the roomId argument stands in for an event without room_id (client format without room_id)', () => {
    const f = parseRoomEventFilter({ not_rooms: ['!a:hs'] });
    assert.equal(matchesEventFilter(f, ev({ room_id: undefined }), '!a:hs'), false);
    assert.equal(matchesEventFilter(f, ev({ room_id: undefined }), '!b:hs'), true);
  });

  it('EventFilters (presence, global account data) ignore room fields', () => {
    const f = parseFilter({ account_data: { not_types: ['m.push_rules'] } }).accountData;
    assert.equal(matchesEventFilter(f, { type: 'm.push_rules' }), false);
    assert.equal(matchesEventFilter(f, { type: 'm.direct' }), true);
  });

  it('RoomFilter rooms/not_rooms through roomAllowed', () => {
    const r = parseFilter({ room: { rooms: ['!a:hs', '!b:hs'], not_rooms: ['!b:hs'] } }).room;
    assert.deepEqual(['!a:hs', '!b:hs', '!c:hs'].map((id) => roomAllowed(r, id)), [true, false, false]);
    assert.equal(roomAllowed(defaultFilter().room, '!any:hs'), true);
  });

  it('blocksEverything and limitOf', () => {
    assert.equal(blocksEverything(parseRoomEventFilter({ not_types: ['*'] })), true);
    assert.equal(blocksEverything(parseRoomEventFilter({ rooms: [] })), true);
    assert.equal(blocksEverything(parseRoomEventFilter({ types: ['m.*'] })), false);
    assert.equal(limitOf(parseRoomEventFilter({ limit: 5 }), 10, 100), 5);
    assert.equal(limitOf(parseRoomEventFilter({}), 10, 100), 10);
    assert.equal(limitOf(parseRoomEventFilter({ limit: 5000 }), 10, 100), 100);
  });
});

describe('filtering §Filter event_fields ("dot-separated paths for each property to include")', () => {
  const event = { type: 'm.room.message', sender: '@bob:hs', event_id: '$e', content: { body: 'hi', msgtype: 'm.text', 'm.relates_to': { rel_type: 'm.thread' } } };
  it("['content.body'] includes the body field of the content object", () => {
    assert.deepEqual(applyEventFields(event, ['content.body']), { content: { body: 'hi' } });
  });
  it('several fields, an escaped dot, and missing fields', () => {
    assert.deepEqual(applyEventFields(event, ['type', 'content.m\\.relates_to.rel_type', 'content.nope', 'unsigned.age', 'content.body.x']), {
      type: 'm.room.message', content: { 'm.relates_to': { rel_type: 'm.thread' } },
    });
  });
  it('undefined keeps the event as it is; the result never shares objects with the event', () => {
    assert.equal(applyEventFields(event, undefined), event);
    const out = applyEventFields(event, ['content']) as typeof event;
    out.content.body = 'changed';
    assert.equal(event.content.body, 'hi');
  });
});

describe('filtering §"sync" filter parameter: a filter id or inline JSON', () => {
  const stored: Record<string, unknown> = { '0': { room: { timeline: { limit: 3 } } } };
  const load = async (id: string) => stored[id];
  it('absent: the default filter; inline JSON: parsed; a stored id: loaded', async () => {
    assert.deepEqual(await resolveFilterParam(null, load), defaultFilter());
    assert.equal((await resolveFilterParam('{"room":{"timeline":{"limit":7}}}', load)).room.timeline.limit, 7);
    assert.equal((await resolveFilterParam('0', load)).room.timeline.limit, 3);
  });
  it('bad inline JSON is 400 M_NOT_JSON, an invalid filter 400 M_BAD_JSON, an unknown id 400 M_INVALID_PARAM (as Synapse)', async () => {
    await assert.rejects(resolveFilterParam('{nope', load), { status: 400, errcode: 'M_NOT_JSON' });
    await assert.rejects(resolveFilterParam('{"room":[]}', load), { status: 400, errcode: 'M_BAD_JSON' });
    await assert.rejects(resolveFilterParam('42', load), { status: 400, errcode: 'M_INVALID_PARAM' });
  });
  it('/messages RoomEventFilter parameter', () => {
    assert.deepEqual(parseRoomEventFilterParam(undefined), parseRoomEventFilter({}));
    assert.deepEqual(parseRoomEventFilterParam('{"types":["m.room.message"]}').types, ['m.room.message']);
    assert.throws(() => parseRoomEventFilterParam('[1]'), { errcode: 'M_BAD_JSON' });
    assert.throws(() => parseRoomEventFilterParam('{'), { errcode: 'M_NOT_JSON' });
  });
});
