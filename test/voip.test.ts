/** Client-server API §"Voice over IP" GET /voip/turnServer over real HTTP, and the --turn-* settings. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startTestHub, type TestHub } from './support/hub.js';
import { makeUser, type TestUser } from './support/users.js';
import { createSpecClient } from './support/spec-client.js';
import { fetchJson } from './support/http.js';
import { loadConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/config/options.js';

const URIS = ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'];
let plain: TestHub, turn: TestHub, uriOnly: TestHub;
let a: TestUser, b: TestUser, c: TestUser;

before(async () => {
  plain = await startTestHub({ rateLimit: false });
  turn = await startTestHub({ rateLimit: false, turnUris: URIS, turnSharedSecret: 's3cret', turnTtl: 3600 });
  uriOnly = await startTestHub({ rateLimit: false, turnUris: URIS });
  [a, b, c] = await Promise.all([makeUser(plain, 'alice'), makeUser(turn, 'alice'), makeUser(uriOnly, 'alice')]);
});
after(async () => { await Promise.all([plain.stop(), turn.stop(), uriOnly.stop()]); });

describe('client-server API §"Voice over IP" GET /voip/turnServer', () => {
  it('answers {} when no TURN server is configured (as Synapse), and when there is no shared secret', async () => {
    // `{}` leaves out the schema's required fields: Synapse's answer, which clients read as "no TURN", so not spec-validated.
    const get = (hub: TestHub, u: TestUser) => fetchJson(`${hub.clientUrl}/_matrix/client/v3/voip/turnServer`, { headers: { Authorization: `Bearer ${u.token}` } });
    const r = await get(plain, a);
    assert.deepEqual([r.status, r.body], [200, {}]);
    const r2 = await get(uriOnly, c);
    assert.deepEqual([r2.status, r2.body], [200, {}]);
  });

  it('issues TURN REST API credentials: username expiry:userId, password base64(HMAC-SHA1(secret, username)), the URIs and ttl', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await createSpecClient(turn.clientUrl, b.token).get('/_matrix/client/v3/voip/turnServer');
    assert.equal(r.status, 200);
    const [expiry, ...rest] = r.body.username.split(':');
    assert.equal(rest.join(':'), b.userId);
    assert.ok(Number(expiry) >= before + 3600 && Number(expiry) <= Math.floor(Date.now() / 1000) + 3600);
    assert.equal(r.body.password, createHmac('sha1', 's3cret').update(r.body.username).digest('base64'));
    assert.deepEqual(r.body.uris, URIS);
    assert.equal(r.body.ttl, 3600);
  });

  it('401 M_MISSING_TOKEN without an access token', async () => {
    const r = await createSpecClient(turn.clientUrl).get('/_matrix/client/v3/voip/turnServer');
    assert.deepEqual([r.status, r.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});

describe('hearth start --turn-uris, --turn-shared-secret, --turn-ttl', () => {
  const load = (flags: Record<string, string>) => loadConfig({ flags, env: {} });

  it('parses a comma-separated URI list, the secret and a TTL in seconds or as a duration (default 86400)', async () => {
    const cfg = await load({ 'turn-uris': `${URIS[0]}, ${URIS[1]}`, 'turn-shared-secret': 'x', 'turn-ttl': '1h' });
    assert.deepEqual(cfg.turnUris, URIS);
    assert.equal(cfg.turnSharedSecret, 'x');
    assert.equal(cfg.turnTtl, 3600);
    assert.equal((await load({ 'turn-ttl': '600' })).turnTtl, 600);
    const dflt = await load({});
    assert.deepEqual([dflt.turnUris, dflt.turnSharedSecret, dflt.turnTtl], [[], undefined, 86400]);
  });

  it('rejects URIs that are not turn: or turns:, and a zero TTL', async () => {
    await assert.rejects(load({ 'turn-uris': 'http://turn.example.org' }), ConfigError);
    await assert.rejects(load({ 'turn-ttl': '0' }), ConfigError);
  });
});
