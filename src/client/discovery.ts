/** Discovery endpoints of the Client-Server API: /versions and the /.well-known files. */
import { notFound } from '../http/errors.js';
import type { Route } from '../http/route.js';

/** Spec versions whose Client-Server API Hearth serves (advertised by /versions). */
export const SUPPORTED_SPEC_VERSIONS: readonly string[] = [
  'v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8', 'v1.9', 'v1.10', 'v1.11', 'v1.12',
];

export interface DiscoveryDeps {
  publicBaseurl: string;
  /** `host:port` delegated for federation, or null when no server well-known is served. */
  wellKnownServer: string | null;
  /** Unstable features to advertise (MSC flags), added to by later modules. */
  unstableFeatures?: Record<string, boolean>;
  /** MSC3079 low-bandwidth support to advertise (when CoAP is on), under `org.matrix.msc3079.low_bandwidth`. */
  lowBandwidth?: Record<string, unknown>;
}

/** What Hearth's CoAP listener supports of MSC3079: both v1 tables; no `dtls` key, since it serves plain CoAP only. */
export const LOW_BANDWIDTH_V1: Readonly<Record<string, unknown>> = Object.freeze({ cbor_enum_version: 1, coap_enum_version: 1 });

export function discoveryRoutes(deps: DiscoveryDeps): Route[] {
  return [
    {
      method: 'GET', path: '/_matrix/client/versions', auth: 'none', listener: 'client', rateLimited: false,
      /** GET /_matrix/client/versions */
      handler: () => ({
        versions: SUPPORTED_SPEC_VERSIONS, unstable_features: deps.unstableFeatures ?? {},
        ...(deps.lowBandwidth ? { 'org.matrix.msc3079.low_bandwidth': deps.lowBandwidth } : {}),
      }),
    },
    {
      method: 'GET', path: '/.well-known/matrix/client', auth: 'none', listener: 'client',
      /** GET /.well-known/matrix/client */
      handler: () => ({ 'm.homeserver': { base_url: deps.publicBaseurl } }),
    },
    ...(['client', 'federation'] as const).map((listener): Route => ({
      method: 'GET', path: '/.well-known/matrix/server', auth: 'none', listener,
      /** GET /.well-known/matrix/server */
      handler: () => {
        if (deps.wellKnownServer === null) throw notFound('No server delegation is configured');
        return { 'm.server': deps.wellKnownServer };
      },
    })),
  ];
}
