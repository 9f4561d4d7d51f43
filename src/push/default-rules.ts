/** The server-default push rules (spec: "Predefined Rules"), in the spec's order, with the user's id filled in. */
import { emptyRuleset, type PushAction, type PushRule, type PushRuleset } from './types.js';

const SOUND_DEFAULT: PushAction = { set_tweak: 'sound', value: 'default' };
const HIGHLIGHT: PushAction = { set_tweak: 'highlight' };

/**
 * The legacy body-mention rules. Spec v1.17 removed them from the predefined set; Hearth keeps them
 * (as Synapse does) for clients that do not send `m.mentions`. Spec "User and room mentions": they
 * are disabled for events whose content has an `m.mentions` property; the evaluator skips them then.
 */
export const LEGACY_MENTION_RULE_IDS: ReadonlySet<string> = new Set([
  '.m.rule.contains_display_name', '.m.rule.roomnotif', '.m.rule.contains_user_name',
]);

const rule = (rule_id: string, conditions: PushRule['conditions'], actions: PushAction[], enabled = true): PushRule =>
  ({ rule_id, default: true, enabled, conditions, actions });
const match = (key: string, pattern: string) => ({ kind: 'event_match', key, pattern });

/** The localpart of `@localpart:server` (the whole id when it has no `:`). */
function localpartOf(userId: string): string {
  const colon = userId.indexOf(':');
  return userId.slice(1, colon === -1 ? undefined : colon);
}

/**
 * The server-default ruleset for `userId`: a fresh object on every call, so callers may change it.
 * @example defaultPushRules('@alice:hub').override[0].rule_id // '.m.rule.master'
 */
export function defaultPushRules(userId: string): PushRuleset {
  const set = emptyRuleset();
  set.override = [
    // "Matches all events ... By default this rule is disabled."
    rule('.m.rule.master', [], [], false),
    rule('.m.rule.suppress_notices', [match('content.msgtype', 'm.notice')], []),
    rule('.m.rule.invite_for_me', [match('type', 'm.room.member'), match('content.membership', 'invite'), match('state_key', userId)], ['notify', SOUND_DEFAULT]),
    rule('.m.rule.member_event', [match('type', 'm.room.member')], []),
    rule('.m.rule.is_user_mention', [{ kind: 'event_property_contains', key: 'content.m\\.mentions.user_ids', value: userId }], ['notify', SOUND_DEFAULT, HIGHLIGHT]),
    rule('.m.rule.contains_display_name', [{ kind: 'contains_display_name' }], ['notify', SOUND_DEFAULT, HIGHLIGHT]),
    rule('.m.rule.is_room_mention', [{ kind: 'event_property_is', key: 'content.m\\.mentions.room', value: true }, { kind: 'sender_notification_permission', key: 'room' }], ['notify', HIGHLIGHT]),
    rule('.m.rule.roomnotif', [match('content.body', '@room'), { kind: 'sender_notification_permission', key: 'room' }], ['notify', HIGHLIGHT]),
    rule('.m.rule.tombstone', [match('type', 'm.room.tombstone'), match('state_key', '')], ['notify', HIGHLIGHT]),
    rule('.m.rule.reaction', [match('type', 'm.reaction')], []),
    rule('.m.rule.room.server_acl', [match('type', 'm.room.server_acl'), match('state_key', '')], []),
    rule('.m.rule.suppress_edits', [{ kind: 'event_property_is', key: 'content.m\\.relates_to.rel_type', value: 'm.replace' }], []),
  ];
  set.content = [
    { rule_id: '.m.rule.contains_user_name', default: true, enabled: true, pattern: localpartOf(userId), actions: ['notify', SOUND_DEFAULT, HIGHLIGHT] },
  ];
  set.underride = [
    rule('.m.rule.call', [match('type', 'm.call.invite')], ['notify', { set_tweak: 'sound', value: 'ring' }]),
    rule('.m.rule.encrypted_room_one_to_one', [{ kind: 'room_member_count', is: '2' }, match('type', 'm.room.encrypted')], ['notify', SOUND_DEFAULT]),
    rule('.m.rule.room_one_to_one', [{ kind: 'room_member_count', is: '2' }, match('type', 'm.room.message')], ['notify', SOUND_DEFAULT]),
    rule('.m.rule.message', [match('type', 'm.room.message')], ['notify']),
    rule('.m.rule.encrypted', [match('type', 'm.room.encrypted')], ['notify']),
  ];
  return set;
}
