/** The push rule evaluator (spec: "Push Rules"): the first enabled matching rule, by kind then order, decides the actions. */
import { conditionMatches, type PushContext, type PushEvent } from './conditions.js';
import { LEGACY_MENTION_RULE_IDS } from './default-rules.js';
import { PUSH_RULE_KINDS, type PushAction, type PushCondition, type PushRule, type PushRuleKind, type PushRuleset } from './types.js';

export type { PushContext, PushEvent } from './conditions.js';

/** What the rules decided for one event and one user. */
export interface PushEvaluation {
  /** The actions contain `notify`: count it as a notification and send it to the user's pushers. */
  notify: boolean;
  /** A `highlight` tweak with no value or `true` is present. */
  highlight: boolean;
  /** The matching rule's actions without the historical `dont_notify` / `coalesce`; [] when nothing matched. */
  actions: PushAction[];
  /** The matching rule, or null when none matched (or the user sent the event). */
  ruleId: string | null;
  kind: PushRuleKind | null;
}

const noMatch = (): PushEvaluation => ({ notify: false, highlight: false, actions: [], ruleId: null, kind: null });

/** Historical actions: "Clients and homeservers MUST ignore these actions". */
const HISTORICAL_ACTIONS = new Set(['dont_notify', 'coalesce']);

/**
 * The conditions a rule stands for: its own for override/underride; for content rules an event_match of
 * `pattern` on `content.body`; for room and sender rules the rule_id matched against room_id / sender.
 * @example ruleConditions('room', { rule_id: '!a:hub', ... }) // [{ kind: 'event_match', key: 'room_id', pattern: '!a:hub' }]
 */
export function ruleConditions(kind: PushRuleKind, rule: PushRule): PushCondition[] | undefined {
  switch (kind) {
    case 'content':
      return typeof rule.pattern === 'string' ? [{ kind: 'event_match', key: 'content.body', pattern: rule.pattern }] : undefined;
    case 'room':
      return [{ kind: 'event_match', key: 'room_id', pattern: rule.rule_id }];
    case 'sender':
      return [{ kind: 'event_match', key: 'sender', pattern: rule.rule_id }];
    default:
      // "A rule with no conditions always matches."
      return rule.conditions ?? [];
  }
}

/** Strips historical actions and reads the notify and highlight decisions. */
export function summariseActions(actions: readonly PushAction[]): Pick<PushEvaluation, 'notify' | 'highlight' | 'actions'> {
  const kept = actions.filter((a) => !(typeof a === 'string' && HISTORICAL_ACTIONS.has(a)));
  const highlight = kept.some((a) => typeof a === 'object' && a !== null && a.set_tweak === 'highlight' && (a.value === undefined || a.value === true));
  return { notify: kept.includes('notify'), highlight, actions: kept };
}

/**
 * Evaluates `rules` (the user's effective ruleset, e.g. from getPushRulesForUser) for `event`.
 * Kinds are checked override, content, room, sender, underride; within a kind, in list order.
 * @example evaluatePushRules(defaultPushRules('@bob:hub'), { type: 'm.room.message', sender: '@a:hub', content: { body: 'hi' } },
 *   { userId: '@bob:hub', displayName: 'Bob', roomMemberCount: 2, senderPowerLevel: 0 }) // notify: true (.m.rule.room_one_to_one)
 */
export function evaluatePushRules(rules: PushRuleset, event: PushEvent, ctx: PushContext): PushEvaluation {
  // "Homeservers MUST NOT notify the Push Gateway for events that the user has sent themselves."
  if (event.sender === ctx.userId) return noMatch();
  const content = event.content;
  // "User and room mentions": the legacy body-mention rules are disabled when `m.mentions` is present.
  const hasMentions = typeof content === 'object' && content !== null && Object.prototype.hasOwnProperty.call(content, 'm.mentions');
  for (const kind of PUSH_RULE_KINDS) {
    for (const rule of rules[kind] ?? []) {
      // "Disabled rules never match."
      if (!rule.enabled) continue;
      if (hasMentions && rule.default && LEGACY_MENTION_RULE_IDS.has(rule.rule_id)) continue;
      const conditions = ruleConditions(kind, rule);
      if (!conditions || !conditions.every((c) => conditionMatches(c, event, ctx))) continue;
      return { ...summariseActions(rule.actions ?? []), ruleId: rule.rule_id, kind };
    }
  }
  // "If no rules match an event, the homeserver MUST NOT notify the Push Gateway for that event."
  return noMatch();
}
