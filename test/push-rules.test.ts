/** Client-server API §"Push Rules: API" over real HTTP: reading, adding, ordering, enabling and deleting rules, with every listed error. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient, type SpecClient } from './support/spec-client.js';
import { getPushRulesForUser } from '../src/push/push-rules.js';
import { defaultPushRules } from '../src/push/default-rules.js';

let hub: TestHub;
let alice: TestUser;
let a: SpecClient;
const enc = encodeURIComponent;
const rulePath = (kind: string, ruleId: string, rest = '') => `/_matrix/client/v3/pushrules/global/${kind}/${enc(ruleId)}${rest}`;
const ids = async (kind: string) => ((await a.get('/_matrix/client/v3/pushrules/global/')).body[kind] as { rule_id: string }[]).map((r) => r.rule_id);

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  alice = await makeUser(hub, 'alice');
  a = createSpecClient(hub.clientUrl, alice.token);
});
after(async () => { await hub.stop(); });

describe('client-server API §"Push Rules: API" GET /pushrules/ and /pushrules/global/', () => {
  it('a new user gets the server-default rules, under `global`', async () => {
    const all = await a.get('/_matrix/client/v3/pushrules/');
    assert.equal(all.status, 200);
    assert.deepEqual(all.body, { global: defaultPushRules(alice.userId) });
    assert.deepEqual((await a.get('/_matrix/client/v3/pushrules/global/')).body, defaultPushRules(alice.userId));
  });

  it('GET one rule; an unknown rule is 404 M_NOT_FOUND; an unknown kind 400 M_UNRECOGNIZED', async () => {
    const master = await a.get(rulePath('override', '.m.rule.master'));
    assert.deepEqual(master.body, { rule_id: '.m.rule.master', default: true, enabled: false, conditions: [], actions: [] });
    const missing = await a.get(rulePath('override', 'nope'));
    assert.deepEqual([missing.status, missing.body.errcode], [404, 'M_NOT_FOUND']);
    const wrongKind = await a.get(rulePath('content', '.m.rule.master'));
    assert.deepEqual([wrongKind.status, wrongKind.body.errcode], [404, 'M_NOT_FOUND']);
    const badKind = await a.get(rulePath('everything', 'x'));
    assert.deepEqual([badKind.status, badKind.body.errcode], [400, 'M_UNRECOGNIZED']);
  });
});

describe('client-server API §"Push Rules: API" PUT /pushrules/global/{kind}/{ruleId}', () => {
  it('the spec examples: a room rule, a sender rule, content rules with `before`, an override with conditions', async () => {
    assert.deepEqual((await a.put(rulePath('room', '!dj234r78wl45Gh4D:matrix.org'), { actions: [] })).body, {});
    await a.put(rulePath('sender', '@spambot:matrix.org'), { actions: [] });
    await a.put(rulePath('content', 'SSByZWFsbHkgbGlrZSBjYWtl'), { pattern: 'cake', actions: ['notify', { set_tweak: 'sound', value: 'cakealarm.wav' }] });
    await a.put(`${rulePath('content', 'U3BvbmdlIGNha2UgaXMgYmVzdA')}?before=SSByZWFsbHkgbGlrZSBjYWtl`, { pattern: 'cake*lie', actions: ['notify'] });
    await a.put(rulePath('override', 'U2VlIHlvdSBpbiBUaGUgRHVrZQ'), {
      conditions: [{ kind: 'event_match', key: 'content.body', pattern: 'beer' }, { kind: 'room_member_count', is: '<=10' }],
      actions: ['notify', { set_tweak: 'sound', value: 'beeroclock.wav' }],
    });
    assert.deepEqual(await ids('room'), ['!dj234r78wl45Gh4D:matrix.org']);
    assert.deepEqual(await ids('sender'), ['@spambot:matrix.org']);
    assert.deepEqual(await ids('content'), ['U3BvbmdlIGNha2UgaXMgYmVzdA', 'SSByZWFsbHkgbGlrZSBjYWtl', '.m.rule.contains_user_name']);
    assert.deepEqual((await ids('override')).slice(0, 2), ['.m.rule.master', 'U2VlIHlvdSBpbiBUaGUgRHVrZQ']);
    assert.deepEqual((await a.get(rulePath('content', 'U3BvbmdlIGNha2UgaXMgYmVzdA'))).body, {
      rule_id: 'U3BvbmdlIGNha2UgaXMgYmVzdA', default: false, enabled: true, pattern: 'cake*lie', actions: ['notify'],
    });
  });

  it('rules are stored as the server-managed account data m.push_rules, on the /sync stream', async () => {
    const stored = await hub.store.accountData.get(alice.userId, null, 'm.push_rules');
    assert.ok(stored);
    assert.deepEqual(stored, { global: await getPushRulesForUser(hub, alice.userId) });
  });

  it('after= places the rule next-less important; updating without before/after keeps its place and enabled', async () => {
    await a.put(`${rulePath('sender', '@b:x')}?after=@spambot:matrix.org`, { actions: [] });
    await a.put(rulePath('sender', '@a:x'), { actions: [] });
    assert.deepEqual(await ids('sender'), ['@a:x', '@spambot:matrix.org', '@b:x']);
    await a.put(rulePath('sender', '@spambot:matrix.org', '/enabled'), { enabled: false });
    await a.put(rulePath('sender', '@spambot:matrix.org'), { actions: ['notify'] });
    assert.deepEqual(await ids('sender'), ['@a:x', '@spambot:matrix.org', '@b:x']);
    assert.deepEqual((await a.get(rulePath('sender', '@spambot:matrix.org'))).body, { rule_id: '@spambot:matrix.org', default: false, enabled: false, actions: ['notify'] });
  });

  it('before/after naming an unknown or server-default rule: 400 M_UNKNOWN "before/after rule not found" (the spec example)', async () => {
    for (const q of ['before=someRuleId', 'after=.m.rule.master']) {
      const res = await a.put(`${rulePath('override', 'new')}?${q}`, { conditions: [], actions: [] });
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_UNKNOWN'], q);
      assert.match(res.body.error, /before\/after rule not found/);
    }
    assert.equal((await a.get(rulePath('override', 'new'))).status, 404);
  });

  it('a rule id starting with "." or holding / or \\: 400 M_INVALID_PARAM', async () => {
    for (const id of ['.m.rule.mine', 'a/b', 'a\\b']) {
      const res = await a.put(rulePath('room', id), { actions: [] });
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM'], id);
    }
  });

  it('bad bodies: 400 M_BAD_JSON (no actions, unknown action, content without pattern, bad conditions), M_NOT_JSON when empty', async () => {
    const rows: [string, string, unknown][] = [
      ['room', '!r:x', {}],
      ['room', '!r:x', { actions: ['shout'] }],
      ['room', '!r:x', { actions: 'notify' }],
      ['content', 'c', { actions: [] }],
      ['override', 'o', { actions: [], conditions: [{ key: 'type' }] }],
      ['override', 'o', { actions: [], conditions: 'all' }],
      ['underride', 'u', { actions: [], conditions: [{ kind: 'event_property_is', key: 'x', value: { no: 1 } }] }],
      ['room', '!r:x', ['notify']],
    ];
    for (const [kind, id, body] of rows) {
      const res = await a.put(rulePath(kind, id), body);
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_BAD_JSON'], JSON.stringify(body));
    }
    const empty = await a.put(rulePath('room', '!r:x'));
    assert.deepEqual([empty.status, empty.body.errcode], [400, 'M_NOT_JSON']);
  });

  it('override without conditions is a rule that always matches; historical actions are stripped', async () => {
    await a.put(rulePath('underride', 'catch-all'), { actions: ['notify', 'dont_notify'] });
    assert.deepEqual((await a.get(rulePath('underride', 'catch-all'))).body, { rule_id: 'catch-all', default: false, enabled: true, conditions: [], actions: ['notify'] });
  });

  it('an unknown kind: 400 M_UNRECOGNIZED', async () => {
    const res = await a.put(rulePath('global', 'x'), { actions: [] });
    assert.deepEqual([res.status, res.body.errcode], [400, 'M_UNRECOGNIZED']);
  });
});

describe('client-server API §"Push Rules: API" .../enabled and .../actions', () => {
  it('GET/PUT enabled on a server-default rule (e.g. turning on .m.rule.master)', async () => {
    assert.deepEqual((await a.get(rulePath('override', '.m.rule.master', '/enabled'))).body, { enabled: false });
    assert.deepEqual((await a.put(rulePath('override', '.m.rule.master', '/enabled'), { enabled: true })).body, {});
    assert.deepEqual((await a.get(rulePath('override', '.m.rule.master', '/enabled'))).body, { enabled: true });
    await a.put(rulePath('override', '.m.rule.master', '/enabled'), { enabled: false });
  });

  it('GET/PUT actions: "This can be used to change the actions of builtin rules"', async () => {
    assert.deepEqual((await a.get(rulePath('underride', '.m.rule.message', '/actions'))).body, { actions: ['notify'] });
    await a.put(rulePath('underride', '.m.rule.message', '/actions'), { actions: ['notify', { set_tweak: 'sound', value: 'bing' }] });
    assert.deepEqual((await a.get(rulePath('underride', '.m.rule.message', '/actions'))).body, { actions: ['notify', { set_tweak: 'sound', value: 'bing' }] });
    const rule = (await getPushRulesForUser(hub, alice.userId)).underride.find((r) => r.rule_id === '.m.rule.message');
    assert.deepEqual(rule?.conditions, [{ kind: 'event_match', key: 'type', pattern: 'm.room.message' }]);
  });

  it('unknown rules: 404 M_NOT_FOUND for all four', async () => {
    for (const res of [
      await a.get(rulePath('room', '!none:x', '/enabled')), await a.put(rulePath('room', '!none:x', '/enabled'), { enabled: true }),
      await a.get(rulePath('room', '!none:x', '/actions')), await a.put(rulePath('room', '!none:x', '/actions'), { actions: [] }),
    ]) assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('bad bodies: enabled not a boolean, actions not valid: 400 M_BAD_JSON', async () => {
    const e = await a.put(rulePath('override', '.m.rule.master', '/enabled'), { enabled: 'yes' });
    assert.deepEqual([e.status, e.body.errcode], [400, 'M_BAD_JSON']);
    const act = await a.put(rulePath('override', '.m.rule.master', '/actions'), { actions: [42] });
    assert.deepEqual([act.status, act.body.errcode], [400, 'M_BAD_JSON']);
    const none = await a.put(rulePath('override', '.m.rule.master', '/actions'), {});
    assert.deepEqual([none.status, none.body.errcode], [400, 'M_BAD_JSON']);
  });
});

describe('client-server API §"Push Rules: API" DELETE /pushrules/global/{kind}/{ruleId}', () => {
  it('deletes a user rule; then it is 404', async () => {
    await a.put(rulePath('room', '!gone:x'), { actions: [] });
    assert.deepEqual((await a.delete(rulePath('room', '!gone:x'))).body, {});
    const res = await a.get(rulePath('room', '!gone:x'));
    assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND']);
    const again = await a.delete(rulePath('room', '!gone:x'));
    assert.deepEqual([again.status, again.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('a server-default rule cannot be deleted: 404 M_NOT_FOUND (the only error the spec lists; as Synapse)', async () => {
    const res = await a.delete(rulePath('override', '.m.rule.suppress_notices'));
    assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND']);
    assert.equal((await a.get(rulePath('override', '.m.rule.suppress_notices'))).status, 200);
  });

  it('concurrent edits all land (one writer per ruleset)', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => a.put(rulePath('room', `!r${i}:x`), { actions: [] })));
    const rooms = await ids('room');
    for (let i = 0; i < 8; i++) assert.ok(rooms.includes(`!r${i}:x`), `!r${i}:x`);
  });
});
