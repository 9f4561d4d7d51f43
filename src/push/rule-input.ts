/** Validation of push rule request bodies (spec PUT /pushrules/global/{kind}/{ruleId}, .../actions, .../enabled). */
import { MatrixError, badJson, invalidParam } from '../http/errors.js';
import type { PushAction, PushCondition, PushRule, PushRuleKind } from './types.js';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isScalar = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isSafeInteger(v));

/** Historical actions, accepted and dropped ("Clients and homeservers MUST ignore these actions ... by stripping them"). */
const HISTORICAL_ACTIONS = new Set(['dont_notify', 'coalesce']);

/** An `actions` array: `notify`, historical strings (stripped), or `{set_tweak: string, ...}`; else 400 M_BAD_JSON. */
export function parseActions(raw: unknown): PushAction[] {
  if (!Array.isArray(raw)) throw badJson("'actions' must be an array");
  const out: PushAction[] = [];
  for (const a of raw) {
    if (a === 'notify') out.push(a);
    else if (typeof a === 'string' && HISTORICAL_ACTIONS.has(a)) continue;
    else if (isObject(a) && typeof a.set_tweak === 'string') out.push(a as PushAction);
    else throw badJson(`Unrecognised action: ${JSON.stringify(a)}`);
  }
  return out;
}

/** A `conditions` array of PushCondition objects (kind required; key/pattern/is strings; value non-compound). */
export function parseConditions(raw: unknown): PushCondition[] {
  if (!Array.isArray(raw)) throw badJson("'conditions' must be an array");
  return raw.map((c) => {
    if (!isObject(c) || typeof c.kind !== 'string') throw badJson("Each condition must be an object with a string 'kind'");
    for (const field of ['key', 'pattern', 'is'] as const) {
      if (field in c && typeof c[field] !== 'string') throw badJson(`Condition '${field}' must be a string`);
    }
    if ('value' in c && !isScalar(c.value)) throw badJson("Condition 'value' must be a string, integer, boolean or null");
    return c as PushCondition;
  });
}

/**
 * Checks a rule id for PUT: "If the string starts with a dot ("."), the request MUST be rejected ...
 * Slashes ("/") and backslashes ("\") are also not allowed." 400 M_INVALID_PARAM.
 */
export function checkNewRuleId(ruleId: string): void {
  if (ruleId.startsWith('.')) throw invalidParam("Rule ids starting with '.' are reserved for server-default rules");
  if (ruleId.includes('/') || ruleId.includes('\\')) throw invalidParam('Rule ids may not contain slashes or backslashes');
}

/** The rule a PUT body describes for `kind`: actions always; conditions (default []) for override/underride; pattern for content. */
export function ruleFromBody(kind: PushRuleKind, ruleId: string, body: Record<string, unknown>): Omit<PushRule, 'default' | 'enabled'> {
  if (!('actions' in body)) throw badJson("Missing 'actions'");
  const rule: Omit<PushRule, 'default' | 'enabled'> = { rule_id: ruleId, actions: parseActions(body.actions) };
  if (kind === 'override' || kind === 'underride') {
    // "A rule with no conditions always matches", and the schema does not require them.
    rule.conditions = body.conditions === undefined ? [] : parseConditions(body.conditions);
  } else if (kind === 'content') {
    if (typeof body.pattern !== 'string') throw badJson("Content rules need a string 'pattern'");
    rule.pattern = body.pattern;
  }
  return rule;
}

/** The body of PUT .../enabled: `{"enabled": boolean}` (a bare boolean is accepted too, as Synapse does for old clients). */
export function enabledFromBody(body: unknown): boolean {
  if (typeof body === 'boolean') return body;
  if (body === undefined) throw new MatrixError(400, 'M_NOT_JSON', 'Content not JSON.');
  if (!isObject(body) || typeof body.enabled !== 'boolean') throw badJson("'enabled' must be a boolean");
  return body.enabled;
}
