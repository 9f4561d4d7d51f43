/** The one route table: every endpoint of every API area, assembled from the area modules. */
import type { Route } from './route.js';
import type { Services } from '../services.js';
import { discoveryRoutes, LOW_BANDWIDTH_V1 } from '../client/discovery.js';
import { whoamiRoutes } from '../client/whoami.js';
import { accountRegisterRoutes } from '../client/account-register.js';
import { accountLoginRoutes } from '../client/account-login.js';
import { accountManageRoutes } from '../client/account-manage.js';
import { accountThreepidRoutes } from '../client/account-threepid.js';
import { deviceRoutes } from '../client/devices.js';
import { profileRoutes } from '../client/profile.js';
import { adminRegisterRoutes } from '../client/admin-register.js';
import { userDataRoutes } from '../client/user-data.js';
import { serverKeyRoutes } from '../federation/server-keys.js';
import { createRoomRoutes } from '../client/rooms-create.js';
import { membershipRoutes } from '../client/rooms-membership.js';
import { roomStateRoutes } from '../client/rooms-state.js';
import { sendRoutes } from '../client/rooms-send.js';
import { roomReadRoutes } from '../client/rooms-read.js';
import { syncRoutes } from '../client/sync.js';
import { relationRoutes } from '../client/rooms-relations.js';
import { hierarchyRoutes } from '../client/hierarchy.js';
import { ephemeralRoutes } from '../client/ephemeral.js';
import { createSyncFilterResolver } from '../sync/sync-user-data.js';
import { writeAccountData } from '../account-data/write.js';
import { directoryRoutes } from '../client/directory.js';
import { publicRoomsRoutes } from '../client/public-rooms.js';
import { userDirectoryRoutes } from '../client/user-directory.js';
import { roomUpgradeRoutes } from '../client/room-upgrade.js';
import { capabilitiesRoutes } from '../client/capabilities.js';
import { voipRoutes } from '../client/voip.js';
import { presenceRoutes } from '../client/presence.js';
import { reportRoutes } from '../client/report.js';
import { mediaRoutes } from '../client/media.js';
import { e2eRoutes } from '../client/e2e.js';

export function buildRouteTable(s: Services): Route[] {
  return [
    ...discoveryRoutes({
      publicBaseurl: s.config.publicBaseurl, wellKnownServer: s.config.wellKnownServer,
      lowBandwidth: s.config.coapPort !== null ? LOW_BANDWIDTH_V1 : undefined,
    }),
    ...whoamiRoutes(),
    ...accountRegisterRoutes(s),
    ...accountLoginRoutes(s),
    ...accountManageRoutes(s),
    ...accountThreepidRoutes(s),
    ...deviceRoutes(s),
    ...profileRoutes(s),
    ...adminRegisterRoutes(s),
    ...userDataRoutes(s),
    ...createRoomRoutes(s),
    ...membershipRoutes(s),
    ...roomStateRoutes(s),
    ...sendRoutes(s),
    ...roomReadRoutes(s),
    ...relationRoutes(s),
    ...hierarchyRoutes(s),
    ...syncRoutes(s, createSyncFilterResolver(s.store)),
    ...ephemeralRoutes(s, async (userId, roomId, eventId) => { await writeAccountData(s, userId, roomId, 'm.fully_read', { event_id: eventId }); }),
    ...directoryRoutes(s),
    ...publicRoomsRoutes(s),
    ...userDirectoryRoutes(s),
    ...roomUpgradeRoutes(s),
    ...capabilitiesRoutes(),
    ...voipRoutes(s),
    ...presenceRoutes(s),
    ...reportRoutes(s),
    ...mediaRoutes(s),
    ...e2eRoutes(s),
    ...serverKeyRoutes({ serverName: s.config.serverName, keys: s.keys, version: s.version, now: s.now }),
  ];
}
