/** CoAP transport (coap://): confirmable POSTs to `/d/NAME/<item>` (token in option 256), commands by observing `/d/NAME/command`. */
import { createSocket } from 'node:dgram';
import { Agent, request, type IncomingMessage, type ObserveReadStream } from 'coap';
import { backoff, PermanentError, type RawCommand, type Transport } from './transport.js';

export interface CoapTransportOptions {
  url: string;
  device: string;
  token: string;
  /** Content-Format of payloads: 60 (CBOR) or 50 (JSON). */
  format: 50 | 60;
}

/** Option 256 carries the device token. */
const TOKEN_OPTION = '256';
/** Codes a retry can fix: rate limited, and server errors. */
const TRANSIENT = /^(4\.29|5\.\d\d)$/;

/**
 * Talks to the hub's CoAP device endpoints. A publish resolves on 2.04 Changed; a 4.xx other than 4.29
 * rejects with {@link PermanentError}; timeouts and 5.xx reject with a plain Error (the runtime retries).
 * @example
 * const t = coapTransport({ url: 'coap://hub.local', device: 'kitchen', token, format: 60 });
 * await t.publish('reading', cborBytes);
 */
export function coapTransport(opts: CoapTransportOptions): Transport {
  const u = new URL(opts.url);
  const hostname = u.hostname;
  const port = u.port ? Number(u.port) : 5683;
  const socket = createSocket(hostname.includes(':') ? 'udp6' : 'udp4');
  const agent = new Agent({ socket });
  const commandFns: Array<(c: RawCommand) => void> = [];
  let closed = false;
  let observing: ObserveReadStream | undefined;
  let attempt = 0;

  function req(method: 'GET' | 'POST', item: string, observe: boolean) {
    const r = request({ hostname, port, agent, method, confirmable: true, pathname: `/d/${opts.device}/${item}`, ...(observe ? { observe: true } : {}) });
    r.setOption(TOKEN_OPTION, Buffer.from(opts.token));
    return r;
  }

  function observe(): void {
    if (closed || commandFns.length === 0 || observing) return;
    const r = req('GET', 'command', true);
    r.setOption('Accept', opts.format);
    const retry = () => { observing = undefined; if (!closed) setTimeout(observe, backoff(attempt++)).unref(); };
    r.on('response', (res: ObserveReadStream) => {
      if (!res.code.startsWith('2.')) { retry(); return; }
      attempt = 0;
      observing = res;
      res.on('data', (payload: Buffer) => {
        if (payload.length === 0) return;
        const cf = res.headers['Content-Format'];
        const format = cf === 60 || cf === 'application/cbor' ? 'cbor' : cf === 50 || cf === 'application/json' ? 'json' : 'unknown';
        for (const fn of commandFns) fn({ payload: new Uint8Array(payload), format });
      });
      res.on('end', retry);
      res.on('error', retry);
    });
    r.on('error', retry);
    r.on('timeout', retry);
    r.end();
  }

  return {
    publish(topic, payload, o = {}) {
      return new Promise((resolve, reject) => {
        const r = req('POST', topic, false);
        r.setOption('Content-Format', o.text ? 0 : opts.format);
        r.on('response', (res: IncomingMessage) => {
          res.resume();
          if (res.code.startsWith('2.')) resolve();
          else if (TRANSIENT.test(res.code)) reject(new Error(`CoAP ${res.code}`));
          else reject(new PermanentError(`CoAP ${res.code} for /d/${opts.device}/${topic}`));
        });
        r.on('error', reject);
        r.on('timeout', reject);
        r.end(Buffer.from(payload));
      });
    },
    connected: () => !closed,
    onConnect(fn) { fn(); },
    onCommand(fn) { commandFns.push(fn); observe(); },
    async close() {
      closed = true;
      observing?.close();
      agent.close?.();
      await new Promise<void>((r) => { try { socket.close(() => r()); } catch { r(); } });
    },
  };
}
