/** Account registration (spec §"Account registration"): POST /register with user-interactive auth, guests, /register/available and token validity. */
import { clientRoute, type RequestContext, type Route } from '../http/route.js';
import { forbidden, invalidParam, missingParam, unrecognized, type MatrixError } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import { MAX_PASSWORD_LENGTH } from '../accounts/accounts.js';
import { hashPassword } from '../accounts/passwords.js';
import { userIdFor } from '../accounts/user-ids.js';
import { createLocalpartGenerator, ensureAvailable, registrationLocalpart } from '../accounts/registration.js';
import { isRegistrationTokenValid } from '../storage/registration-token-rules.js';
import { DUMMY, REGISTRATION_TOKEN, REGISTRATION_TOKEN_KEY, dummyStage, registrationTokenStage } from '../accounts/uia-stages.js';
import type { UiaRequest } from '../accounts/uia.js';
import type { UserRecord } from '../storage/types.js';

const PASSWORD_HASH_KEY = 'passwordHash';

/** A boolean body field, false when absent; 400 M_INVALID_PARAM when it is not a boolean. */
function flag(body: Record<string, unknown>, key: string): boolean {
  const v = body[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw invalidParam(`${key} should be true or false`);
  return v;
}

/** An optional string body field; 400 M_INVALID_PARAM when present but not a string. */
function optionalString(body: Record<string, unknown>, key: string, maxLength = 512): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > maxLength) throw invalidParam(`Invalid ${key}`);
  return v;
}

export function accountRegisterRoutes(s: Services): Route[] {
  const serverName = s.config.serverName;
  const nextLocalpart = createLocalpartGenerator(s.store);
  const stages = { [DUMMY]: dummyStage, [REGISTRATION_TOKEN]: registrationTokenStage(s.store, s.now) };
  // As Synapse: with registration tokens, the token stage is prepended to the dummy flow.
  const flows = () => (s.config.registration === 'token' ? [{ stages: [REGISTRATION_TOKEN, DUMMY] }] : [{ stages: [DUMMY] }]);

  /** Creates a user under the next free generated numeric localpart. */
  async function createGenerated(input: { passwordHash?: string; isGuest: boolean }): Promise<UserRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await s.accounts.createUser({ localpart: await nextLocalpart(), password: null, ...input });
      } catch (err) {
        if ((err as MatrixError).errcode !== 'M_USER_IN_USE' || attempt >= 10) throw err;
      }
    }
  }

  /** POST /_matrix/client/v3/register?kind=guest */
  async function registerGuest(body: Record<string, unknown>): Promise<unknown> {
    if (!s.config.allowGuests) throw forbidden('Guest access is disabled');
    // Guests: every parameter but initial_device_display_name is ignored, and the server picks the device id.
    const user = await createGenerated({ isGuest: true });
    const name = typeof body.initial_device_display_name === 'string' ? body.initial_device_display_name : undefined;
    const tokens = await s.tokens.issue({ userId: user.userId, initialDeviceDisplayName: name, refresh: body.refresh_token === true });
    return { user_id: user.userId, home_server: serverName, ...tokens };
  }

  /** POST /_matrix/client/v3/register */
  async function register(ctx: RequestContext): Promise<unknown> {
    const body = jsonObject(ctx.body);
    const kind = ctx.query.get('kind') ?? 'user';
    if (kind === 'guest') return registerGuest(body);
    if (kind !== 'user') throw unrecognized(400, `Do not understand membership kind: ${kind}`);
    const refresh = flag(body, 'refresh_token');
    const username = optionalString(body, 'username');
    if (s.config.registration === 'closed') throw forbidden('Registration has been disabled');
    // The password never enters the UIA session; only its hash does (as Synapse).
    const { password, ...params } = body;
    if (password !== undefined && (typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH)) throw invalidParam('Invalid password');
    // Synapse's workaround for clients that resend only this field, which would wipe the stored parameters.
    if ('initial_device_display_name' in params && password === undefined) delete params.initial_device_display_name;
    // These checks come before user-interactive auth, as the spec requires.
    if (username !== undefined) await ensureAvailable(s.store, userIdFor(registrationLocalpart(username, serverName), serverName));

    const uiaRequest: UiaRequest = {
      operation: 'POST /register', body: params, flows: flows(), stages,
      beforeChallenge: async (session) => {
        if (typeof password === 'string' && session.data[PASSWORD_HASH_KEY] === undefined) session.data[PASSWORD_HASH_KEY] = await hashPassword(password);
      },
    };
    const session = await s.uia.authenticate(uiaRequest);
    const stored = session.clientDict;
    const passwordHash = typeof password === 'string' ? await hashPassword(password) : session.data[PASSWORD_HASH_KEY] as string | undefined;
    if (passwordHash === undefined) throw missingParam('Missing params: password');
    const desired = typeof stored.username === 'string' ? registrationLocalpart(stored.username, serverName) : undefined;
    if (desired !== undefined) await ensureAvailable(s.store, userIdFor(desired, serverName));
    if (s.config.registration === 'token') {
      // Consumed only now that the account is about to exist; atomic, so a token's uses are never exceeded.
      const token = session.data[REGISTRATION_TOKEN_KEY];
      if (typeof token !== 'string' || !(await s.store.registrationTokens.consume(token, s.now()))) {
        await s.uia.revoke(uiaRequest, session, REGISTRATION_TOKEN, { errcode: 'M_UNAUTHORIZED', message: 'Invalid registration token' });
      }
    }
    const user = desired !== undefined
      ? await s.accounts.createUser({ localpart: desired, password: null, passwordHash })
      : await createGenerated({ passwordHash, isGuest: false });
    s.uia.finish(session);
    if (stored.inhibit_login === true) return { user_id: user.userId, home_server: serverName };
    const tokens = await s.tokens.issue({
      userId: user.userId, refresh,
      deviceId: optionalString(stored, 'device_id', 255),
      initialDeviceDisplayName: optionalString(stored, 'initial_device_display_name'),
    });
    return { user_id: user.userId, home_server: serverName, ...tokens };
  }

  return [
    ...clientRoute('POST', '/register', 'none', register),
    /** GET /_matrix/client/v3/register/available */
    ...clientRoute('GET', '/register/available', 'none', async (ctx) => {
      if (s.config.registration === 'closed') throw forbidden('Registration has been disabled');
      const username = ctx.query.get('username');
      if (username === null) throw missingParam('Missing string query parameter: username');
      await ensureAvailable(s.store, userIdFor(registrationLocalpart(username, serverName), serverName));
      return { available: true };
    }),
    /** GET /_matrix/client/v1/register/m.login.registration_token/validity */
    ...clientRoute('GET', '/register/m.login.registration_token/validity', 'none', async (ctx) => {
      if (s.config.registration === 'closed') throw forbidden('Registration has been disabled');
      const token = ctx.query.get('token');
      if (token === null) throw missingParam('Missing string query parameter: token');
      const record = await s.store.registrationTokens.get(token);
      return { valid: record !== undefined && isRegistrationTokenValid(record, s.now()) };
    }, ['v1']),
  ];
}
