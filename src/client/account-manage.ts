/** Account management (spec §"Account management"): POST /account/password and POST /account/deactivate, both behind m.login.password. */
import { clientRoute, type Route } from '../http/route.js';
import { invalidParam, missingParam } from '../http/errors.js';
import { jsonObject } from '../http/body.js';
import type { Services } from '../services.js';
import { MAX_PASSWORD_LENGTH } from '../accounts/accounts.js';
import { hashPassword } from '../accounts/passwords.js';
import { PASSWORD, passwordStage } from '../accounts/uia-stages.js';
import { announceDeletedDevices, deleteDevices } from '../accounts/device-removal.js';
import { runHook } from '../accounts/hooks.js';

const NEW_PASSWORD_HASH_KEY = 'newPasswordHash';

export function accountManageRoutes(s: Services): Route[] {
  const stages = { [PASSWORD]: passwordStage(s.accounts) };
  const flows = [{ stages: [PASSWORD] }];

  return [
    /**
     * POST /_matrix/client/v3/account/password. Other devices are logged out unless
     * `logout_devices` is false; the calling device keeps its token (spec: SHOULD NOT revoke it).
     */
    ...clientRoute('POST', '/account/password', 'user', async (ctx) => {
      const p = ctx.principal!;
      const { new_password: newPassword, ...params } = jsonObject(ctx.body);
      if (newPassword !== undefined && (typeof newPassword !== 'string' || newPassword.length > MAX_PASSWORD_LENGTH)) throw invalidParam('Invalid password');
      const logoutDevices = params.logout_devices;
      if (logoutDevices !== undefined && typeof logoutDevices !== 'boolean') throw invalidParam('logout_devices should be true or false');
      // Like registration, only a hash of the new password is kept in the session between requests.
      const session = await s.uia.authenticate({
        operation: 'POST /account/password', userId: p.userId, body: params, flows, stages,
        beforeChallenge: async (session) => {
          if (typeof newPassword === 'string' && newPassword !== '' && session.data[NEW_PASSWORD_HASH_KEY] === undefined) {
            session.data[NEW_PASSWORD_HASH_KEY] = await hashPassword(newPassword);
          }
        },
      });
      const hash = typeof newPassword === 'string' && newPassword !== '' ? await hashPassword(newPassword) : session.data[NEW_PASSWORD_HASH_KEY] as string | undefined;
      if (hash === undefined) throw missingParam('Missing params: new_password');
      await s.accounts.setPassword(p.userId, hash);
      s.uia.finish(session);
      if ((session.clientDict.logout_devices ?? true) !== false) {
        const others = (await s.store.devices.listDevices(p.userId)).filter((d) => d.deviceId !== p.deviceId);
        await deleteDevices(s, p.userId, others.map((d) => d.deviceId));
      }
      return {};
    }),

    /** POST /_matrix/client/v3/account/deactivate */
    ...clientRoute('POST', '/account/deactivate', 'user', async (ctx) => {
      const p = ctx.principal!;
      const body = jsonObject(ctx.body, true);
      if (body.erase !== undefined && typeof body.erase !== 'boolean') throw invalidParam('erase should be true or false');
      const session = await s.uia.authenticate({ operation: 'POST /account/deactivate', userId: p.userId, body, flows, stages });
      s.uia.finish(session);
      const deviceIds = await s.accounts.deactivate(p.userId, session.clientDict.erase === true);
      await announceDeletedDevices(s, p.userId, deviceIds);
      await runHook(s.log, 'onDeactivate', s.onDeactivate && (() => s.onDeactivate!(p.userId)));
      // No third-party identifiers are kept, so there is nothing to unbind: the spec then requires `success`.
      return { id_server_unbind_result: 'success' };
    }),
  ];
}
