/** A user's push rules as stored in the server-managed `m.push_rules` account data, read merged with the defaults. */
import { writeAccountData, type AccountDataDeps } from '../account-data/write.js';
import { effectiveRuleset } from './ruleset.js';
import type { PushRulesContent, PushRuleset } from './types.js';

/** The account data type holding the user's push rules ("server-managed": clients cannot PUT it as account data). */
export const PUSH_RULES_TYPE = 'm.push_rules';

/**
 * The user's effective ruleset: their rules and changes to server-default rules, merged with the
 * current defaults. Evaluate events with it (evaluatePushRules).
 */
export async function getPushRulesForUser(s: AccountDataDeps, userId: string): Promise<PushRuleset> {
  return effectiveRuleset(userId, await s.store.accountData.get(userId, null, PUSH_RULES_TYPE));
}

/** The `m.push_rules` account data content `{global}`, for /sync (initial syncs include it even if never written). */
export async function getPushRulesContent(s: AccountDataDeps, userId: string): Promise<PushRulesContent> {
  return { global: await getPushRulesForUser(s, userId) };
}

/** Stores the whole effective ruleset as `m.push_rules` (what /sync then sends); resolves to the stream id. */
export function savePushRules(s: AccountDataDeps, userId: string, rules: PushRuleset): Promise<number> {
  return writeAccountData(s, userId, null, PUSH_RULES_TYPE, { global: rules });
}
