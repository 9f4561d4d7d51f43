/** External broker mode: the gateway attaches to Mosquitto/EMQX as an MQTT client (v5, else 3.1.1) and subscribes per device. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import type { Publish } from '../profiles/types.js';
import type { Logger } from '../src/log.js';
import { QoS, ReasonCode } from './codes.js';
import type { ProfileLookup } from './device-admin.js';
import { deviceRef, mayPublish, type Pipeline } from './pipeline.js';
import type { DeviceRecord, Registry } from './registry.js';

export interface ExternalBrokerDeps {
  url: string;
  username?: string;
  password?: string;
  /** PEM files: CA to trust, and a client certificate and key. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Names this hub's session, so the broker keeps QoS 1 messages for it while it is down. */
  serverName: string;
  pipeline: Pipeline;
  registry: Registry;
  profiles: ProfileLookup;
  log: Logger;
  now: () => number;
}

export interface ExternalBroker {
  url: string;
  protocolVersion: number;
  publish(p: Publish): Promise<void>;
  stop(): Promise<void>;
}

/** Connection-level devices (not bridged sub-devices) that are active. */
const connections = (registry: Registry): DeviceRecord[] => registry.list().filter((d) => d.status === 'active' && !d.parent);

/** Every topic filter the gateway must subscribe to for the enrolled devices. */
function wantedFilters(registry: Registry, profiles: ProfileLookup): Set<string> {
  const out = new Set<string>();
  for (const d of connections(registry)) {
    const p = profiles(d.profile);
    if (!p) continue;
    const ref = deviceRef(d);
    for (const f of p.subscriptions(ref)) out.add(f);
    for (const k of d.known ?? []) for (const f of k.stateTopics ?? []) out.add(f);
  }
  return out;
}

export async function startExternalBroker(deps: ExternalBrokerDeps): Promise<ExternalBroker> {
  const { pipeline, registry, profiles, log, now } = deps;
  const mqtt = await import('mqtt');
  const clientId = `hearth-${createHash('sha256').update(deps.serverName).digest('hex').slice(0, 12)}`;
  const base: IClientOptions = {
    clientId, clean: false, reconnectPeriod: 2000, connectTimeout: 10_000,
    ...(deps.username !== undefined ? { username: deps.username } : {}),
    ...(deps.password !== undefined ? { password: deps.password } : {}),
    ...(deps.caFile ? { ca: readFileSync(deps.caFile) } : {}),
    ...(deps.certFile ? { cert: readFileSync(deps.certFile) } : {}),
    ...(deps.keyFile ? { key: readFileSync(deps.keyFile) } : {}),
  };

  // The client sends PUBACK only after handleMessage calls back: the room event is committed first.
  // A failed commit leaves the message unacknowledged, so the broker redelivers it (persistent session).
  function handleMessage(packet: IPublishPacket, callback: (err?: Error) => void): void {
    const owner = ownerOf(packet.topic);
    if (!owner) { callback(); return; }
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : Buffer.from(packet.payload);
    pipeline.handle({
      device: owner.name, topic: packet.topic, payload, qos: packet.qos, packetId: packet.messageId, dup: packet.dup === true,
      // A message with the retain flag set on delivery was stored by the broker: a replay on (re)subscribe.
      retain: packet.retain === true, replay: packet.retain === true, receivedTs: now(),
    }).then(() => callback(), (err: unknown) => { log.error({ err, topic: packet.topic }, 'MQTT message not committed'); callback(err as Error); });
  }

  /**
   * Connects with `handleMessage` installed first (a persistent session's queued messages arrive right after CONNACK).
   * A broker that refuses rejects; one that is unreachable does not hold up the hub: the client keeps retrying.
   */
  const connect = (protocolVersion: 4 | 5) => new Promise<MqttClient>((resolve, reject) => {
    const c = mqtt.connect(deps.url, { ...base, protocolVersion, ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: 7 * 86400 } } : {}) });
    c.handleMessage = handleMessage;
    const done = () => { clearTimeout(timer); c.off('connect', onConnect); c.off('error', onError); };
    const onError = (err: Error) => { done(); c.end(true); reject(err); };
    const onConnect = () => { done(); resolve(c); };
    const timer = setTimeout(() => { done(); log.warn({ url: deps.url }, 'external MQTT broker not reachable yet; retrying in the background'); resolve(c); }, 10_000);
    c.once('error', onError);
    c.once('connect', onConnect);
  });

  let client: MqttClient;
  try {
    client = await connect(5);
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code !== ReasonCode.UNSUPPORTED_PROTOCOL_VERSION && code !== 1) throw err;
    log.info({ url: deps.url }, 'broker does not speak MQTT 5; using 3.1.1');
    client = await connect(4);
  }
  const protocolVersion = client.options.protocolVersion ?? 4;

  /** Which connection-level device a topic belongs to (the same ACL the embedded broker enforces). */
  function ownerOf(topic: string): DeviceRecord | undefined {
    for (const d of connections(registry)) {
      const p = profiles(d.profile);
      if (p && mayPublish(p, deviceRef(d), topic)) return d;
    }
    return undefined;
  }

  let subscribed = new Set<string>();
  let syncing: Promise<void> = Promise.resolve();
  /** Subscribes to new devices' topics and unsubscribes from removed ones. */
  const sync = () => {
    syncing = syncing.then(async () => {
      const want = wantedFilters(registry, profiles);
      const add = [...want].filter((f) => !subscribed.has(f));
      const drop = [...subscribed].filter((f) => !want.has(f));
      if (add.length) await client.subscribeAsync(add, { qos: QoS.AT_LEAST_ONCE });
      if (drop.length) await client.unsubscribeAsync(drop);
      subscribed = want;
    }).catch((err: unknown) => log.warn({ err }, 'external broker subscription update failed'));
    return syncing;
  };
  client.on('connect', () => { subscribed = new Set(); void sync(); });
  if (!client.connected) subscribed = new Set();
  client.on('error', (err) => log.warn({ err: err.message }, 'external MQTT broker error'));
  client.on('offline', () => log.warn({ url: deps.url }, 'external MQTT broker unreachable; reconnecting'));
  const offChange = registry.onChange(() => void sync());
  await sync();

  return {
    url: deps.url,
    protocolVersion,
    async publish(p) {
      await client.publishAsync(p.topic, typeof p.payload === 'string' ? p.payload : Buffer.from(p.payload), { qos: p.qos ?? QoS.AT_LEAST_ONCE, retain: p.retain ?? false });
    },
    async stop() {
      offChange();
      await syncing;
      await client.endAsync();
    },
  };
}
