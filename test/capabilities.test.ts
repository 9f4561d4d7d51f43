/** Client-server API §"Capabilities negotiation": GET /capabilities over real HTTP. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient } from './support/spec-client.js';

let hub: TestHub;
let alice: TestUser;

before(async () => {
  hub = await startTestHub({ rateLimit: false });
  alice = await makeUser(hub, 'alice');
});
after(async () => { await hub.stop(); });

describe('client-server API §"Capabilities negotiation" GET /capabilities', () => {
  it('lists password change, room versions 1–12 (default 10, all stable), profile changes, and no 3PID changes or login tokens', async () => {
    const r = await createSpecClient(hub.clientUrl, alice.token).get('/_matrix/client/v3/capabilities');
    assert.equal(r.status, 200);
    const caps = r.body.capabilities;
    assert.deepEqual(caps['m.change_password'], { enabled: true });
    assert.deepEqual(caps['m.room_versions'].default, '10');
    assert.deepEqual(caps['m.room_versions'].available, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [String(i + 1), 'stable'])));
    assert.deepEqual(caps['m.set_displayname'], { enabled: true });
    assert.deepEqual(caps['m.set_avatar_url'], { enabled: true });
    assert.deepEqual(caps['m.3pid_changes'], { enabled: false });
    assert.deepEqual(caps['m.get_login_token'], { enabled: true }, 'POST /login/get_token is implemented');
  });

  it('401 M_MISSING_TOKEN without an access token', async () => {
    const r = await createSpecClient(hub.clientUrl).get('/_matrix/client/v3/capabilities');
    assert.deepEqual([r.status, r.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});
