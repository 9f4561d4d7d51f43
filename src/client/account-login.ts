/** Sessions (spec §"Login"): GET/POST /login, POST /login/get_token, POST /refresh, POST /logout and /logout/all. */
import { clientRoute, type RequestContext, type Route } from '../http/route.js';
import { MatrixError, forbidden, invalidParam, missingParam } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import { identifiedUser } from '../accounts/login-identifier.js';
import { createLoginTokens } from '../accounts/login-tokens.js';
import { PASSWORD, passwordStage } from '../accounts/uia-stages.js';
import { deleteDevices } from '../accounts/device-removal.js';

const LOGIN_PASSWORD = 'm.login.password';
const LOGIN_TOKEN = 'm.login.token';

export function accountLoginRoutes(s: Services): Route[] {
  const loginTokens = createLoginTokens({ now: s.now });
  const stages = { [PASSWORD]: passwordStage(s.accounts) };

  /** The user a POST /login body authenticates, or a MatrixError. */
  async function authenticate(body: Record<string, unknown>): Promise<string> {
    switch (body.type) {
      case LOGIN_PASSWORD: {
        const userId = identifiedUser(body, s.accounts.localUserId);
        if (typeof body.password !== 'string') throw missingParam('Missing parameter: password');
        return (await s.accounts.checkPassword(userId, body.password)).userId;
      }
      case LOGIN_TOKEN: {
        if (typeof body.token !== 'string') throw missingParam('Missing parameter: token');
        const userId = loginTokens.consume(body.token);
        if (userId === undefined) throw forbidden('Invalid login token');
        const user = await s.store.accounts.getUser(userId);
        if (!user) throw forbidden('Invalid login token');
        if (user.deactivated) throw new MatrixError(403, 'M_USER_DEACTIVATED', 'This account has been deactivated');
        return userId;
      }
      case undefined:
        throw missingParam('Missing params: type');
      default:
        throw new MatrixError(400, 'M_UNKNOWN', `Unknown login type ${String(body.type)}`);
    }
  }

  /** POST /_matrix/client/v3/login */
  async function login(ctx: RequestContext): Promise<unknown> {
    const body = jsonObject(ctx.body);
    const deviceId = body.device_id;
    if (deviceId !== undefined && (typeof deviceId !== 'string' || deviceId === '' || deviceId.length > 255)) throw invalidParam('Invalid device_id');
    const refresh = body.refresh_token;
    if (refresh !== undefined && typeof refresh !== 'boolean') throw invalidParam('refresh_token should be true or false');
    const name = body.initial_device_display_name;
    const userId = await authenticate(body);
    const tokens = await s.tokens.issue({
      userId, deviceId, refresh: refresh === true,
      initialDeviceDisplayName: typeof name === 'string' ? name : undefined,
    });
    return { user_id: userId, home_server: s.config.serverName, ...tokens, well_known: { 'm.homeserver': { base_url: s.config.publicBaseurl } } };
  }

  return [
    /** GET /_matrix/client/v3/login */
    ...clientRoute('GET', '/login', 'none', () => ({
      flows: [{ type: LOGIN_PASSWORD }, { type: LOGIN_TOKEN, get_login_token: true }],
    })),
    ...clientRoute('POST', '/login', 'none', login),
    /** POST /_matrix/client/v1/login/get_token: always re-prompts (spec), so every token needs the password. */
    ...clientRoute('POST', '/login/get_token', 'user', async (ctx) => {
      const p = ctx.principal!;
      const session = await s.uia.authenticate({
        operation: 'POST /login/get_token', userId: p.userId, body: jsonObject(ctx.body, true), flows: [{ stages: [PASSWORD] }], stages,
      });
      s.uia.finish(session);
      const { token, expiresInMs } = loginTokens.issue(p.userId);
      return { login_token: token, expires_in_ms: expiresInMs };
    }, ['v1']),
    /** POST /_matrix/client/v3/refresh */
    ...clientRoute('POST', '/refresh', 'none', async (ctx) => {
      const token = jsonObject(ctx.body).refresh_token;
      if (typeof token !== 'string') throw invalidParam('Invalid param: refresh_token');
      return s.tokens.refresh(token);
    }, ['v3']),
    /** POST /_matrix/client/v3/logout: the token's device is deleted with it. */
    ...clientRoute('POST', '/logout', 'user', async (ctx) => {
      await deleteDevices(s, ctx.principal!.userId, [ctx.principal!.deviceId]);
      return {};
    }),
    /** POST /_matrix/client/v3/logout/all: every device and token of the user. */
    ...clientRoute('POST', '/logout/all', 'user', async (ctx) => {
      const userId = ctx.principal!.userId;
      await deleteDevices(s, userId, (await s.store.devices.listDevices(userId)).map((d) => d.deviceId));
      await s.store.devices.deleteTokensForUser(userId);
      return {};
    }),
  ];
}
