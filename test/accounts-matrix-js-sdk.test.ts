/** End to end with the real matrix-js-sdk and its InteractiveAuth (what Element uses): token registration, login, refresh, devices, password, profile, logout. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from 'matrix-js-sdk';
import { logger } from 'matrix-js-sdk/lib/logger.js';
import { startTestHub, type TestHub } from './support/hub.js';

logger.setLevel('silent');

let hub: TestHub;
before(async () => { hub = await startTestHub({ registration: 'token', serverName: 'hub.test' }); });
after(async () => { await hub.stop(); });

/** Drives one UIA-protected call through sdk.InteractiveAuth, answering each stage as a client UI would. */
function interactive<T>(client: sdk.MatrixClient, doRequest: (auth: sdk.AuthDict | null) => Promise<T>, answers: Record<string, sdk.AuthDict>): Promise<T> {
  const ia: sdk.InteractiveAuth<T> = new sdk.InteractiveAuth<T>({
    matrixClient: client,
    doRequest,
    requestEmailToken: async () => { throw new Error('no email'); },
    stateUpdated: (stage, status) => {
      if ('errcode' in status && status.errcode) return; // a refused stage: a real UI would ask again
      const answer = answers[stage];
      if (answer) void ia.submitAuthDict(answer);
    },
  });
  return ia.attemptAuth();
}

const password = (user: string, pw: string): sdk.AuthDict => ({ type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: pw } as sdk.AuthDict);

describe('matrix-js-sdk against Hearth: client-server API §"Account registration", §"Login", §"Device management"', () => {
  let alice: sdk.MatrixClient;
  let deviceId: string;

  it('registers through InteractiveAuth with a registration token then the automatic dummy stage', async () => {
    await hub.store.registrationTokens.add({ token: 'invite-1', usesAllowed: 1, expiryTime: null });
    const anon = sdk.createClient({ baseUrl: hub.clientUrl });
    assert.equal(await anon.isUsernameAvailable('alice'), true);
    const res = await interactive(anon, (auth) => anon.registerRequest({ username: 'alice', password: 'first-pw', auth: auth ?? undefined }), {
      'm.login.registration_token': { type: 'm.login.registration_token', token: 'invite-1' } as sdk.AuthDict,
    });
    assert.equal(res.user_id, '@alice:hub.test');
    assert.equal((await hub.store.registrationTokens.get('invite-1'))?.completed, 1);
  });

  it('logs in with loginRequest (refresh_token) and refreshes', async () => {
    const anon = sdk.createClient({ baseUrl: hub.clientUrl });
    const login = await anon.loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'first-pw', refresh_token: true, initial_device_display_name: 'sdk' });
    assert.equal(typeof login.refresh_token, 'string');
    assert.equal(login.expires_in_ms, 5 * 60_000);
    const refreshed = await anon.refreshToken(login.refresh_token!);
    deviceId = login.device_id;
    alice = sdk.createClient({ baseUrl: hub.clientUrl, accessToken: refreshed.access_token, userId: login.user_id, deviceId });
    assert.equal((await alice.whoami()).device_id, deviceId);
  });

  it('sets and reads the display name', async () => {
    await alice.setDisplayName('Alice');
    assert.equal((await alice.getProfileInfo('@alice:hub.test')).displayname, 'Alice');
  });

  it('lists, renames and (through InteractiveAuth with m.login.password) deletes a device', async () => {
    const other = await sdk.createClient({ baseUrl: hub.clientUrl }).loginWithPassword('alice', 'first-pw');
    await alice.setDeviceDetails(other.device_id, { display_name: 'Old tablet' });
    const { devices } = await alice.getDevices();
    assert.equal(devices.find((d) => d.device_id === other.device_id)?.display_name, 'Old tablet');
    await interactive(alice, (auth) => alice.deleteDevice(other.device_id, auth ?? undefined), { 'm.login.password': password('alice', 'first-pw') });
    assert.ok(!(await alice.getDevices()).devices.some((d) => d.device_id === other.device_id));
  });

  it('changes the password through InteractiveAuth; the new one logs in, the old one does not', async () => {
    await interactive(alice, (auth) => alice.setPassword(auth ?? ({} as sdk.AuthDict), 'second-pw', true), { 'm.login.password': password('alice', 'first-pw') });
    const anon = sdk.createClient({ baseUrl: hub.clientUrl });
    await assert.rejects(anon.loginWithPassword('alice', 'first-pw'), (err: sdk.MatrixError) => err.errcode === 'M_FORBIDDEN');
    assert.equal((await anon.loginWithPassword('alice', 'second-pw')).user_id, '@alice:hub.test');
  });

  it('logs out: the token then fails with M_UNKNOWN_TOKEN', async () => {
    await alice.logout();
    await assert.rejects(alice.whoami(), (err: sdk.MatrixError) => err.errcode === 'M_UNKNOWN_TOKEN');
  });
});
