/** Third-party identifiers (spec §"Adding Account Administrative Contact Information"): none are kept, so lists are empty and validation is refused. */

// Hearth sends no email or SMS and talks to no identity server: each endpoint answers with the spec's error for that case.
import { clientRoute, type Route } from '../http/route.js';
import { MatrixError } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import { PASSWORD, passwordStage } from '../accounts/uia-stages.js';

const denied = () => new MatrixError(403, 'M_THREEPID_DENIED', 'Third-party identifiers are not supported on this server');
const noSession = () => new MatrixError(400, 'M_THREEPID_AUTH_FAILED', 'No validated 3pid session found');

export function accountThreepidRoutes(s: Services): Route[] {
  const stages = { [PASSWORD]: passwordStage(s.accounts) };
  const refuseNew = () => { throw denied(); };

  return [
    /** GET /_matrix/client/v3/account/3pid */
    ...clientRoute('GET', '/account/3pid', 'user', () => ({ threepids: [] })),
    /** POST /_matrix/client/v3/account/3pid (deprecated): there is never a validated session to add. */
    ...clientRoute('POST', '/account/3pid', 'user', (ctx) => {
      jsonObject(ctx.body);
      throw new MatrixError(403, 'M_THREEPID_AUTH_FAILED', 'The third-party credentials could not be verified');
    }),
    /** POST /_matrix/client/v3/account/3pid/add: user-interactive auth first, then no validated session exists. */
    ...clientRoute('POST', '/account/3pid/add', 'user', async (ctx) => {
      const p = ctx.principal!;
      const session = await s.uia.authenticate({
        operation: 'POST /account/3pid/add', userId: p.userId, body: jsonObject(ctx.body), flows: [{ stages: [PASSWORD] }], stages,
      });
      s.uia.finish(session);
      throw noSession();
    }),
    /** POST /_matrix/client/v3/account/3pid/bind: no identity server is used, so nothing can be bound. */
    ...clientRoute('POST', '/account/3pid/bind', 'user', (ctx) => {
      jsonObject(ctx.body);
      throw denied();
    }),
    /** POST /_matrix/client/v3/account/3pid/delete: nothing was added, and no identity server is known to unbind from. */
    ...clientRoute('POST', '/account/3pid/delete', 'user', (ctx) => {
      jsonObject(ctx.body);
      return { id_server_unbind_result: 'no-support' };
    }),
    /** POST /_matrix/client/v3/account/3pid/unbind */
    ...clientRoute('POST', '/account/3pid/unbind', 'user', (ctx) => {
      jsonObject(ctx.body);
      return { id_server_unbind_result: 'no-support' };
    }),
    /** POST /_matrix/client/v3/account/3pid/email/requestToken */
    ...clientRoute('POST', '/account/3pid/email/requestToken', 'none', refuseNew),
    /** POST /_matrix/client/v3/account/3pid/msisdn/requestToken */
    ...clientRoute('POST', '/account/3pid/msisdn/requestToken', 'none', refuseNew),
    /** POST /_matrix/client/v3/register/email/requestToken */
    ...clientRoute('POST', '/register/email/requestToken', 'none', refuseNew),
    /** POST /_matrix/client/v3/register/msisdn/requestToken */
    ...clientRoute('POST', '/register/msisdn/requestToken', 'none', refuseNew),
    /** POST /_matrix/client/v3/account/password/email/requestToken: no account has an email address. */
    ...clientRoute('POST', '/account/password/email/requestToken', 'none', () => {
      throw new MatrixError(400, 'M_THREEPID_NOT_FOUND', 'Email not found');
    }),
    /** POST /_matrix/client/v3/account/password/msisdn/requestToken: no account has a phone number. */
    ...clientRoute('POST', '/account/password/msisdn/requestToken', 'none', () => {
      throw new MatrixError(400, 'M_THREEPID_NOT_FOUND', 'Phone number not found');
    }),
  ];
}
