/** Push Rules: API (spec: "Push Rules: API"): reading and editing the user's push rules, stored as `m.push_rules`. */
import { MatrixError, notFound } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import { clientRoute, type RequestContext, type Route } from '../http/route.js';
import type { Services } from '../services.js';
import { Mutex } from '../rooms/mutex.js';
import { getPushRulesForUser, savePushRules } from '../push/push-rules.js';
import { RelativeRuleNotFoundError, deleteUserRule, findRule, putUserRule, updateRule } from '../push/ruleset.js';
import { checkNewRuleId, enabledFromBody, parseActions, ruleFromBody } from '../push/rule-input.js';
import { isPushRuleKind, type PushRuleKind, type PushRuleset } from '../push/types.js';

/** The `{kind}` of the path; an unknown kind is an unrecognised request (400 M_UNRECOGNIZED, as Synapse). */
function kindOf(ctx: RequestContext): PushRuleKind {
  const kind = ctx.params.kind!;
  if (!isPushRuleKind(kind)) throw new MatrixError(400, 'M_UNRECOGNIZED', `Unknown push rule kind: ${kind}`);
  return kind;
}

const ruleNotFound = () => notFound('The push rule was not found.');

/** The edited ruleset, or 404 M_NOT_FOUND when the edit found no such rule. */
function orNotFound(rules: PushRuleset | undefined): PushRuleset {
  if (rules === undefined) throw ruleNotFound();
  return rules;
}

export function pushRuleRoutes(s: Services): Route[] {
  // Every edit reads, changes and writes the whole ruleset; one at a time so none is lost.
  const writes = new Mutex();
  const edit = (userId: string, change: (rules: PushRuleset) => PushRuleset) =>
    writes.run(async () => { await savePushRules(s, userId, change(await getPushRulesForUser(s, userId))); });

  /** GET /_matrix/client/v3/pushrules/ */
  const getAll = async (ctx: RequestContext) => ({ global: await getPushRulesForUser(s, ctx.principal!.userId) });

  /** GET /_matrix/client/v3/pushrules/global/ */
  const getGlobal = async (ctx: RequestContext) => getPushRulesForUser(s, ctx.principal!.userId);

  /** GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId} */
  const getRule = async (ctx: RequestContext) => {
    const rule = findRule(await getPushRulesForUser(s, ctx.principal!.userId), kindOf(ctx), ctx.params.ruleId!);
    if (!rule) throw ruleNotFound();
    return rule;
  };

  /** PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId} */
  const putRule = async (ctx: RequestContext) => {
    const kind = kindOf(ctx);
    const ruleId = ctx.params.ruleId!;
    checkNewRuleId(ruleId);
    const rule = ruleFromBody(kind, ruleId, jsonObject(ctx.body));
    const pos = { before: ctx.query.get('before') || undefined, after: ctx.query.get('after') || undefined };
    try {
      await edit(ctx.principal!.userId, (rules) => putUserRule(rules, kind, rule, pos));
    } catch (err) {
      // The spec's example: 400 M_UNKNOWN "before/after rule not found: someRuleId".
      if (err instanceof RelativeRuleNotFoundError) throw new MatrixError(400, 'M_UNKNOWN', err.message);
      throw err;
    }
    return {};
  };

  /** DELETE /_matrix/client/v3/pushrules/global/{kind}/{ruleId} */
  const deleteRule = async (ctx: RequestContext) => {
    const kind = kindOf(ctx);
    // Server-default rules cannot be deleted: 404, the one error the spec lists (and what Synapse answers).
    await edit(ctx.principal!.userId, (rules) => orNotFound(deleteUserRule(rules, kind, ctx.params.ruleId!)));
    return {};
  };

  /** GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled */
  const getEnabled = async (ctx: RequestContext) => ({ enabled: (await getRule(ctx)).enabled });

  /** PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled */
  const putEnabled = async (ctx: RequestContext) => {
    const kind = kindOf(ctx);
    const enabled = enabledFromBody(ctx.body);
    await edit(ctx.principal!.userId, (rules) => orNotFound(updateRule(rules, kind, ctx.params.ruleId!, { enabled })));
    return {};
  };

  /** GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions */
  const getActions = async (ctx: RequestContext) => ({ actions: (await getRule(ctx)).actions });

  /** PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions */
  const putActions = async (ctx: RequestContext) => {
    const kind = kindOf(ctx);
    const actions = parseActions(jsonObject(ctx.body).actions);
    await edit(ctx.principal!.userId, (rules) => orNotFound(updateRule(rules, kind, ctx.params.ruleId!, { actions })));
    return {};
  };

  const rule = '/pushrules/global/{kind}/{ruleId}';
  return [
    ...clientRoute('GET', '/pushrules/', 'user', getAll),
    ...clientRoute('GET', '/pushrules/global/', 'user', getGlobal),
    ...clientRoute('GET', rule, 'user', getRule),
    ...clientRoute('PUT', rule, 'user', putRule),
    ...clientRoute('DELETE', rule, 'user', deleteRule),
    ...clientRoute('GET', `${rule}/enabled`, 'user', getEnabled),
    ...clientRoute('PUT', `${rule}/enabled`, 'user', putEnabled),
    ...clientRoute('GET', `${rule}/actions`, 'user', getActions),
    ...clientRoute('PUT', `${rule}/actions`, 'user', putActions),
  ];
}
