/** The evaluator over the server-default rules and user rules (spec: "Push Rules", "Predefined Rules", "User and room mentions"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPushRules } from './default-rules.js';
import { evaluatePushRules, summariseActions, type PushContext, type PushEvent } from './evaluate.js';
import { putUserRule, updateRule } from './ruleset.js';
import { createGlobCache } from './glob.js';
import type { PushRuleset } from './types.js';

const ME = '@alice:hub.example';
const BOB = '@bob:hub.example';
const ROOM = '!room:hub.example';
const ctx: PushContext = { userId: ME, displayName: 'Alice Liddell', roomMemberCount: 5, powerLevels: { notifications: { room: 50 } }, senderPowerLevel: 0 };
const msg = (content: Record<string, unknown>, extra: Record<string, unknown> = {}): PushEvent =>
  ({ type: 'm.room.message', sender: BOB, room_id: ROOM, content: { msgtype: 'm.text', ...content }, ...extra });
const SOUND = { set_tweak: 'sound', value: 'default' };
const HIGHLIGHT = { set_tweak: 'highlight' };

type Row = [name: string, event: PushEvent, expected: { ruleId: string | null; notify: boolean; highlight: boolean }, context?: Partial<PushContext>];

const rows: Row[] = [
  ['a plain message in a group room: .m.rule.message', msg({ body: 'hello' }), { ruleId: '.m.rule.message', notify: true, highlight: false }],
  ['m.notice: .m.rule.suppress_notices', msg({ msgtype: 'm.notice', body: 'Kitchen: 21.5 °C' }), { ruleId: '.m.rule.suppress_notices', notify: false, highlight: false }],
  ['m.notice mentioning me is still suppressed (override order)', msg({ msgtype: 'm.notice', body: 'x', 'm.mentions': { user_ids: [ME] } }), { ruleId: '.m.rule.suppress_notices', notify: false, highlight: false }],
  ['m.mentions.user_ids has me: .m.rule.is_user_mention', msg({ body: 'hey', 'm.mentions': { user_ids: [ME] } }), { ruleId: '.m.rule.is_user_mention', notify: true, highlight: true }],
  ['display name in the body, no m.mentions: .m.rule.contains_display_name', msg({ body: 'Alice Liddell: lunch?' }), { ruleId: '.m.rule.contains_display_name', notify: true, highlight: true }],
  ['display name in the body but m.mentions present: legacy rules disabled', msg({ body: 'Alice Liddell: lunch?', 'm.mentions': {} }), { ruleId: '.m.rule.message', notify: true, highlight: false }],
  ['display name inside a word does not count', msg({ body: 'xAlice Liddellx' }), { ruleId: '.m.rule.message', notify: true, highlight: false }],
  ['localpart in the body: .m.rule.contains_user_name (content rule)', msg({ body: 'ask alice' }), { ruleId: '.m.rule.contains_user_name', notify: true, highlight: true }],
  ['localpart inside a word: not a mention', msg({ body: 'malice' }), { ruleId: '.m.rule.message', notify: true, highlight: false }],
  ['@room from a sender at the notification level: .m.rule.roomnotif', msg({ body: '@room dinner' }), { ruleId: '.m.rule.roomnotif', notify: true, highlight: true }, { senderPowerLevel: 50 }],
  ['@room from a sender below it: just a message', msg({ body: '@room dinner' }), { ruleId: '.m.rule.message', notify: true, highlight: false }],
  ['m.mentions.room from a permitted sender: .m.rule.is_room_mention', msg({ body: 'dinner', 'm.mentions': { room: true } }), { ruleId: '.m.rule.is_room_mention', notify: true, highlight: true }, { senderPowerLevel: 100 }],
  ['m.mentions.room from an unpermitted sender', msg({ body: 'dinner', 'm.mentions': { room: true } }), { ruleId: '.m.rule.message', notify: true, highlight: false }],
  ['a message in a room of two: .m.rule.room_one_to_one', msg({ body: 'hi' }), { ruleId: '.m.rule.room_one_to_one', notify: true, highlight: false }, { roomMemberCount: 2 }],
  ['encrypted in a room of two: .m.rule.encrypted_room_one_to_one', { type: 'm.room.encrypted', sender: BOB, content: { algorithm: 'm.megolm.v1.aes-sha2' } }, { ruleId: '.m.rule.encrypted_room_one_to_one', notify: true, highlight: false }, { roomMemberCount: 2 }],
  ['encrypted in a group: .m.rule.encrypted', { type: 'm.room.encrypted', sender: BOB, content: {} }, { ruleId: '.m.rule.encrypted', notify: true, highlight: false }],
  ['an invite for me: .m.rule.invite_for_me', { type: 'm.room.member', sender: BOB, state_key: ME, content: { membership: 'invite' } }, { ruleId: '.m.rule.invite_for_me', notify: true, highlight: false }],
  ['an invite for someone else: .m.rule.member_event', { type: 'm.room.member', sender: BOB, state_key: '@carol:hub.example', content: { membership: 'invite' } }, { ruleId: '.m.rule.member_event', notify: false, highlight: false }],
  ['a tombstone state event: .m.rule.tombstone', { type: 'm.room.tombstone', sender: BOB, state_key: '', content: { body: 'moved' } }, { ruleId: '.m.rule.tombstone', notify: true, highlight: true }],
  ['m.room.tombstone that is not a state event: nothing (no implicit state_key condition)', { type: 'm.room.tombstone', sender: BOB, content: {} }, { ruleId: null, notify: false, highlight: false }],
  ['a reaction: .m.rule.reaction', { type: 'm.reaction', sender: BOB, content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$x', key: '👍' } } }, { ruleId: '.m.rule.reaction', notify: false, highlight: false }],
  ['an ACL change: .m.rule.room.server_acl', { type: 'm.room.server_acl', sender: BOB, state_key: '', content: {} }, { ruleId: '.m.rule.room.server_acl', notify: false, highlight: false }],
  ['an edit: .m.rule.suppress_edits', msg({ body: '* fixed', 'm.relates_to': { rel_type: 'm.replace', event_id: '$x' } }), { ruleId: '.m.rule.suppress_edits', notify: false, highlight: false }],
  ['a call invite: .m.rule.call', { type: 'm.call.invite', sender: BOB, content: {} }, { ruleId: '.m.rule.call', notify: true, highlight: false }],
  ['an unknown event type: no rule matches', { type: 'org.example.reading', sender: BOB, content: {} }, { ruleId: null, notify: false, highlight: false }],
  ['my own message: never notified ("events that the user has sent themselves")', msg({ body: 'alice' }, { sender: ME }), { ruleId: null, notify: false, highlight: false }],
];

describe('push §"Predefined Rules" evaluation with the server-default rules', () => {
  const rules = defaultPushRules(ME);
  const globCache = createGlobCache();
  for (const [name, event, expected, context] of rows) {
    it(name, () => {
      for (const cache of [undefined, globCache]) {
        const r = evaluatePushRules(rules, event, { ...ctx, ...context, globCache: cache });
        assert.deepEqual({ ruleId: r.ruleId, notify: r.notify, highlight: r.highlight }, expected, cache ? 'with a glob cache' : 'without');
      }
    });
  }

  it('returns the matching rule’s actions and kind', () => {
    const r = evaluatePushRules(rules, msg({ body: 'hey', 'm.mentions': { user_ids: [ME] } }), ctx);
    assert.deepEqual(r, { ruleId: '.m.rule.is_user_mention', kind: 'override', notify: true, highlight: true, actions: ['notify', SOUND, HIGHLIGHT] });
  });
});

describe('push §"Push Rules" priority and user rules', () => {
  const base = (): PushRuleset => defaultPushRules(ME);

  it('.m.rule.master enabled turns off every notification', () => {
    const rules = updateRule(base(), 'override', '.m.rule.master', { enabled: true })!;
    const r = evaluatePushRules(rules, msg({ body: 'hey', 'm.mentions': { user_ids: [ME] } }), ctx);
    assert.deepEqual([r.ruleId, r.notify], ['.m.rule.master', false]);
  });

  it('"Disabled rules never match": disabling .m.rule.suppress_notices lets notices through', () => {
    const rules = updateRule(base(), 'override', '.m.rule.suppress_notices', { enabled: false })!;
    assert.equal(evaluatePushRules(rules, msg({ msgtype: 'm.notice', body: 'x' }), ctx).ruleId, '.m.rule.message');
  });

  it('a room rule with no actions mutes the room (room rules beat underride)', () => {
    const rules = putUserRule(base(), 'room', { rule_id: ROOM, actions: [] });
    const r = evaluatePushRules(rules, msg({ body: 'hello' }), ctx);
    assert.deepEqual([r.ruleId, r.kind, r.notify], [ROOM, 'room', false]);
    assert.equal(evaluatePushRules(rules, msg({ body: 'hello' }, { room_id: '!other:hub.example' }), ctx).ruleId, '.m.rule.message');
  });

  it('a sender rule applies to that sender only', () => {
    const rules = putUserRule(base(), 'sender', { rule_id: BOB, actions: ['notify', { set_tweak: 'sound', value: 'bob.wav' }] });
    assert.equal(evaluatePushRules(rules, msg({ body: 'x' }), ctx).ruleId, BOB);
    assert.equal(evaluatePushRules(rules, msg({ body: 'x' }, { sender: '@carol:hub.example' }), ctx).ruleId, '.m.rule.message');
  });

  it('content rules: the spec "cake" examples, ordered by `before`', () => {
    let rules = putUserRule(base(), 'content', { rule_id: 'SSByZWFsbHkgbGlrZSBjYWtl', pattern: 'cake', actions: ['notify', { set_tweak: 'sound', value: 'cakealarm.wav' }] });
    rules = putUserRule(rules, 'content', { rule_id: 'U3BvbmdlIGNha2UgaXMgYmVzdA', pattern: 'cake*lie', actions: ['notify'] }, { before: 'SSByZWFsbHkgbGlrZSBjYWtl' });
    assert.equal(evaluatePushRules(rules, msg({ body: 'the cake is a lie' }), ctx).ruleId, 'U3BvbmdlIGNha2UgaXMgYmVzdA');
    assert.equal(evaluatePushRules(rules, msg({ body: 'cake!' }), ctx).ruleId, 'SSByZWFsbHkgbGlrZSBjYWtl');
  });

  it('the spec "beer" override: event_match on content.body plus room_member_count <=10', () => {
    const rules = putUserRule(base(), 'override', {
      rule_id: 'U2VlIHlvdSBpbiBUaGUgRHVrZQ',
      conditions: [{ kind: 'event_match', key: 'content.body', pattern: 'beer' }, { kind: 'room_member_count', is: '<=10' }],
      actions: ['notify', { set_tweak: 'sound', value: 'beeroclock.wav' }],
    });
    assert.equal(evaluatePushRules(rules, msg({ body: 'Beer?' }), ctx).ruleId, 'U2VlIHlvdSBpbiBUaGUgRHVrZQ');
    assert.equal(evaluatePushRules(rules, msg({ body: 'Beer?' }), { ...ctx, roomMemberCount: 11 }).ruleId, '.m.rule.message');
  });

  it('a rule with an unrecognised condition never matches; one with no conditions always does', () => {
    let rules = putUserRule(base(), 'override', { rule_id: 'weird', conditions: [{ kind: 'org.example.unknown' }], actions: ['notify'] });
    assert.equal(evaluatePushRules(rules, msg({ msgtype: 'm.notice', body: 'x' }), ctx).ruleId, '.m.rule.suppress_notices');
    rules = putUserRule(rules, 'underride', { rule_id: 'catch-all', conditions: [], actions: ['notify'] });
    assert.equal(evaluatePushRules(rules, { type: 'org.example.reading', sender: BOB, content: {} }, ctx).ruleId, 'catch-all');
  });
});

describe('push §"Actions" and §"Historical Actions"', () => {
  it('dont_notify and coalesce are stripped: ["dont_notify"] is the same as []', () => {
    assert.deepEqual(summariseActions(['dont_notify', 'coalesce']), { notify: false, highlight: false, actions: [] });
    assert.deepEqual(summariseActions(['notify', 'coalesce']), { notify: true, highlight: false, actions: ['notify'] });
  });

  it('a highlight tweak without a value is true; with value false it is false; no tweak is false', () => {
    assert.equal(summariseActions(['notify', { set_tweak: 'highlight' }]).highlight, true);
    assert.equal(summariseActions(['notify', { set_tweak: 'highlight', value: true }]).highlight, true);
    assert.equal(summariseActions(['notify', { set_tweak: 'highlight', value: false }]).highlight, false);
    assert.equal(summariseActions(['notify', { set_tweak: 'sound', value: 'default' }]).highlight, false);
  });
});
