/** Push rule wire types (spec: "Push Notifications" and the PushRule/PushCondition/Ruleset schemas), shared by the push modules. */

/** The rule kinds in the order they are checked (spec: "Push Rules"). */
export const PUSH_RULE_KINDS = ['override', 'content', 'room', 'sender', 'underride'] as const;

export type PushRuleKind = (typeof PUSH_RULE_KINDS)[number];

/** A non-compound canonical JSON value, as `event_property_is` / `event_property_contains` compare. */
export type ScalarValue = string | number | boolean | null;

/** A push condition. Unknown kinds are kept (and never match). */
export interface PushCondition {
  kind: string;
  key?: string;
  pattern?: string;
  is?: string;
  value?: ScalarValue;
  [extra: string]: unknown;
}

/** `"notify"`, a historical string action, or `{set_tweak, value?}`. */
export type PushAction = string | { set_tweak: string; value?: unknown; [extra: string]: unknown };

/** A rule as clients see it: `conditions` only for override/underride, `pattern` only for content rules. */
export interface PushRule {
  rule_id: string;
  default: boolean;
  enabled: boolean;
  actions: PushAction[];
  conditions?: PushCondition[];
  pattern?: string;
}

/** The `global` ruleset: one ordered list per kind, most important first. */
export type PushRuleset = Record<PushRuleKind, PushRule[]>;

/** The content of the `m.push_rules` account data event and the body of `GET /pushrules/`. */
export interface PushRulesContent {
  global: PushRuleset;
}

/** Whether `kind` names one of the five rule kinds. */
export function isPushRuleKind(kind: string): kind is PushRuleKind {
  return (PUSH_RULE_KINDS as readonly string[]).includes(kind);
}

/** An empty ruleset (fresh arrays). */
export function emptyRuleset(): PushRuleset {
  return { override: [], content: [], room: [], sender: [], underride: [] };
}
