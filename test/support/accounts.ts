/** Test support for the account endpoints: a fake clock, and registration, login and UIA helpers over real HTTP. */
import assert from 'node:assert/strict';
import { fetchJson, type JsonResponse } from './http.js';
import type { TestHub } from './hub.js';

/** A clock the test moves by hand. */
export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = 1_800_000_000_000): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

/** POST/PUT/DELETE/GET with an optional JSON body and token; returns status, headers and parsed body. */
export function call(hub: TestHub, method: string, path: string, body?: unknown, token?: string): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetchJson(hub.clientUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Registers through the dummy flow of open registration; `extra` is merged into both requests' bodies. */
export async function register(hub: TestHub, username: string, password: string, extra: Record<string, unknown> = {}): Promise<any> {
  const first = await call(hub, 'POST', '/_matrix/client/v3/register', { username, password, ...extra });
  assert.equal(first.status, 401, JSON.stringify(first.body));
  const done = await call(hub, 'POST', '/_matrix/client/v3/register', { username, password, ...extra, auth: { type: 'm.login.dummy', session: first.body.session } });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return done.body;
}

/** m.login.password login; resolves to the raw response. */
export function login(hub: TestHub, user: string, password: string, extra: Record<string, unknown> = {}): Promise<JsonResponse> {
  return call(hub, 'POST', '/_matrix/client/v3/login', { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password, ...extra });
}

/** A successful login's body. */
export async function loginOk(hub: TestHub, user: string, password: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await login(hub, user, password, extra);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** The m.login.password auth dict for a UIA session. */
export function passwordAuth(user: string, password: string, session?: string): Record<string, unknown> {
  return { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password, ...(session === undefined ? {} : { session }) };
}

/** Runs an endpoint behind m.login.password UIA: the first request must be the 401 challenge; returns the second response. */
export async function withPasswordUia(hub: TestHub, method: string, path: string, body: Record<string, unknown>, token: string, user: string, password: string): Promise<JsonResponse> {
  const first = await call(hub, method, path, body, token);
  assert.equal(first.status, 401, JSON.stringify(first.body));
  assert.deepEqual(first.body.flows, [{ stages: ['m.login.password'] }]);
  return call(hub, method, path, { ...body, auth: passwordAuth(user, password, first.body.session) }, token);
}
