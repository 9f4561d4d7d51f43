/** createGateway: wires the pipeline, commands and status to a transport (embedded aedes or an external broker). */
import type { Publish } from '../profiles/types.js';
import type { Logger } from '../src/log.js';
import { createCommands } from './commands.js';
import { createDedupe, type DedupeOptions } from './dedupe.js';
import type { DeviceAdmin, ProfileLookup } from './device-admin.js';
import type { DeviceRooms } from './device-rooms.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { createPolicy, type PolicyOptions } from './policy.js';
import type { MatrixPort } from './port.js';
import { loadEnvelopeCounters } from './envelope-counters.js';
import type { EnvelopeCounterStore } from '../src/storage/envelope-counter-types.js';
import type { Registry } from './registry.js';
import { createStatusTracker } from './status.js';

export interface ExternalBrokerOptions {
  url: string;
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface GatewayOptions {
  serverName: string;
  bind: string;
  /** Embedded broker's TCP port (0: any free one); ignored with `external`; null: no MQTT at all (CoAP devices only). */
  mqttPort: number | null;
  /** Embedded broker's WebSocket port, or null. */
  wsPort: number | null;
  /** Attach to this broker as a client instead of embedding aedes. */
  external?: ExternalBrokerOptions;
  /** Sub-devices found through a bridge get rooms at once, or wait for `hearth device accept`. */
  autoAccept: boolean;
  commandTimeoutMs: number;
  policy?: Partial<PolicyOptions>;
  dedupe?: Partial<DedupeOptions>;
}

export interface GatewayDeps {
  port: MatrixPort;
  registry: Registry;
  rooms: DeviceRooms;
  admin: DeviceAdmin;
  profiles: ProfileLookup;
  /** Where signed devices' envelope counters are kept across restarts (absent: memory only). */
  envelopeCounters?: EnvelopeCounterStore;
  log: Logger;
  now: () => number;
  options: GatewayOptions;
}

export interface Gateway {
  /** One line per listener, e.g. `MQTT on mqtt://0.0.0.0:1883`. */
  lines: string[];
  /** The embedded broker's address (tests: the real port when 0 was asked for). */
  mqttUrl?: string;
  wsUrl?: string;
  pipeline: Pipeline;
  /** Names of the devices connected to the embedded broker now (empty in external mode). */
  connectedDevices(): string[];
  publish(p: Publish): Promise<void>;
  /** Also hands every publish to `fn` (the CoAP command resources); returns an unsubscribe function. */
  onPublish(fn: (p: Publish) => void): () => void;
  stop(): Promise<void>;
}

/** Starts the gateway; the transport module (aedes, or the mqtt client) is imported only now. */
export async function createGateway(deps: GatewayDeps): Promise<Gateway> {
  const { port, registry, profiles, log, now, options } = deps;
  const status = createStatusTracker({ port, now });
  let transportPublish: (p: Publish) => Promise<void> = () => Promise.reject(new Error('the gateway is not started'));
  const publishSinks = new Set<(p: Publish) => void>();
  const publish = (p: Publish) => { for (const fn of publishSinks) fn(p); return transportPublish(p); };
  const gatewayUser = await deps.rooms.gatewayUser();
  const commands = createCommands({
    port, registry, profiles, log, timeoutMs: options.commandTimeoutMs, ignoreSenders: new Set([gatewayUser]),
    publish,
  });
  const pipeline = createPipeline({
    port, registry, profiles, log, status, admin: deps.admin, autoAccept: options.autoAccept,
    policy: createPolicy(options.policy ?? {}, now), dedupe: createDedupe(options.dedupe),
    counters: await loadEnvelopeCounters(deps.envelopeCounters),
    onResult: (d, item) => commands.onResult(d, item),
  });

  let stopTransport: () => Promise<void>;
  let connectedDevices: () => string[] = () => [];
  const lines: string[] = [];
  let mqttUrl: string | undefined;
  let wsUrl: string | undefined;
  if (options.external) {
    const { startExternalBroker } = await import('./external-broker.js');
    const ext = await startExternalBroker({ ...options.external, serverName: options.serverName, pipeline, registry, profiles, log, now });
    transportPublish = ext.publish;
    stopTransport = ext.stop;
    lines.push(`MQTT via external broker ${ext.url.replace(/\/\/[^@/]*@/, '//')} (MQTT ${ext.protocolVersion === 5 ? '5' : '3.1.1'})`);
  } else if (options.mqttPort === null) {
    transportPublish = async () => undefined;
    stopTransport = async () => undefined;
  } else {
    const { startEmbeddedBroker } = await import('./broker.js');
    const b = await startEmbeddedBroker({ pipeline, registry, profiles, status, log, now, bind: options.bind, port: options.mqttPort, wsPort: options.wsPort });
    transportPublish = b.publish;
    stopTransport = b.stop;
    connectedDevices = b.connected;
    mqttUrl = b.urls.mqtt;
    wsUrl = b.urls.ws;
    lines.push(`MQTT on ${b.urls.mqtt}`);
    if (b.urls.ws) lines.push(`MQTT over WebSocket on ${b.urls.ws}`);
  }
  commands.start();

  return {
    lines, mqttUrl, wsUrl, pipeline,
    connectedDevices: () => connectedDevices(),
    publish,
    onPublish(fn) {
      publishSinks.add(fn);
      return () => { publishSinks.delete(fn); };
    },
    async stop() {
      commands.stop();
      await stopTransport();
    },
  };
}
