/** Test support: small fetch wrappers that return status, headers and the parsed JSON body (typed loosely for assertions). */

export interface JsonResponse { status: number; headers: Headers; body: any }

export async function fetchJson(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** GET url and return the JSON body. */
export async function getJson(url: string, token?: string): Promise<any> {
  return (await fetchJson(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {})).body;
}

/** A client-API call (`/_matrix/client/v3` + path) with a bearer token and a JSON body; resolves to the whole response. */
export function clientFetch(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<JsonResponse> {
  return fetchJson(`${baseUrl}/_matrix/client/v3${path}`, {
    method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A client-API call that must succeed; resolves to the JSON body. */
export async function clientCall(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await clientFetch(baseUrl, token, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
