/** The one route table: every endpoint of every API area, assembled from the area modules. */
import type { Route } from './route.js';
import { discoveryRoutes, type DiscoveryDeps } from '../client/discovery.js';
import { whoamiRoutes } from '../client/whoami.js';
import { serverKeyRoutes, type ServerKeysDeps } from '../federation/server-keys.js';

export interface RouteTableDeps {
  discovery: DiscoveryDeps;
  serverKeys: ServerKeysDeps;
}

export function buildRouteTable(deps: RouteTableDeps): Route[] {
  return [
    ...discoveryRoutes(deps.discovery),
    ...whoamiRoutes(),
    ...serverKeyRoutes(deps.serverKeys),
  ];
}
