/** GET /account/whoami: who the access token belongs to. */
import { clientRoute, type Route } from '../http/route.js';

export function whoamiRoutes(): Route[] {
  /** GET /_matrix/client/v3/account/whoami */
  return clientRoute('GET', '/account/whoami', 'user', (ctx) => ({
    user_id: ctx.principal!.userId, device_id: ctx.principal!.deviceId, is_guest: ctx.principal!.isGuest,
  }));
}
