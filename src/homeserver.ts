/** createHomeserver: wires config, store, keys and clock into the route table and the HTTP listeners. */
import type { HubConfig } from './config/options.js';
import type { Logger } from './log.js';
import type { Store } from './storage/types.js';
import type { ServerKeys } from './keys/signing-key.js';
import { createAuthenticator } from './http/auth.js';
import { createHttpHandler } from './http/server.js';
import { buildRouteTable } from './http/route-table.js';
import { closeListener, listen, type Listener } from './http/listen.js';
import { createTokenResolver } from './accounts/accounts.js';
import type { ListenerName, Route } from './http/route.js';
import { HEARTH_VERSION } from './version.js';

export interface HomeserverDeps {
  config: HubConfig;
  store: Store;
  keys: ServerKeys;
  log: Logger;
  now: () => number;
  /** Certificate for the federation listener when federation TLS is on. */
  tls?: { cert: string; key: string };
}

export interface Homeserver {
  routes: readonly Route[];
  /** Binds every enabled listener; rejects with a ListenError (closing any already bound). */
  start(): Promise<Listener[]>;
  /** Stops accepting, lets in-flight requests finish, and closes the listeners (not the store). */
  stop(graceMs?: number): Promise<void>;
}

const LABELS: Record<ListenerName, string> = { client: 'client API', federation: 'federation API' };

export function createHomeserver(deps: HomeserverDeps): Homeserver {
  const { config, store, keys, log, now } = deps;
  const routes = buildRouteTable({
    discovery: { publicBaseurl: config.publicBaseurl, wellKnownServer: config.wellKnownServer },
    serverKeys: { serverName: config.serverName, keys, version: HEARTH_VERSION, now },
  });
  const authenticator = createAuthenticator({ tokens: createTokenResolver(store, now) });
  const listeners: Listener[] = [];
  const ports: Record<ListenerName, number | null> = { client: config.clientPort, federation: config.federationPort };

  return {
    routes,
    async start() {
      for (const name of ['client', 'federation'] as const) {
        const port = ports[name];
        if (port === null) continue;
        const handler = createHttpHandler({
          name, log, authenticator, maxBodyBytes: config.maxRequestSize,
          routes: routes.filter((r) => r.listener === name),
        });
        try {
          listeners.push(await listen({
            name, label: LABELS[name], bind: config.bind, port, handler,
            tls: name === 'federation' && config.federationTls ? deps.tls : undefined,
          }));
        } catch (err) {
          await Promise.all(listeners.splice(0).map((l) => closeListener(l, 0)));
          throw err;
        }
      }
      return [...listeners];
    },
    async stop(graceMs = 10_000) {
      await Promise.all(listeners.splice(0).map((l) => closeListener(l, graceMs)));
    },
  };
}

export { LABELS as LISTENER_LABELS };
