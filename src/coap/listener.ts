/** The CoAP listener: node-coap on UDP with the datagram guards spliced into its middleware list, a bounded response cache, and the ordered request middlewares. */
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import type { Logger } from '../log.js';
import { CoapCode } from './codes.js';
import { compose, toExchange, type CoapMiddleware } from './exchange.js';
import { createGuards, isLanAddress, type GuardOptions } from './guards.js';
import type { Observations } from './observe.js';

export interface CoapListenerOptions {
  /** Address to bind (already resolved, see `resolveCoapBind`). */
  bind: string;
  port: number;
  log: Logger;
  now: () => number;
  guards: Omit<GuardOptions, 'onAck' | 'now'>;
  observations: Observations;
  /** The ordered request middlewares; a request none of them answers gets 4.04. */
  middlewares: readonly CoapMiddleware[];
  /** Bytes of node-coap's response cache (retransmitted requests are answered from it). */
  cacheBytes: number;
  /** Blockwise responses node-coap keeps for follow-up block requests, at most. */
  maxBlockResponses: number;
  /** How long a confirmable request may take before an empty ACK goes out and the answer follows separately. */
  piggybackMs: number;
}

export interface CoapListener {
  url: string;
  address: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The address `--coap-bind lan` means: the first private (RFC 1918 / ULA) IPv4 address of a non-internal
 * interface, else loopback, so CoAP is never exposed beyond the LAN unless asked for.
 * @example resolveCoapBind('lan', { eth0: [{ address: '192.168.1.5', family: 'IPv4', internal: false, ... }] }) // '192.168.1.5'
 */
export function resolveCoapBind(setting: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string {
  if (setting !== 'lan') return setting;
  for (const list of Object.values(interfaces)) {
    const hit = (list ?? []).find((i) => i.family === 'IPv4' && !i.internal && isLanAddress(i.address) && !i.address.startsWith('169.254.'));
    if (hit) return hit.address;
  }
  return '127.0.0.1';
}

type BlockEntry = { buffer: Buffer; options: Array<{ name: string | number; value: Buffer }> } | null;
interface BlockCache { add(key: string, payload: BlockEntry): void; get(key: string): BlockEntry | undefined; remove(key: string): boolean }

/**
 * Two fixes to node-coap's block2 cache: at most `max` entries (it otherwise holds every block-wise body for
 * 247 s), and the Content-Format survives when each follow-up block re-adds the entry with no options.
 */
function patchBlockCache(cache: BlockCache, max: number): void {
  const order = new Set<string>();
  const add = cache.add.bind(cache);
  cache.add = (key, entry) => {
    const format = cache.get(key)?.options.find((o) => o.name === 'Content-Format');
    if (entry && format && !entry.options.some((o) => o.name === 'Content-Format')) entry = { ...entry, options: [...entry.options, format] };
    add(key, entry);
    order.delete(key);
    order.add(key);
    while (order.size > max) {
      const oldest = order.values().next().value!;
      order.delete(oldest);
      cache.remove(oldest);
    }
  };
}

/** Binds the UDP socket and serves; rejects with a one-line error when the port is taken or the address is not ours. */
export async function startCoapListener(opts: CoapListenerOptions): Promise<CoapListener> {
  const coap = await import('coap');
  const { log } = opts;
  const server = coap.createServer({
    type: isIPv6(opts.bind) ? 'udp6' : 'udp4', cacheSize: opts.cacheBytes, piggybackReplyMs: opts.piggybackMs, reuseAddr: false,
  });
  const guards = createGuards({ ...opts.guards, now: opts.now, onAck: (e, id, reset) => opts.observations.settle(e, id, reset) });
  // node-coap's list is [parseRequest, handleServerRequest]: ours go around its parser, before it handles the packet.
  const [parse, ...rest] = server._middlewares;
  server._middlewares = [...guards.beforeParse, parse!, ...guards.afterParse, ...rest];
  patchBlockCache(server._block2Cache as unknown as BlockCache, opts.maxBlockResponses);

  const handle = compose(opts.middlewares, (ex) => ex.reply(CoapCode.NOT_FOUND));
  server.on('request', (req, res) => {
    const ex = toExchange(req, res);
    handle(ex).catch((err: unknown) => {
      log.error({ err, endpoint: ex.endpoint, path: ex.path.join('/') }, 'CoAP request failed');
      ex.reply(CoapCode.INTERNAL_SERVER_ERROR);
    });
  });
  server.on('error', (err: unknown) => log.warn({ err }, 'CoAP socket error'));

  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      const where = `${opts.bind}:${opts.port}`;
      reject(new Error(err.code === 'EADDRINUSE' ? `cannot start CoAP: UDP port ${opts.port} on ${opts.bind} is already in use`
        : err.code === 'EADDRNOTAVAIL' ? `cannot start CoAP: ${opts.bind} is not an address of this machine`
          : `cannot start CoAP on ${where}: ${err.code ?? err.message}`));
    };
    server.once('error', fail);
    server.listen(opts.port, opts.bind, (err?: Error) => {
      server.off('error', fail);
      if (err) fail(err as NodeJS.ErrnoException); else resolve();
    });
  });
  const addr = (server._sock as { address(): AddressInfo }).address();
  const host = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  return {
    url: `coap://${host}:${addr.port}`, address: addr.address, port: addr.port,
    async close() {
      opts.observations.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
