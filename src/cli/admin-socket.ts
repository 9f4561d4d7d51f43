/** The admin socket: a running hub answers `hearth` admin commands on DATA_DIR/admin.sock, so only one process writes rooms. */
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../log.js';

export const ADMIN_SOCKET = 'admin.sock';
const MAX_REQUEST_BYTES = 64 * 1024;

/** One admin command's handler; throw an error with `refused = true` (or a named refusal) for a plain-language "no". */
export type AdminHandler = (args: Record<string, unknown>) => Promise<unknown>;

export interface AdminRequest { command: string; args: Record<string, unknown> }
export type AdminResponse = { ok: true; result: unknown } | { ok: false; error: string; refused: boolean };

/** Error names whose message is meant for the person at the CLI (not a crash). */
const REFUSALS = new Set(['DeviceAdminError', 'UsageError']);

export interface AdminSocket { path: string; close(): Promise<void> }

/** Whether something answers on the socket path. */
function probe(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

function serve(socket: Socket, handlers: Readonly<Record<string, AdminHandler>>, log: Logger): void {
  let buf = '';
  const reply = (r: AdminResponse) => socket.end(JSON.stringify(r) + '\n');
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buf += chunk;
    if (buf.length > MAX_REQUEST_BYTES) { reply({ ok: false, error: 'request too large', refused: true }); return; }
    const nl = buf.indexOf('\n');
    if (nl < 0) return;
    socket.removeAllListeners('data');
    let req: AdminRequest;
    try {
      req = JSON.parse(buf.slice(0, nl)) as AdminRequest;
    } catch {
      reply({ ok: false, error: 'request is not JSON', refused: true });
      return;
    }
    const handler = typeof req.command === 'string' ? handlers[req.command] : undefined;
    if (!handler) { reply({ ok: false, error: `unknown admin command ${String(req.command)}`, refused: true }); return; }
    handler(req.args ?? {}).then(
      (result) => reply({ ok: true, result: result ?? null }),
      (err: unknown) => {
        const refused = err instanceof Error && REFUSALS.has(err.name);
        if (!refused) log.error({ err, command: req.command }, 'admin command failed');
        reply({ ok: false, error: (err as Error)?.message ?? String(err), refused });
      },
    );
  });
}

/**
 * Listens on DATA_DIR/admin.sock (mode 0600). A stale socket left by a killed hub is replaced; when another
 * live hub already answers there, resolves undefined and logs a warning.
 */
export async function startAdminSocket(dataDir: string, handlers: Readonly<Record<string, AdminHandler>>, log: Logger): Promise<AdminSocket | undefined> {
  const path = join(dataDir, ADMIN_SOCKET);
  if (existsSync(path)) {
    if (await probe(path)) { log.warn({ path }, 'another hub answers on the admin socket; admin commands go there'); return undefined; }
    rmSync(path, { force: true });
  }
  const server: Server = createServer((s) => serve(s, handlers, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
  chmodSync(path, 0o600);
  server.on('error', (err) => log.warn({ err }, 'admin socket error'));
  return {
    path,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      rmSync(path, { force: true });
    }),
  };
}

/**
 * Sends one admin request to the running hub. Resolves undefined when no hub answers (no socket, or a stale one),
 * so the caller does the work itself.
 */
export function adminRequest(dataDir: string, req: AdminRequest, timeoutMs = 60_000): Promise<AdminResponse | undefined> {
  const path = join(dataDir, ADMIN_SOCKET);
  if (!existsSync(path)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const s = createConnection(path);
    let buf = '';
    let connected = false;
    const timer = setTimeout(() => { s.destroy(); reject(new Error('the running hub did not answer on its admin socket')); }, timeoutMs);
    s.setEncoding('utf8');
    s.once('connect', () => { connected = true; s.write(JSON.stringify(req) + '\n'); });
    s.on('data', (c: string) => { buf += c; });
    s.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected && (err.code === 'ECONNREFUSED' || err.code === 'ENOENT')) resolve(undefined);
      else reject(err);
    });
    s.once('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buf) as AdminResponse);
      } catch {
        reject(new Error('the running hub gave an unreadable admin answer'));
      }
    });
  });
}
