/** The embedded MQTT broker: aedes on TCP (and optionally WebSocket), with the gateway's hooks for auth, ACLs and PUBACK-after-commit. */
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Aedes, AuthenticateError, Client } from 'aedes';
import type { Publish } from '../profiles/types.js';
import type { Logger } from '../src/log.js';
import { ConnackCode, QoS } from './codes.js';
import type { ProfileLookup } from './device-admin.js';
import { deviceRef, maySubscribe, type Pipeline } from './pipeline.js';
import { limitPacketsPerRead } from './read-batches.js';
import { verifyDeviceToken, type Registry } from './registry.js';
import type { StatusTracker } from './status.js';

export interface BrokerDeps {
  pipeline: Pipeline;
  registry: Registry;
  profiles: ProfileLookup;
  status: StatusTracker;
  log: Logger;
  now: () => number;
  bind: string;
  port: number;
  /** MQTT over WebSocket port, or null for none. */
  wsPort: number | null;
  /** A device whose last connection closed is marked offline only after this long without reconnecting (ms). */
  offlineGraceMs?: number;
}

export interface EmbeddedBroker {
  urls: { mqtt: string; ws?: string };
  publish(p: Publish): Promise<void>;
  /** Names of the devices connected now. */
  connected(): string[];
  stop(): Promise<void>;
}

const refusal = (code: ConnackCode, message: string): AuthenticateError =>
  Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;

const hostOf = (bind: string) => (bind.includes(':') ? `[${bind}]` : bind);

/** Starts aedes and its listeners; aedes (and ws) are imported only here, so a hub without MQTT never loads them. */
export async function startEmbeddedBroker(deps: BrokerDeps): Promise<EmbeddedBroker> {
  const { pipeline, registry, profiles, status, log, now } = deps;
  const [{ Aedes }, { default: mqttPacket }] = await Promise.all([import('aedes'), import('mqtt-packet')]);
  // mqtt-packet otherwise builds a table of 65,536 two-byte Buffers (6 MB of heap) on its first packet id;
  // writing each id as it goes costs nothing measurable.
  mqttPacket.writeToStream.cacheNumbers = false;
  /** Which enrolled device each connection authenticated as. */
  const deviceOf = new WeakMap<Client, string>();
  const clients = new Set<Client>();

  const broker: Aedes = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (!username) { done(refusal(ConnackCode.NOT_AUTHORIZED, 'a username (the device name) is required'), null); return; }
      pipeline.connectable(username).then((d) => {
        if (!d || !verifyDeviceToken(password, d.tokenHash)) {
          log.warn({ device: username, clientId: client.id }, 'MQTT CONNECT refused: unknown device or wrong password');
          done(refusal(ConnackCode.BAD_USERNAME_OR_PASSWORD, 'bad user name or password'), null);
          return;
        }
        deviceOf.set(client, d.name);
        done(null, true);
      }, (err: unknown) => { log.error({ err }, 'MQTT authentication failed'); done(refusal(ConnackCode.SERVER_UNAVAILABLE, 'server unavailable'), null); });
    },
    // PUBACK for QoS 1 is written by aedes only after this callback: the room event is committed first.
    authorizePublish(client, packet, callback) {
      const device = client && deviceOf.get(client);
      if (!client) { callback(null); return; }
      if (!device) { callback(new Error('not authenticated')); return; }
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      pipeline.handle({
        device, topic: packet.topic, payload, qos: packet.qos, packetId: packet.messageId, dup: packet.dup === true,
        retain: packet.retain === true, replay: false, receivedTs: now(),
      }).then(
        (out) => callback(out.kind === 'refused' ? new Error(out.reason) : null),
        (err: unknown) => { log.error({ err, device, topic: packet.topic }, 'MQTT publish not committed'); callback(err as Error); },
      );
    },
    authorizeSubscribe(client, sub, callback) {
      const d = registry.get(deviceOf.get(client) ?? '');
      const profile = d && profiles(d.profile);
      if (d && profile && d.status === 'active' && maySubscribe(profile, deviceRef(d), sub.topic)) { callback(null, sub); return; }
      log.warn({ device: d?.name, topic: sub.topic }, 'MQTT subscription refused');
      callback(null, null); // SUBACK 0x80 (failure) for this filter; the connection stays up
    },
  });

  // Devices that connect, publish and sleep would write two status events per reading; a short grace avoids that.
  const goingOffline = new Map<string, NodeJS.Timeout>();
  broker.on('clientReady', (client) => {
    clients.add(client);
    const name = deviceOf.get(client) ?? '';
    clearTimeout(goingOffline.get(name));
    goingOffline.delete(name);
    const d = registry.get(name);
    if (d) void status.set(d, true).catch(() => undefined);
  });
  broker.on('clientDisconnect', (client) => {
    clients.delete(client);
    const name = deviceOf.get(client) ?? '';
    if ([...clients].some((c) => deviceOf.get(c) === name) || goingOffline.has(name)) return;
    goingOffline.set(name, setTimeout(() => {
      goingOffline.delete(name);
      const d = registry.get(name);
      if (d) void status.set(d, false).catch(() => undefined);
    }, deps.offlineGraceMs ?? 30_000));
  });
  broker.on('clientError', (client, err) => log.debug({ device: deviceOf.get(client), err: err.message }, 'MQTT client error'));

  // A device removed (by the CLI or the admin socket) is disconnected at once.
  const offChange = registry.onChange(() => {
    for (const c of clients) {
      const d = registry.get(deviceOf.get(c) ?? '');
      if (!d || d.status !== 'active' || d.tokenHash === '') c.close();
    }
  });

  const tcp: Server = createServer((socket) => { limitPacketsPerRead(socket); broker.handle(socket); });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(deps.port, deps.bind, () => { tcp.off('error', reject); resolve(); });
  });
  const urls: EmbeddedBroker['urls'] = { mqtt: `mqtt://${hostOf(deps.bind)}:${(tcp.address() as AddressInfo).port}` };

  let wss: import('ws').WebSocketServer | undefined;
  if (deps.wsPort !== null) {
    const { WebSocketServer, createWebSocketStream } = await import('ws');
    const server = new WebSocketServer({ host: deps.bind, port: deps.wsPort, path: '/mqtt', handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
    await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
    server.on('connection', (ws, req) => broker.handle(createWebSocketStream(ws), req));
    wss = server;
    urls.ws = `ws://${hostOf(deps.bind)}:${(server.address() as AddressInfo).port}/mqtt`;
  }

  return {
    urls,
    publish(p) {
      return new Promise((resolve, reject) => broker.publish({
        cmd: 'publish', topic: p.topic, payload: Buffer.from(p.payload), qos: p.qos ?? QoS.AT_LEAST_ONCE, retain: p.retain ?? false, dup: false,
      }, (err) => (err ? reject(err) : resolve())));
    },
    connected: () => [...clients].map((c) => deviceOf.get(c)).filter((x): x is string => x !== undefined),
    async stop() {
      offChange();
      for (const t of goingOffline.values()) clearTimeout(t);
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        wss && new Promise<void>((resolve) => wss.close(() => resolve())),
      ]);
    },
  };
}
