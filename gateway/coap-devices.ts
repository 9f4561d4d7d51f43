/** CoAP device endpoints: `POST /d/NAME/<item>` through the gateway pipeline (2.04 after commit), `GET /d/NAME/command` observed for commands. */
import type { Publish } from '../profiles/types.js';
import { parseJson, payloadText } from '../profiles/payload.js';
import type { Logger } from '../src/log.js';
import { encodeCbor } from '../src/coap/cbor-keys.js';
import { CoapCode, CoapOption, ContentFormat } from '../src/coap/codes.js';
import type { CoapExchange, CoapMiddleware } from '../src/coap/exchange.js';
import type { Observations, Observer } from '../src/coap/observe.js';
import { DropReason } from './codes.js';
import type { Outcome, Pipeline } from './pipeline.js';
import { verifyDeviceToken, type DeviceRecord } from './registry.js';

export interface CoapDevicesDeps {
  pipeline: Pick<Pipeline, 'handle' | 'connectable'>;
  /** Subscribes to everything the gateway publishes to devices (commands); returns an unsubscribe function. */
  onPublish(fn: (p: Publish) => void): () => void;
  observations: Observations;
  log: Logger;
  now: () => number;
}

/** Path prefix of the device endpoints: `/d/NAME/reading`. */
export const DEVICE_PREFIX = 'd';

/** What a pipeline outcome means to a CoAP device. */
export function outcomeCode(out: Outcome): CoapCode {
  if (out.kind === 'done') return CoapCode.CHANGED;
  switch (out.reason) {
    case DropReason.MALFORMED: return CoapCode.BAD_REQUEST;
    case DropReason.OVERSIZE: return CoapCode.REQUEST_ENTITY_TOO_LARGE;
    case DropReason.RATE_LIMITED: return CoapCode.TOO_MANY_REQUESTS;
    case DropReason.UNKNOWN_DEVICE: case DropReason.PENDING_DEVICE: return CoapCode.NOT_FOUND;
    case DropReason.FOREIGN_TOPIC: case DropReason.SYS_TOPIC: return CoapCode.FORBIDDEN;
    default: return CoapCode.INTERNAL_SERVER_ERROR;
  }
}

/** A command payload in the format the observer asked for (Accept 60: CBOR), else as the profile made it. */
function commandBody(payload: Buffer, accept: number | undefined): { body: Buffer; format: ContentFormat } {
  const json = parseJson(payload);
  if (json.ok && accept === ContentFormat.CBOR) return { body: encodeCbor(json.value, { integerKeys: false }), format: ContentFormat.CBOR };
  if (json.ok) return { body: payload, format: ContentFormat.JSON };
  return { body: payload, format: payloadText(payload) !== null ? ContentFormat.TEXT : ContentFormat.OCTET_STREAM };
}

export function coapDevices(deps: CoapDevicesDeps): { middleware: CoapMiddleware; stop(): void } {
  const { pipeline, observations, log } = deps;
  /** Command observers per command topic, with the Accept each asked for. */
  const watching = new Map<string, Map<Observer, number | undefined>>();
  /** The latest command per command topic, for a plain GET. */
  const latest = new Map<string, Buffer>();

  const unsubscribe = deps.onPublish((p) => {
    const payload = Buffer.from(p.payload);
    const observers = watching.get(p.topic);
    if (!observers) return;
    latest.set(p.topic, payload);
    for (const [o, accept] of observers) {
      const { body, format } = commandBody(payload, accept);
      o.notify(body, format).then((ok) => { if (!ok) log.debug({ topic: p.topic }, 'CoAP command observer went away'); }, () => undefined);
    }
  });

  async function publish(ex: CoapExchange, d: DeviceRecord, rest: string[]): Promise<void> {
    const format = ex.contentFormat;
    if (format !== undefined && format !== ContentFormat.JSON && format !== ContentFormat.CBOR && format !== ContentFormat.TEXT) {
      ex.reply(CoapCode.UNSUPPORTED_CONTENT_FORMAT);
      return;
    }
    // The profile decodes JSON or CBOR whatever the Content-Format says; what it cannot read comes back MALFORMED (4.00).
    const out = await pipeline.handle({
      device: d.name, topic: `${d.topic}/${rest.join('/')}`, payload: ex.payload, qos: ex.confirmable ? 1 : 0,
      packetId: ex.messageId, dup: false, retain: false, replay: false, receivedTs: deps.now(),
    });
    ex.reply(outcomeCode(out), undefined, undefined, out.kind !== 'done' && out.reason === DropReason.RATE_LIMITED ? { [CoapOption.MAX_AGE]: 1 } : {});
  }

  function observeCommands(ex: CoapExchange, d: DeviceRecord): void {
    const topic = `${d.topic}/command`;
    const resource = `/d/${d.name}/command`;
    if (observations.serveBlock(ex, resource)) return;
    if (ex.observe !== 0) {
      if (ex.observe === 1) observations.deregister(ex.endpoint, ex.token);
      const last = latest.get(topic);
      const { body, format } = last ? commandBody(last, ex.accept) : { body: Buffer.alloc(0), format: ContentFormat.JSON };
      ex.reply(CoapCode.CONTENT, body, format);
      return;
    }
    const reg = observations.register(ex, resource);
    if (reg.kind === 'duplicate') return;
    if (reg.kind === 'full') { ex.reply(CoapCode.SERVICE_UNAVAILABLE); return; }
    const o = reg.observer;
    let set = watching.get(topic);
    if (!set) watching.set(topic, (set = new Map()));
    set.set(o, ex.accept);
    o.onClose(() => {
      const s = watching.get(topic);
      s?.delete(o);
      if (s?.size === 0) { watching.delete(topic); latest.delete(topic); }
    });
    // RFC 7641: the registration's answer is the current representation: no command pending (empty).
    void o.notify(Buffer.alloc(0), ContentFormat.JSON);
  }

  const middleware: CoapMiddleware = async (ex, next) => {
    if (ex.path[0] !== DEVICE_PREFIX || ex.path.length < 3) return next();
    const [, name, ...rest] = ex.path as [string, string, ...string[]];
    const d = await pipeline.connectable(name);
    if (!d) { ex.reply(CoapCode.NOT_FOUND); return; }
    const token = ex.option(CoapOption.AUTHORIZATION);
    if (!verifyDeviceToken(token, d.tokenHash)) {
      log.warn({ device: name, endpoint: ex.endpoint }, 'CoAP request refused: wrong device token');
      ex.reply(CoapCode.UNAUTHORIZED);
      return;
    }
    if (ex.method === 'GET' && rest.length === 1 && rest[0] === 'command') { observeCommands(ex, d); return; }
    if (ex.method !== 'POST' && ex.method !== 'PUT') { ex.reply(CoapCode.METHOD_NOT_ALLOWED); return; }
    await publish(ex, d, rest);
  };

  return {
    middleware,
    stop() {
      unsubscribe();
      watching.clear();
      latest.clear();
    },
  };
}
