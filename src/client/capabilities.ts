/** Capabilities negotiation (spec §"Capabilities negotiation"): GET /capabilities. */
import { clientRoute, type Route } from '../http/route.js';
import { DEFAULT_ROOM_VERSION, ROOM_VERSIONS } from '../events/room-versions.js';

/** The capabilities this server advertises; every room version it implements is stable. */
export function capabilities(): Record<string, unknown> {
  return {
    'm.change_password': { enabled: true },
    'm.room_versions': {
      default: DEFAULT_ROOM_VERSION,
      available: Object.fromEntries(Object.keys(ROOM_VERSIONS).map((v) => [v, 'stable'])),
    },
    'm.set_displayname': { enabled: true },
    'm.set_avatar_url': { enabled: true },
    'm.3pid_changes': { enabled: false },
    'm.get_login_token': { enabled: true },
  };
}

export function capabilitiesRoutes(): Route[] {
  /** GET /_matrix/client/v3/capabilities */
  return clientRoute('GET', '/capabilities', 'user', () => ({ capabilities: capabilities() }));
}
