/** The effective ruleset and its edits (spec PUT/DELETE /pushrules/global/{kind}/{ruleId}, .../enabled, .../actions; "Predefined Rules"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPushRules } from './default-rules.js';
import { RelativeRuleNotFoundError, deleteUserRule, effectiveRuleset, findRule, putUserRule, updateRule } from './ruleset.js';
import type { PushRuleset } from './types.js';

const ME = '@alice:hub.example';
const ids = (set: PushRuleset, kind: keyof PushRuleset) => set[kind].map((r) => r.rule_id);

describe('push rules: the effective ruleset from stored m.push_rules', () => {
  it('nothing stored: exactly the server defaults', () => {
    assert.deepEqual(effectiveRuleset(ME, undefined), defaultPushRules(ME));
    assert.deepEqual(effectiveRuleset(ME, { global: 'junk' }), defaultPushRules(ME));
  });

  it('user rules come before the defaults of their kind, but after .m.rule.master ("always a higher priority")', () => {
    let set = putUserRule(effectiveRuleset(ME, undefined), 'override', { rule_id: 'mine', conditions: [], actions: [] });
    set = putUserRule(set, 'underride', { rule_id: 'low', conditions: [], actions: [] });
    assert.deepEqual(ids(set, 'override').slice(0, 3), ['.m.rule.master', 'mine', '.m.rule.suppress_notices']);
    assert.deepEqual(ids(set, 'underride')[0], 'low');
  });

  it('round trip: storing the ruleset and reading it back gives the same ruleset', () => {
    let set = putUserRule(effectiveRuleset(ME, undefined), 'content', { rule_id: 'cake', pattern: 'cake', actions: ['notify'] });
    set = updateRule(set, 'override', '.m.rule.suppress_notices', { enabled: false })!;
    set = updateRule(set, 'underride', '.m.rule.message', { actions: [] })!;
    assert.deepEqual(effectiveRuleset(ME, JSON.parse(JSON.stringify({ global: set }))), set);
  });

  it('server-default rules take conditions from the current defaults; unknown stored defaults are dropped; new ones appear', () => {
    const stored = { global: { override: [
      { rule_id: '.m.rule.suppress_notices', default: true, enabled: false, conditions: [{ kind: 'tampered' }], actions: ['notify'] },
      { rule_id: '.m.rule.gone_in_this_version', default: true, enabled: true, conditions: [], actions: ['notify'] },
    ] } };
    const set = effectiveRuleset(ME, stored);
    const notices = findRule(set, 'override', '.m.rule.suppress_notices')!;
    assert.deepEqual(notices.conditions, [{ kind: 'event_match', key: 'content.msgtype', pattern: 'm.notice' }]);
    assert.deepEqual([notices.enabled, notices.actions], [false, ['notify']]);
    assert.equal(findRule(set, 'override', '.m.rule.gone_in_this_version'), undefined);
    assert.deepEqual(ids(set, 'underride'), ids(defaultPushRules(ME), 'underride'));
  });

  it('malformed stored user rules are skipped; a rule claiming to be default without a dot is a user rule', () => {
    const stored = { global: { content: [{ rule_id: 'nopattern', actions: [] }, { rule_id: 'ok', pattern: 'x', actions: [], default: true }], room: [{ actions: [] }] } };
    const set = effectiveRuleset(ME, stored);
    assert.deepEqual(set.content[0], { rule_id: 'ok', pattern: 'x', actions: [], default: false, enabled: true });
    assert.deepEqual(ids(set, 'room'), []);
  });
});

describe('push rules API semantics: putUserRule / deleteUserRule / updateRule', () => {
  const base = () => effectiveRuleset(ME, undefined);
  const rule = (rule_id: string) => ({ rule_id, actions: [] as string[] });

  it('"When creating push rules, they MUST be enabled by default"; new rules are the most important user rule', () => {
    let set = putUserRule(base(), 'room', rule('!a:hub'));
    set = putUserRule(set, 'room', rule('!b:hub'));
    assert.deepEqual(ids(set, 'room'), ['!b:hub', '!a:hub']);
    assert.equal(set.room[0]!.enabled, true);
    assert.equal(set.room[0]!.default, false);
  });

  it('updating keeps position and enabled (without before/after)', () => {
    let set = putUserRule(putUserRule(base(), 'room', rule('!a:hub')), 'room', rule('!b:hub'));
    set = updateRule(set, 'room', '!a:hub', { enabled: false })!;
    set = putUserRule(set, 'room', { rule_id: '!a:hub', actions: ['notify'] });
    assert.deepEqual(ids(set, 'room'), ['!b:hub', '!a:hub']);
    assert.deepEqual([set.room[1]!.enabled, set.room[1]!.actions], [false, ['notify']]);
  });

  it('before: the next more important rule; after: the next less important; both: before wins', () => {
    let set = base();
    for (const id of ['c', 'b', 'a']) set = putUserRule(set, 'sender', rule(id));
    assert.deepEqual(ids(set, 'sender'), ['a', 'b', 'c']);
    assert.deepEqual(ids(putUserRule(set, 'sender', rule('x'), { before: 'b' }), 'sender'), ['a', 'x', 'b', 'c']);
    assert.deepEqual(ids(putUserRule(set, 'sender', rule('x'), { after: 'b' }), 'sender'), ['a', 'b', 'x', 'c']);
    assert.deepEqual(ids(putUserRule(set, 'sender', rule('x'), { before: 'c', after: 'a' }), 'sender'), ['a', 'b', 'x', 'c']);
    assert.deepEqual(ids(putUserRule(set, 'sender', rule('a'), { after: 'c' }), 'sender'), ['b', 'c', 'a']);
  });

  it('before/after naming a missing rule, another kind\'s rule or a server-default rule is refused', () => {
    const set = putUserRule(putUserRule(base(), 'override', { rule_id: 'o', conditions: [], actions: [] }), 'room', rule('!r:hub'));
    assert.throws(() => putUserRule(set, 'room', rule('x'), { before: 'nope' }), RelativeRuleNotFoundError);
    assert.throws(() => putUserRule(set, 'room', rule('x'), { after: 'o' }), RelativeRuleNotFoundError);
    // "It is not possible to add a rule relative to a predefined server rule."
    assert.throws(() => putUserRule(set, 'override', { rule_id: 'x', conditions: [], actions: [] }, { before: '.m.rule.master' }), RelativeRuleNotFoundError);
  });

  it('deleteUserRule removes user rules only; server-default and unknown rules give undefined', () => {
    const set = putUserRule(base(), 'underride', { rule_id: 'u', conditions: [], actions: [] });
    assert.deepEqual(ids(deleteUserRule(set, 'underride', 'u')!, 'underride'), ids(base(), 'underride'));
    assert.equal(deleteUserRule(set, 'underride', '.m.rule.message'), undefined);
    assert.equal(deleteUserRule(set, 'room', 'u'), undefined);
  });

  it('updateRule changes enabled/actions of user and default rules, undefined for unknown rules', () => {
    const set = updateRule(base(), 'content', '.m.rule.contains_user_name', { enabled: false })!;
    assert.equal(findRule(set, 'content', '.m.rule.contains_user_name')!.enabled, false);
    assert.equal(updateRule(base(), 'room', '!nope:hub', { enabled: false }), undefined);
    assert.equal(findRule(base(), 'content', '.m.rule.contains_user_name')!.enabled, true);
  });
});
