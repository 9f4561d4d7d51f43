/** Starting and stopping HTTP(S) listeners, with clear errors for busy ports and bad addresses. */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { HttpHandler } from './server.js';

export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

export interface Listener {
  name: string;
  url: string;
  port: number;
  server: Server;
  handler: HttpHandler;
}

export interface ListenOptions {
  name: string;
  label: string;
  bind: string;
  port: number;
  handler: HttpHandler;
  tls?: { cert: string; key: string };
}

function describe(err: NodeJS.ErrnoException, opts: ListenOptions): string {
  const where = `${opts.bind}:${opts.port}`;
  if (err.code === 'EADDRINUSE') return `cannot start the ${opts.label}: port ${opts.port} on ${opts.bind} is already in use`;
  if (err.code === 'EACCES') return `cannot start the ${opts.label}: no permission to listen on ${where}`;
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return `cannot start the ${opts.label}: ${opts.bind} is not an address of this machine`;
  return `cannot start the ${opts.label} on ${where}: ${err.code ?? err.message}`;
}

/** Listens and resolves once the socket is bound; rejects with a one-line ListenError. */
export function listen(opts: ListenOptions): Promise<Listener> {
  const server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, opts.handler) : createHttpServer(opts.handler);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Long-polling /sync holds requests for up to a few minutes; do not cut them off.
  server.requestTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ListenError(describe(err, opts))));
    server.listen(opts.port, opts.bind, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      const host = opts.bind.includes(':') ? `[${opts.bind}]` : opts.bind;
      resolve({ name: opts.name, port, server, handler: opts.handler, url: `${opts.tls ? 'https' : 'http'}://${host}:${port}` });
    });
  });
}

/** Stops accepting, waits up to `graceMs` for in-flight requests, then closes every connection. */
export async function closeListener(l: Listener, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => l.server.close(() => resolve()));
  l.server.closeIdleConnections();
  const deadline = Date.now() + graceMs;
  while (l.handler.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  l.server.closeAllConnections();
  await closed;
}
