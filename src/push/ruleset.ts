/** A user's effective push ruleset: stored user rules merged with the server defaults, and pure edits of it. */
import { defaultPushRules } from './default-rules.js';
import { PUSH_RULE_KINDS, emptyRuleset, type PushAction, type PushCondition, type PushRule, type PushRuleKind, type PushRuleset } from './types.js';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whether a rule id is reserved for server-default rules ("MUST start with a dot"). */
export const isServerDefaultId = (ruleId: string): boolean => ruleId.startsWith('.');

/** A stored rule in the shape clients see for its kind, or undefined when it is unusable. */
function normaliseRule(kind: PushRuleKind, raw: unknown): PushRule | undefined {
  if (!isObject(raw) || typeof raw.rule_id !== 'string' || !Array.isArray(raw.actions)) return undefined;
  const rule: PushRule = { rule_id: raw.rule_id, default: raw.default === true, enabled: raw.enabled !== false, actions: raw.actions as PushAction[] };
  if (kind === 'override' || kind === 'underride') rule.conditions = Array.isArray(raw.conditions) ? (raw.conditions as PushCondition[]) : [];
  if (kind === 'content') {
    if (typeof raw.pattern !== 'string') return undefined;
    rule.pattern = raw.pattern;
  }
  return rule;
}

/**
 * The effective ruleset from the stored `m.push_rules` content (undefined: never written). User rules come
 * from the stored content in their order, ahead of the server defaults of their kind, except that
 * `.m.rule.master` stays first ("always a higher priority than other rules, even user defined ones").
 * Server-default rules always take their conditions from the current defaults and `enabled` and
 * `actions` from the stored copy, so defaults added in a newer Hearth appear, and removed ones go.
 * @example effectiveRuleset('@a:hub', undefined).underride.at(-1).rule_id // '.m.rule.encrypted'
 */
export function effectiveRuleset(userId: string, stored: unknown): PushRuleset {
  const defaults = defaultPushRules(userId);
  const global = isObject(stored) && isObject(stored.global) ? stored.global : {};
  const out = emptyRuleset();
  for (const kind of PUSH_RULE_KINDS) {
    const storedRules = (Array.isArray(global[kind]) ? global[kind] : []).map((r) => normaliseRule(kind, r)).filter((r): r is PushRule => r !== undefined);
    const seen = new Set<string>();
    const userRules = storedRules.filter((r) => !isServerDefaultId(r.rule_id) && !seen.has(r.rule_id) && seen.add(r.rule_id)).map((r) => ({ ...r, default: false }));
    const serverRules = defaults[kind].map((d) => {
      const s = storedRules.find((r) => r.rule_id === d.rule_id);
      return s ? { ...d, enabled: s.enabled, actions: s.actions } : d;
    });
    out[kind] = kind === 'override' && serverRules[0]?.rule_id === '.m.rule.master'
      ? [serverRules[0], ...userRules, ...serverRules.slice(1)]
      : [...userRules, ...serverRules];
  }
  return out;
}

/** The rule `ruleId` of `kind`, or undefined. */
export function findRule(set: PushRuleset, kind: PushRuleKind, ruleId: string): PushRule | undefined {
  return set[kind].find((r) => r.rule_id === ruleId);
}

/** Why a {@link putUserRule} was refused: `before`/`after` does not name a user-defined rule of that kind. */
export class RelativeRuleNotFoundError extends Error {
  constructor(readonly ruleId: string) {
    super(`before/after rule not found: ${ruleId}`);
    this.name = 'RelativeRuleNotFoundError';
  }
}

/** Where user rules of `kind` sit: after `.m.rule.master` for override rules, else from the start. */
const userBlockStart = (set: PushRuleset, kind: PushRuleKind): number => (kind === 'override' && set.override[0]?.rule_id === '.m.rule.master' ? 1 : 0);

/**
 * Adds or updates the user-defined rule `rule` of `kind` (spec PUT /pushrules/global/{kind}/{ruleId}).
 * A new rule is enabled; an updated one keeps its `enabled`. With `before` it becomes the next more
 * important rule than `before` (which wins when both are given); with `after` the next less important
 * than `after`; with neither, a new rule is the most important user rule and an updated rule stays put.
 * Throws RelativeRuleNotFoundError when `before`/`after` is not a user rule of that kind.
 */
export function putUserRule(set: PushRuleset, kind: PushRuleKind, rule: Omit<PushRule, 'default' | 'enabled'>, pos: { before?: string; after?: string } = {}): PushRuleset {
  const list = [...set[kind]];
  const index = list.findIndex((r) => r.rule_id === rule.rule_id && !r.default);
  const next: PushRule = { ...rule, default: false, enabled: index === -1 ? true : list[index]!.enabled };
  const anchorId = pos.before ?? pos.after;
  if (anchorId === undefined && index !== -1) {
    list[index] = next;
    return { ...set, [kind]: list };
  }
  if (index !== -1) list.splice(index, 1);
  let at = userBlockStart(set, kind);
  if (anchorId !== undefined) {
    const anchor = list.findIndex((r) => r.rule_id === anchorId && !r.default);
    // "It is not possible to add a rule relative to a predefined server rule."
    if (anchor === -1) throw new RelativeRuleNotFoundError(anchorId);
    at = pos.before !== undefined ? anchor : anchor + 1;
  }
  list.splice(at, 0, next);
  return { ...set, [kind]: list };
}

/** Removes a user-defined rule; undefined when there is none (server-default rules cannot be removed). */
export function deleteUserRule(set: PushRuleset, kind: PushRuleKind, ruleId: string): PushRuleset | undefined {
  const index = set[kind].findIndex((r) => r.rule_id === ruleId && !r.default);
  if (index === -1) return undefined;
  return { ...set, [kind]: set[kind].filter((_, i) => i !== index) };
}

/** Changes `enabled` or `actions` of any rule (user or server-default); undefined when there is no such rule. */
export function updateRule(set: PushRuleset, kind: PushRuleKind, ruleId: string, change: { enabled?: boolean; actions?: PushAction[] }): PushRuleset | undefined {
  const index = set[kind].findIndex((r) => r.rule_id === ruleId);
  if (index === -1) return undefined;
  const list = [...set[kind]];
  list[index] = { ...list[index]!, ...change };
  return { ...set, [kind]: list };
}
