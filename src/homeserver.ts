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
import { createRateLimiter } from './http/rate-limit.js';
import { createServices } from './create-services.js';
import type { Services } from './services.js';
import type { ListenerName, Route } from './http/route.js';
import { resolve } from 'node:path';
import { mediaDirs } from './media/media-files.js';
import { startAdminSocket, type AdminSocket } from './cli/admin-socket.js';
import type { DeviceHost } from '../gateway/device-host.js';
import type { Gateway } from '../gateway/gateway.js';
import type { CoapService } from './coap/start-coap.js';
import type { BackgroundThread } from './background/background-thread.js';

export interface HomeserverDeps {
  config: HubConfig;
  store: Store;
  keys: ServerKeys;
  log: Logger;
  now: () => number;
  /** The background thread shared with the store (signing, WAL checkpoints); the hub starts its own without it. */
  background?: BackgroundThread;
  /** Certificate for the federation listener when federation TLS is on. */
  tls?: { cert: string; key: string };
}

export interface Homeserver {
  routes: readonly Route[];
  services: Services;
  /** Binds every enabled listener; rejects with a ListenError (closing any already bound). */
  start(): Promise<Listener[]>;
  /** Stops accepting, lets in-flight requests finish, and closes the listeners (not the store). */
  stop(graceMs?: number): Promise<void>;
  /** The device registry and admin (after start). */
  devices(): DeviceHost | undefined;
  /** The device gateway, when --mqtt-port, --mqtt-broker or --coap-port is on (after start). */
  gateway(): Gateway | undefined;
  /** The CoAP listener (device endpoints and MSC3079), when --coap-port is on (after start). */
  coap(): CoapService | undefined;
}

const LABELS: Record<ListenerName, string> = { client: 'client API', federation: 'federation API' };

export async function createHomeserver(deps: HomeserverDeps): Promise<Homeserver> {
  const { config, store, log, now } = deps;
  const services: Services = await createServices(deps);
  const routes = buildRouteTable(services);
  const authenticator = createAuthenticator({ tokens: createTokenResolver(store, now, { log }) });
  // Client requests only: federation traffic is paced by its own transaction queue.
  const rateLimiter = config.rateLimit ? createRateLimiter({ perSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst }, now) : undefined;
  const listeners: Listener[] = [];
  const ports: Record<ListenerName, number | null> = { client: config.clientPort, federation: config.federationPort };
  let devices: DeviceHost | undefined;
  let gateway: Gateway | undefined;
  let adminSocket: AdminSocket | undefined;
  let coap: CoapService | undefined;

  /** Device registry, admin socket and (when MQTT is on) the gateway; their modules load only now. */
  async function startDevices(): Promise<void> {
    const dataDir = resolve(config.dataDir);
    const { createDeviceHost, deviceAdminHandlers } = await import('../gateway/device-host.js');
    devices = await createDeviceHost(services, { dataDir, watch: true });
    adminSocket = await startAdminSocket(dataDir, deviceAdminHandlers(devices.admin), log);
    if (config.mqttPort === null && config.mqttBroker === undefined && config.coapPort === null) return;
    const { createGateway } = await import('../gateway/gateway.js');
    gateway = await createGateway({
      ...devices, log: log.child({ module: 'gateway' }), now,
      options: {
        serverName: config.serverName, bind: config.bind, mqttPort: config.mqttPort, wsPort: config.mqttWsPort,
        autoAccept: config.deviceDiscovery === 'auto', commandTimeoutMs: config.commandTimeout,
        policy: { perSecond: config.deviceRateLimit, burst: config.deviceRateBurst, maxPayloadBytes: config.mqttMaxPayload },
        ...(config.mqttBroker !== undefined ? {
          external: {
            url: config.mqttBroker, username: config.mqttBrokerUsername, password: config.mqttBrokerPassword,
            caFile: config.mqttBrokerCa, certFile: config.mqttBrokerCert, keyFile: config.mqttBrokerKey,
          },
        } : {}),
      },
    });
  }

  /** The CoAP listener: device endpoints (through the gateway) and the MSC3079 client API (through the client dispatcher). */
  async function startCoapListener(): Promise<void> {
    if (config.coapPort === null) return;
    const [{ startCoap }, { createDispatcher }] = await Promise.all([import('./coap/start-coap.js'), import('./http/dispatch.js')]);
    const dispatch = createDispatcher({
      name: 'coap', log, authenticator, maxBodyBytes: config.maxRequestSize, rateLimiter,
      routes: routes.filter((r) => r.listener === 'client'),
    });
    coap = await startCoap({ config, log, now, dispatch, gateway });
  }

  async function stopDevices(): Promise<void> {
    await coap?.close();
    coap = undefined;
    await gateway?.stop();
    await adminSocket?.close();
    devices?.close();
    gateway = adminSocket = devices = undefined;
  }

  return {
    routes,
    services,
    async start() {
      for (const name of ['client', 'federation'] as const) {
        const port = ports[name];
        if (port === null) continue;
        const handler = createHttpHandler({
          name, log, authenticator, maxBodyBytes: config.maxRequestSize, uploadDir: mediaDirs(config.dataDir).tmp,
          rateLimiter: name === 'client' ? rateLimiter : undefined, xForwarded: config.xForwarded,
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
      try {
        await startDevices();
        await startCoapListener();
      } catch (err) {
        await stopDevices().catch(() => undefined);
        await Promise.all(listeners.splice(0).map((l) => closeListener(l, 0)));
        throw err;
      }
      return [...listeners];
    },
    devices: () => devices,
    gateway: () => gateway,
    coap: () => coap,
    async stop(graceMs = 10_000) {
      await stopDevices();
      services.notifier.wakeAll();
      await Promise.all(listeners.splice(0).map((l) => closeListener(l, graceMs)));
      services.typing.close();
      await services.rooms.close();
    },
  };
}

export { LABELS as LISTENER_LABELS };
