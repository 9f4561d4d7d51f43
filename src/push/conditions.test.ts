/** Push conditions against the spec's own examples (spec: "Conditions"), as a fixture table per condition kind. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conditionMatches, type PushContext, type PushEvent } from './conditions.js';
import type { PushCondition } from './types.js';

const ctx: PushContext = { userId: '@alice:example.org', displayName: 'Alice', roomMemberCount: 5, powerLevels: null, senderPowerLevel: 0 };
const ev = (content: Record<string, unknown>, extra: Record<string, unknown> = {}): PushEvent =>
  ({ type: 'm.room.message', sender: '@example:example.org', room_id: '!636q39766251:example.com', content, ...extra });

type Row = [name: string, cond: PushCondition, event: PushEvent, expected: boolean, context?: Partial<PushContext>];

function table(rows: Row[]): void {
  for (const [name, cond, event, expected, context] of rows) {
    it(`${name} → ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(conditionMatches(cond, event, { ...ctx, ...context }), expected);
    });
  }
}

const topic = (t: unknown) => ev({ topic: t }, { type: 'm.room.topic', state_key: '' });
const lunch: PushCondition = { kind: 'event_match', key: 'content.topic', pattern: 'lunc?*' };
const example: PushCondition = { kind: 'event_match', key: 'content.body', pattern: 'ex*ple' };

describe('push §"Conditions" event_match (glob, case-insensitive, whole value)', () => table([
  ['lunc?* on "Lunch plans"', lunch, topic('Lunch plans'), true],
  ['lunc?* on "LUNCH" (case-insensitive; * may match zero characters)', lunch, topic('LUNCH'), true],
  ['lunc?* on " lunch" (note leading space)', lunch, topic(' lunch'), false],
  ['lunc?* on "lunc" (? must match a character)', lunch, topic('lunc'), false],
  ['lunc?* on null (not a string)', lunch, topic(null), false],
  ['* on an absent property', { kind: 'event_match', key: 'content.missing', pattern: '*' }, topic('x'), false],
  ['* on a number property', { kind: 'event_match', key: 'content.topic', pattern: '*' }, topic(5), false],
  ['type m.room.* on m.room.message', { kind: 'event_match', key: 'type', pattern: 'm.room.*' }, ev({}), true],
  ['state_key "" on a state event with state_key ""', { kind: 'event_match', key: 'state_key', pattern: '' }, topic('x'), true],
  ['state_key "" on a message (no state_key)', { kind: 'event_match', key: 'state_key', pattern: '' }, ev({}), false],
  ['regex characters are literal: a.c does not match abc', { kind: 'event_match', key: 'content.topic', pattern: 'a.c' }, topic('abc'), false],
  ['missing pattern', { kind: 'event_match', key: 'content.topic' }, topic('x'), false],
]));

describe('push §"Conditions" event_match on content.body (word boundaries)', () => table([
  ['ex*ple on "An example event."', example, ev({ body: 'An example event.' }), true],
  ['ex*ple on "exple" (the pattern can match at the start and end of the body)', example, ev({ body: 'exple' }), true],
  ['ex*ple on "An exciting triple-whammy" (spans words; - separates words)', example, ev({ body: 'An exciting triple-whammy' }), true],
  ['ex*ple on "examples" (ends inside a word)', example, ev({ body: 'examples' }), false],
  ['ex*ple on "complex people" (starts inside a word)', example, ev({ body: 'complexpeople' }), false],
  ['cake on "I like CAKE!"', { kind: 'event_match', key: 'content.body', pattern: 'cake' }, ev({ body: 'I like CAKE!' }), true],
  ['cake on "cupcakes"', { kind: 'event_match', key: 'content.body', pattern: 'cake' }, ev({ body: 'cupcakes' }), false],
  ['cake on "cake_shop" (_ is a word character)', { kind: 'event_match', key: 'content.body', pattern: 'cake' }, ev({ body: 'cake_shop' }), false],
  ['@room on "Hi @room!"', { kind: 'event_match', key: 'content.body', pattern: '@room' }, ev({ body: 'Hi @room!' }), true],
  ['@room on "@roomba"', { kind: 'event_match', key: 'content.body', pattern: '@room' }, ev({ body: '@roomba' }), false],
]));

describe('push §"Conditions" event_property_is (exact, non-compound)', () => {
  const federate: PushCondition = { kind: 'event_property_is', key: 'content.m\\.federate', value: true };
  const create = (v: unknown) => ev({ creator: '@example:example.org', 'm.federate': v, room_version: '1' }, { type: 'm.room.create', state_key: '' });
  table([
    ['content.m\\.federate is true on true', federate, create(true), true],
    ['content.m\\.federate is true on "true" (note the string value)', federate, create('true'), false],
    ['content.m\\.federate is true on 1 (do not cast types)', federate, create(1), false],
    ['is null on null', { kind: 'event_property_is', key: 'content.x', value: null }, ev({ x: null }), true],
    ['is null on an absent property', { kind: 'event_property_is', key: 'content.x', value: null }, ev({}), false],
    ['is 1 on 1.0 written as a float', { kind: 'event_property_is', key: 'content.x', value: 1 }, ev({ x: 1.5 }), false],
    ['is m.replace on m.relates_to.rel_type', { kind: 'event_property_is', key: 'content.m\\.relates_to.rel_type', value: 'm.replace' }, ev({ 'm.relates_to': { rel_type: 'm.replace' } }), true],
    ['unescaped dot walks into a nested "m" object', { kind: 'event_property_is', key: 'content.m.relates_to', value: 'x' }, ev({ 'm.relates_to': 'x' }), false],
  ]);
});

describe('push §"Conditions" event_property_contains (array holds the value exactly)', () => {
  const aliases: PushCondition = { kind: 'event_property_contains', key: 'content.alt_aliases', value: '#myroom:example.com' };
  const canonical = (alt: unknown) => ev({ alias: '#somewhere:localhost', alt_aliases: alt }, { type: 'm.room.canonical_alias', state_key: '' });
  table([
    ['alt_aliases contains #myroom:example.com', aliases, canonical(['#somewhere:example.org', '#myroom:example.com']), true],
    ['alt_aliases [":example.com"] (partial values do not match)', aliases, canonical([':example.com']), false],
    ['alt_aliases not an array', aliases, canonical('#myroom:example.com'), false],
    ['user_ids contains me', { kind: 'event_property_contains', key: 'content.m\\.mentions.user_ids', value: '@alice:example.org' }, ev({ 'm.mentions': { user_ids: ['@alice:example.org'] } }), true],
    ['compound elements are ignored', { kind: 'event_property_contains', key: 'content.a', value: 1 }, ev({ a: [[1], { 1: 1 }] }), false],
  ]);
});

describe('push §"Conditions" contains_display_name (word boundaries, case-insensitive)', () => table([
  ['Alice in "hey alice, lunch?"', { kind: 'contains_display_name' }, ev({ body: 'hey alice, lunch?' }), true],
  ["Alice in \"Alice's cake\"", { kind: 'contains_display_name' }, ev({ body: "Alice's cake" }), true],
  ['Alice in "malice"', { kind: 'contains_display_name' }, ev({ body: 'malice' }), false],
  ['a display name with regex characters is literal', { kind: 'contains_display_name' }, ev({ body: 'hi A.ce' }), true, { displayName: 'A.ce' }],
  ['A.ce does not match "Abce"', { kind: 'contains_display_name' }, ev({ body: 'hi Abce' }), false, { displayName: 'A.ce' }],
  ['no display name', { kind: 'contains_display_name' }, ev({ body: 'alice' }), false, { displayName: null }],
  ['no body', { kind: 'contains_display_name' }, ev({}), false],
]));

describe('push §"Conditions" room_member_count (==, <, >, <=, >=; default ==)', () => table([
  ['"2" with 2 members', { kind: 'room_member_count', is: '2' }, ev({}), true, { roomMemberCount: 2 }],
  ['"2" with 3 members', { kind: 'room_member_count', is: '2' }, ev({}), false, { roomMemberCount: 3 }],
  ['"==5" with 5', { kind: 'room_member_count', is: '==5' }, ev({}), true],
  ['"<5" with 5', { kind: 'room_member_count', is: '<5' }, ev({}), false],
  ['"<6" with 5', { kind: 'room_member_count', is: '<6' }, ev({}), true],
  ['">4" with 5', { kind: 'room_member_count', is: '>4' }, ev({}), true],
  ['">5" with 5', { kind: 'room_member_count', is: '>5' }, ev({}), false],
  ['"<=10" with 5 (the spec beer example)', { kind: 'room_member_count', is: '<=10' }, ev({}), true],
  ['"<=4" with 5', { kind: 'room_member_count', is: '<=4' }, ev({}), false],
  ['">=5" with 5', { kind: 'room_member_count', is: '>=5' }, ev({}), true],
  ['malformed "=>5"', { kind: 'room_member_count', is: '=>5' }, ev({}), false],
  ['malformed "five"', { kind: 'room_member_count', is: 'five' }, ev({}), false],
  ['missing is', { kind: 'room_member_count' }, ev({}), false],
]));

describe('push §"Conditions" sender_notification_permission (notifications.<key>, default 50)', () => table([
  ['sender at 50, default room level 50', { kind: 'sender_notification_permission', key: 'room' }, ev({}), true, { senderPowerLevel: 50 }],
  ['sender at 49, default 50', { kind: 'sender_notification_permission', key: 'room' }, ev({}), false, { senderPowerLevel: 49 }],
  ['notifications.room 0 lets everyone', { kind: 'sender_notification_permission', key: 'room' }, ev({}), true, { powerLevels: { notifications: { room: 0 } } }],
  ['notifications.room 100 and sender 50', { kind: 'sender_notification_permission', key: 'room' }, ev({}), false, { senderPowerLevel: 50, powerLevels: { notifications: { room: 100 } } }],
  ['string level "10" (old room versions)', { kind: 'sender_notification_permission', key: 'room' }, ev({}), true, { senderPowerLevel: 10, powerLevels: { notifications: { room: '10' } } }],
  ['missing key', { kind: 'sender_notification_permission' }, ev({}), false, { senderPowerLevel: 100 }],
]));

describe('push §"Conditions" unrecognised conditions "MUST NOT match any events"', () => table([
  ['kind org.example.always', { kind: 'org.example.always' }, ev({}), false],
]));
