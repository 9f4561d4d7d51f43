/** Test support: a tiny Client-Server API client whose every 2xx response is checked against the spec's OpenAPI schema. */
import { assertSpecResponse } from './openapi.js';

export interface SpecResponse {
  status: number;
  /** The parsed JSON body; the raw text for a non-JSON response; undefined for an empty one. */
  body: any;
  headers: Headers;
}

export interface SpecClient {
  get(path: string): Promise<SpecResponse>;
  post(path: string, body?: unknown): Promise<SpecResponse>;
  put(path: string, body?: unknown): Promise<SpecResponse>;
  delete(path: string, body?: unknown): Promise<SpecResponse>;
  /** The same client with another access token (or none). */
  withToken(token: string | undefined): SpecClient;
}

/**
 * A client for end-to-end tests. `path` is the full request path with its query string, e.g.
 * `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b`; `body` is sent as JSON.
 * Every 2xx response is validated against the spec operation matching (method, path), so a test
 * fails with a readable list of schema mismatches, or when no spec operation matches the request.
 * Error responses are returned unchecked for the test to assert on (`validateResponse` checks them on demand).
 * @example
 *   const alice = createSpecClient(hub.clientUrl, aliceToken);
 *   const { body } = await alice.post('/_matrix/client/v3/createRoom', { preset: 'private_chat' });
 */
export function createSpecClient(baseUrl: string, token?: string): SpecClient {
  const base = baseUrl.replace(/\/+$/, '');

  async function request(method: string, path: string, body?: unknown): Promise<SpecResponse> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    const parsed: unknown = text === '' ? undefined : isJson ? JSON.parse(text) : text;
    const out = { status: res.status, body: parsed, headers: res.headers };
    if (res.status >= 200 && res.status < 300) assertSpecResponse(method, path, out);
    return out;
  }

  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    delete: (path, body) => request('DELETE', path, body),
    withToken: (t) => createSpecClient(baseUrl, t),
  };
}
