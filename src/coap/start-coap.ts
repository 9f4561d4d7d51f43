/** startCoap: the hub's one CoAP endpoint, assembled as an ordered middleware list: [device endpoints, MSC3079 client API] behind the datagram guards. */
import { networkInterfaces } from 'node:os';
import type { HubConfig } from '../config/options.js';
import type { Logger } from '../log.js';
import type { Dispatch } from '../http/dispatch.js';
import { createRateLimiter } from '../http/rate-limit.js';
import type { Publish } from '../../profiles/types.js';
import type { Pipeline } from '../../gateway/pipeline.js';
import type { CoapMiddleware } from './exchange.js';
import { resolveCoapBind, startCoapListener } from './listener.js';
import { lowBandwidthApi } from './low-bandwidth.js';
import { createObservations } from './observe.js';
import { createSessions } from './sessions.js';

/** Memory bounds for a Pi: node-coap's response cache, block-wise bodies, observers, remembered endpoints. */
export const COAP_LIMITS = {
  responseCacheBytes: 512 * 1024,
  maxBlockResponses: 32,
  blockMemoryBytes: 1024 * 1024,
  maxObservers: 256,
  maxObserversPerEndpoint: 8,
  maxEndpoints: 1024,
  /** A sticky access token is forgotten after this much silence from its endpoint. */
  sessionIdleMs: 30 * 60_000,
  /** Request bodies reassembled from blocks (RFC 7959), and how many such uploads at once. */
  maxBodyBytes: 1024 * 1024,
  maxUploads: 16,
  maxUploadsPerAddress: 4,
  /** An upload with no block for this long is dropped (RFC 7252 MAX_TRANSMIT_SPAN is 45 s). */
  uploadIdleMs: 60_000,
  /** RFC 7252 MAX_TRANSMIT_WAIT with the default transmission parameters. */
  maxTransmitWaitMs: 93_000,
  /** A confirmable request answered later than this gets an empty ACK first. */
  piggybackMs: 1000,
} as const;

export interface CoapDeps {
  config: Pick<HubConfig, 'coapPort' | 'coapBind' | 'coapAllow' | 'coapRateLimit' | 'maxRequestSize'>;
  log: Logger;
  now: () => number;
  /** The client listener's dispatcher (same routes, auth wrapper and per-user rate limit as HTTP). */
  dispatch: Dispatch;
  /** The device gateway, when it runs: its pipeline and its publishes (commands). */
  gateway?: { pipeline: Pipeline; onPublish(fn: (p: Publish) => void): () => void };
}

export interface CoapService {
  /** `coap://ADDR:PORT`. */
  url: string;
  port: number;
  address: string;
  close(): Promise<void>;
}

export async function startCoap(deps: CoapDeps): Promise<CoapService> {
  const { config, now } = deps;
  const log = deps.log.child({ module: 'coap' });
  const observations = createObservations({
    log, maxObservers: COAP_LIMITS.maxObservers, maxPerEndpoint: COAP_LIMITS.maxObserversPerEndpoint,
    ackTimeoutMs: COAP_LIMITS.maxTransmitWaitMs, blockMemoryBytes: COAP_LIMITS.blockMemoryBytes,
  });
  const middlewares: CoapMiddleware[] = [];
  let stopDevices = () => undefined as void;
  if (deps.gateway) {
    const { coapDevices } = await import('../../gateway/coap-devices.js');
    const devices = coapDevices({ pipeline: deps.gateway.pipeline, onPublish: (fn) => deps.gateway!.onPublish(fn), observations, log, now });
    middlewares.push(devices.middleware);
    stopDevices = devices.stop;
  }
  middlewares.push(lowBandwidthApi({
    dispatch: deps.dispatch, observations, log, maxReplyBytes: COAP_LIMITS.maxBodyBytes,
    sessions: createSessions({ maxEndpoints: COAP_LIMITS.maxEndpoints, idleMs: COAP_LIMITS.sessionIdleMs, now }),
  }));
  const rate = config.coapRateLimit;
  const listener = await startCoapListener({
    bind: resolveCoapBind(config.coapBind, networkInterfaces()), port: config.coapPort ?? 0, log, now, observations, middlewares,
    cacheBytes: COAP_LIMITS.responseCacheBytes, maxBlockResponses: COAP_LIMITS.maxBlockResponses, piggybackMs: COAP_LIMITS.piggybackMs,
    guards: {
      allow: config.coapAllow,
      rateLimiter: rate === null ? undefined : createRateLimiter({ perSecond: rate, burst: rate * 2 }, now),
      maxBodyBytes: Math.min(COAP_LIMITS.maxBodyBytes, config.maxRequestSize),
      maxUploads: COAP_LIMITS.maxUploads, maxUploadsPerAddress: COAP_LIMITS.maxUploadsPerAddress,
      uploadLifetimeMs: COAP_LIMITS.uploadIdleMs,
    },
  });
  return {
    url: listener.url, port: listener.port, address: listener.address,
    async close() {
      stopDevices();
      await listener.close();
    },
  };
}
