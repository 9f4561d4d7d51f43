/** GET /account/whoami: who the access token belongs to. */
import type { Route } from '../http/route.js';

export function whoamiRoutes(): Route[] {
  return ['v3', 'r0'].map((v): Route => ({
    method: 'GET', path: `/_matrix/client/${v}/account/whoami`, auth: 'user', listener: 'client',
    /** GET /_matrix/client/v3/account/whoami */
    handler: (ctx) => ({ user_id: ctx.principal!.userId, device_id: ctx.principal!.deviceId, is_guest: ctx.principal!.isGuest }),
  }));
}
