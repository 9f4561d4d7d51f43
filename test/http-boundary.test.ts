/** The HTTP boundary of the spec's "API Standards" and "Web Browser Clients" sections, over a real socket. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createHttpHandler } from '../src/http/server.js';
import { createAuthenticator, hashToken } from '../src/http/auth.js';
import { listen, closeListener, type Listener } from '../src/http/listen.js';
import { reply, type Route } from '../src/http/route.js';
import { MatrixError } from '../src/http/errors.js';
import { createLogger } from '../src/log.js';
import { openStore } from '../src/storage/index.js';
import type { Store } from '../src/storage/types.js';
import { createTokenResolver } from '../src/accounts/accounts.js';
import { tempDir } from './support/hub.js';

const LIMIT = 1024;
let store: Store;
let listener: Listener;
let base: string;
const seenBodies: unknown[] = [];

const routes: Route[] = [
  { method: 'POST', path: '/_matrix/client/v3/echo/{thing}', auth: 'none', listener: 'client', handler: (ctx) => { seenBodies.push(ctx.body); return { thing: ctx.params.thing, body: ctx.body ?? null }; } },
  { method: 'GET', path: '/_matrix/client/v3/me', auth: 'user', listener: 'client', handler: (ctx) => ({ user_id: ctx.principal!.userId }) },
  { method: 'GET', path: '/_matrix/client/v3/admin-only', auth: 'admin', listener: 'client', handler: () => ({}) },
  { method: 'GET', path: '/_matrix/client/v3/created', auth: 'none', listener: 'client', handler: () => reply(201, { ok: true }, { 'X-Test': '1' }) },
  { method: 'GET', path: '/_matrix/client/v3/boom', auth: 'none', listener: 'client', handler: () => { throw new Error('secret internal detail'); } },
  { method: 'GET', path: '/_matrix/client/v3/forbidden', auth: 'none', listener: 'client', handler: () => { throw new MatrixError(403, 'M_FORBIDDEN', 'no'); } },
];

function raw(method: string, path: string, opts: { headers?: Record<string, string | number>; body?: string | Buffer; chunks?: Buffer[] } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: opts.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    if (opts.chunks) {
      let i = 0;
      const pump = () => { if (i < opts.chunks!.length && !req.destroyed) { req.write(opts.chunks![i++]); setImmediate(pump); } else req.end(); };
      pump();
    } else req.end(opts.body);
  });
}

before(async () => {
  store = await openStore({ dataDir: tempDir() });
  await store.accounts.createUser({ localpart: 'alice', userId: '@alice:hs', passwordHash: null, admin: false, createdTs: 1 });
  await store.devices.upsertDevice('@alice:hs', 'DEV');
  await store.devices.createAccessToken({ tokenHash: hashToken('alice-token'), userId: '@alice:hs', deviceId: 'DEV' });
  const handler = createHttpHandler({
    name: 'test', routes, maxBodyBytes: LIMIT, log: createLogger({ level: 'silent' }),
    authenticator: createAuthenticator({ tokens: createTokenResolver(store, Date.now) }),
  });
  listener = await listen({ name: 'client', label: 'test API', bind: '127.0.0.1', port: 0, handler });
  base = listener.url;
});
after(async () => { await closeListener(listener, 100); await store.close(); });

describe('client-server API §"Standard error response"', () => {
  it('answers an unknown endpoint with 404 M_UNRECOGNIZED', async () => {
    const r = await raw('GET', '/_matrix/client/v3/nope');
    assert.equal(r.status, 404);
    assert.equal(r.body.errcode, 'M_UNRECOGNIZED');
  });
  it('answers a known endpoint with the wrong method with 405 M_UNRECOGNIZED', async () => {
    const r = await raw('DELETE', '/_matrix/client/v3/me');
    assert.equal(r.status, 405);
    assert.equal(r.body.errcode, 'M_UNRECOGNIZED');
    assert.match(String(r.headers.allow), /GET/);
  });
  it('answers unparseable JSON with 400 M_NOT_JSON and never runs the handler', async () => {
    const before = seenBodies.length;
    const r = await raw('POST', '/_matrix/client/v3/echo/x', { body: '{"a":', headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.errcode, 'M_NOT_JSON');
    assert.equal(seenBodies.length, before);
  });
  it('passes a valid JSON body and percent-decoded path parameters to the handler', async () => {
    const r = await raw('POST', '/_matrix/client/v3/echo/%21room%3Ahs', { body: '{"a":1}' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { thing: '!room:hs', body: { a: 1 } });
  });
  it('answers a declared Content-Length over the limit with 413 M_TOO_LARGE before reading the body', async () => {
    const r = await raw('POST', '/_matrix/client/v3/echo/x', { headers: { 'Content-Length': 10 * 1024 * 1024 }, body: Buffer.alloc(0) }).catch((e) => e);
    // The server replies at once and closes; the client sees the 413 (or a reset after it).
    if (r instanceof Error) assert.match(r.message, /socket|ECONNRESET|EPIPE/);
    else { assert.equal(r.status, 413); assert.equal(r.body.errcode, 'M_TOO_LARGE'); }
  });
  it('answers a chunked body that grows past the limit with 413 M_TOO_LARGE', async () => {
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(256, 0x20));
    const r = await raw('POST', '/_matrix/client/v3/echo/x', { chunks, headers: { 'Transfer-Encoding': 'chunked' } });
    assert.equal(r.status, 413);
    assert.equal(r.body.errcode, 'M_TOO_LARGE');
  });
  it('turns an unexpected exception into 500 M_UNKNOWN without leaking its message', async () => {
    const r = await raw('GET', '/_matrix/client/v3/boom');
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { errcode: 'M_UNKNOWN', error: 'Internal server error' });
  });
  it('serialises a thrown MatrixError with its status and errcode', async () => {
    const r = await raw('GET', '/_matrix/client/v3/forbidden');
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { errcode: 'M_FORBIDDEN', error: 'no' });
  });
  it('sends a handler reply with its own status and headers', async () => {
    const r = await raw('GET', '/_matrix/client/v3/created');
    assert.equal(r.status, 201);
    assert.equal(r.headers['x-test'], '1');
  });
});

describe('client-server API §"Web Browser Clients" (CORS)', () => {
  it('answers an OPTIONS preflight with the CORS headers and runs no endpoint logic', async () => {
    const before = seenBodies.length;
    const r = await raw('OPTIONS', '/_matrix/client/v3/echo/x', { headers: { Origin: 'https://app.element.io', 'Access-Control-Request-Method': 'POST' } });
    assert.ok(r.status === 200 || r.status === 204);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    for (const m of ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']) assert.match(String(r.headers['access-control-allow-methods']), new RegExp(m));
    for (const h of ['X-Requested-With', 'Content-Type', 'Authorization']) assert.match(String(r.headers['access-control-allow-headers']), new RegExp(h));
    assert.equal(seenBodies.length, before);
  });
  it('answers OPTIONS even for an unknown path', async () => {
    const r = await raw('OPTIONS', '/_matrix/client/v3/unknown');
    assert.equal(r.headers['access-control-allow-origin'], '*');
  });
  it('sends CORS headers on errors too', async () => {
    const r = await raw('GET', '/_matrix/client/v3/nope');
    assert.equal(r.headers['access-control-allow-origin'], '*');
  });
});

describe('client-server API §"Using access tokens"', () => {
  it('refuses a missing token with 401 M_MISSING_TOKEN', async () => {
    const r = await raw('GET', '/_matrix/client/v3/me');
    assert.equal(r.status, 401);
    assert.equal(r.body.errcode, 'M_MISSING_TOKEN');
  });
  it('refuses an unknown token with 401 M_UNKNOWN_TOKEN', async () => {
    const r = await raw('GET', '/_matrix/client/v3/me', { headers: { Authorization: 'Bearer nope' } });
    assert.equal(r.status, 401);
    assert.equal(r.body.errcode, 'M_UNKNOWN_TOKEN');
  });
  it('accepts the token in the Authorization header and in the access_token query parameter', async () => {
    assert.deepEqual((await raw('GET', '/_matrix/client/v3/me', { headers: { Authorization: 'Bearer alice-token' } })).body, { user_id: '@alice:hs' });
    assert.deepEqual((await raw('GET', '/_matrix/client/v3/me?access_token=alice-token')).body, { user_id: '@alice:hs' });
  });
  it('refuses a non-admin on an admin endpoint with 403 M_FORBIDDEN', async () => {
    const r = await raw('GET', '/_matrix/client/v3/admin-only', { headers: { Authorization: 'Bearer alice-token' } });
    assert.equal(r.status, 403);
    assert.equal(r.body.errcode, 'M_FORBIDDEN');
  });
});
