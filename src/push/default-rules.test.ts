/** The server-default push rules: ids, order, kinds and user substitution as the spec's "Predefined Rules" lists them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LEGACY_MENTION_RULE_IDS, defaultPushRules } from './default-rules.js';
import { PUSH_RULE_KINDS } from './types.js';

const ids = (userId = '@alice:hub.example') => {
  const set = defaultPushRules(userId);
  return Object.fromEntries(PUSH_RULE_KINDS.map((k) => [k, set[k].map((r) => r.rule_id)]));
};

describe('push §"Predefined Rules" server-default rule set', () => {
  it('"Default Override Rules" in the spec order (with the legacy mention rules where spec 1.12 had them)', () => {
    assert.deepEqual(ids().override, [
      '.m.rule.master', '.m.rule.suppress_notices', '.m.rule.invite_for_me', '.m.rule.member_event',
      '.m.rule.is_user_mention', '.m.rule.contains_display_name', '.m.rule.is_room_mention', '.m.rule.roomnotif',
      '.m.rule.tombstone', '.m.rule.reaction', '.m.rule.room.server_acl', '.m.rule.suppress_edits',
    ]);
  });

  it('"Default Underride Rules" in the spec order; one content rule; no room or sender rules', () => {
    const all = ids();
    assert.deepEqual(all.underride, ['.m.rule.call', '.m.rule.encrypted_room_one_to_one', '.m.rule.room_one_to_one', '.m.rule.message', '.m.rule.encrypted']);
    assert.deepEqual(all.content, ['.m.rule.contains_user_name']);
    assert.deepEqual(all.room, []);
    assert.deepEqual(all.sender, []);
  });

  it('"The rule_id for all server-default rules MUST start with a dot", all are default, only .m.rule.master is disabled', () => {
    const set = defaultPushRules('@alice:hub.example');
    for (const kind of PUSH_RULE_KINDS) {
      for (const rule of set[kind]) {
        assert.ok(rule.rule_id.startsWith('.'), rule.rule_id);
        assert.equal(rule.default, true, rule.rule_id);
        assert.equal(rule.enabled, rule.rule_id !== '.m.rule.master', rule.rule_id);
      }
    }
  });

  it('.m.rule.master and .m.rule.suppress_notices match the spec definitions exactly', () => {
    const set = defaultPushRules('@alice:hub.example');
    assert.deepEqual(set.override[0], { rule_id: '.m.rule.master', default: true, enabled: false, conditions: [], actions: [] });
    assert.deepEqual(set.override[1], {
      rule_id: '.m.rule.suppress_notices', default: true, enabled: true,
      conditions: [{ kind: 'event_match', key: 'content.msgtype', pattern: 'm.notice' }], actions: [],
    });
  });

  it("fills in the user's Matrix ID (invite_for_me, is_user_mention) and localpart (contains_user_name)", () => {
    const set = defaultPushRules('@alice:hub.example');
    const byId = (id: string) => [...set.override, ...set.content].find((r) => r.rule_id === id)!;
    assert.deepEqual(byId('.m.rule.invite_for_me').conditions?.[2], { kind: 'event_match', key: 'state_key', pattern: '@alice:hub.example' });
    assert.deepEqual(byId('.m.rule.is_user_mention').conditions, [{ kind: 'event_property_contains', key: 'content.m\\.mentions.user_ids', value: '@alice:hub.example' }]);
    assert.equal(byId('.m.rule.contains_user_name').pattern, 'alice');
  });

  it('.m.rule.encrypted_room_one_to_one and .m.rule.call keep the spec actions', () => {
    const set = defaultPushRules('@a:b');
    assert.deepEqual(set.underride[0]!.actions, ['notify', { set_tweak: 'sound', value: 'ring' }]);
    assert.deepEqual(set.underride[1]!.conditions, [{ kind: 'room_member_count', is: '2' }, { kind: 'event_match', key: 'type', pattern: 'm.room.encrypted' }]);
  });

  it('returns a fresh object each call, and names the three legacy mention rules', () => {
    const a = defaultPushRules('@a:b');
    a.override[0]!.enabled = true;
    assert.equal(defaultPushRules('@a:b').override[0]!.enabled, false);
    assert.deepEqual([...LEGACY_MENTION_RULE_IDS].sort(), ['.m.rule.contains_display_name', '.m.rule.contains_user_name', '.m.rule.roomnotif']);
  });
});
