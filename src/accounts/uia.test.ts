/** Unit tests of user-interactive auth sessions (client-server API §"User-Interactive Authentication API"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MatrixError } from '../http/errors.js';
import { createUia, UiaRequiredError, UiaStageError, type UiaRequest } from './uia.js';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

const req = (body: Record<string, unknown>, over: Partial<UiaRequest> = {}): UiaRequest => ({
  operation: 'POST /x', body,
  flows: [{ stages: ['a', 'b'] }, { stages: ['c'] }],
  stages: { a: () => undefined, b: () => undefined, c: () => { throw new UiaStageError('M_FORBIDDEN', 'no c'); } },
  ...over,
});

/** The 401 body a call rejects with. */
async function challenge(p: Promise<unknown>): Promise<Record<string, any>> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof UiaRequiredError, String(err));
    assert.equal(err.status, 401);
    return err.toJSON();
  }
  assert.fail('expected a 401');
}

describe('client-server API §"User-interactive API in the REST API"', () => {
  it('the first 401 has flows, params, session and an empty completed list, without errcode', async () => {
    const uia = createUia({ now: clock().now });
    const body = await challenge(uia.authenticate(req({ x: 1 }, { params: { a: { k: 'v' } } })));
    assert.deepEqual(Object.keys(body).sort(), ['completed', 'flows', 'params', 'session']);
    assert.deepEqual(body.flows, [{ stages: ['a', 'b'] }, { stages: ['c'] }]);
    assert.deepEqual(body.params, { a: { k: 'v' } });
    assert.deepEqual(body.completed, []);
  });

  it('stages complete in flow order; the last one returns the session with the stored parameters', async () => {
    const uia = createUia({ now: clock().now });
    const { session } = await challenge(uia.authenticate(req({ x: 1 })));
    const mid = await challenge(uia.authenticate(req({ auth: { type: 'a', session } })));
    assert.deepEqual(mid.completed, ['a']);
    assert.equal('errcode' in mid, false);
    const done = await uia.authenticate(req({ auth: { type: 'b', session } }));
    assert.deepEqual(done.completed, ['a', 'b']);
    assert.deepEqual(done.clientDict, { x: 1 }, 'a request with only auth keeps the earlier parameters');
  });

  it('a stage out of order, or a failing stage, is 401 with errcode and the session kept', async () => {
    const uia = createUia({ now: clock().now });
    const { session } = await challenge(uia.authenticate(req({})));
    const outOfOrder = await challenge(uia.authenticate(req({ auth: { type: 'b', session } })));
    assert.equal(outOfOrder.errcode, 'M_FORBIDDEN');
    assert.equal(outOfOrder.session, session);
    const failed = await challenge(uia.authenticate(req({ auth: { type: 'c', session } })));
    assert.deepEqual([failed.errcode, failed.error], ['M_FORBIDDEN', 'no c']);
  });

  it('a completed stage is not checked again when retried', async () => {
    const uia = createUia({ now: clock().now });
    let calls = 0;
    const r = (body: Record<string, unknown>) => req(body, { stages: { a: () => { calls++; }, b: () => undefined } });
    const { session } = await challenge(uia.authenticate(r({})));
    await challenge(uia.authenticate(r({ auth: { type: 'a', session } })));
    const again = await challenge(uia.authenticate(r({ auth: { type: 'a', session } })));
    assert.deepEqual(again.completed, ['a']);
    assert.equal(calls, 1);
  });

  it('a session is bound to its operation and user, ends with finish, and expires', async () => {
    const c = clock();
    const uia = createUia({ now: c.now, ttlMs: 1000 });
    const { session } = await challenge(uia.authenticate(req({}, { userId: '@a:hs' })));
    await assert.rejects(uia.authenticate(req({ auth: { type: 'a', session } }, { userId: '@b:hs' })), (e: unknown) => e instanceof MatrixError && e.status === 403);
    await assert.rejects(uia.authenticate(req({ auth: { type: 'a', session } }, { operation: 'POST /y', userId: '@a:hs' })), (e: unknown) => e instanceof MatrixError && e.status === 403);
    c.advance(1000);
    await assert.rejects(uia.authenticate(req({ auth: { type: 'a', session } }, { userId: '@a:hs' })), (e: unknown) => e instanceof MatrixError && e.status === 400);
    const s2 = await challenge(uia.authenticate(req({})));
    await challenge(uia.authenticate(req({ auth: { type: 'a', session: s2.session } })));
    const done = await uia.authenticate(req({ auth: { type: 'b', session: s2.session } }));
    uia.finish(done);
    await assert.rejects(uia.authenticate(req({ auth: { type: 'b', session: s2.session } })), (e: unknown) => e instanceof MatrixError && e.status === 400);
  });

  it('keeps at most maxSessions sessions', async () => {
    const uia = createUia({ now: clock().now, maxSessions: 5 });
    for (let i = 0; i < 50; i++) await challenge(uia.authenticate(req({})));
    assert.equal(uia.size(), 5);
  });
});
